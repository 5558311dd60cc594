import datetime
import math
from dataclasses import dataclass

from django.db.models import Max, Min, QuerySet

from accounts.models import User

from .diary_csv import CSV_COLUMNS
from .models import DiaryEntry
from .vocabulary import MEASURE_NAMES

HISTORY_DAYS_PER_PAGE = 28


def entry_for_date(patient: User, date: datetime.date) -> DiaryEntry | None:
    return DiaryEntry.objects.filter(patient=patient, date=date).first()


def entry_before(patient: User, date: datetime.date) -> DiaryEntry | None:
    """The most recent entry before `date` (what "start from yesterday's values" copies)."""
    return DiaryEntry.objects.filter(patient=patient, date__lt=date).order_by("-date").first()


def entries_between(patient: User, start: datetime.date, end: datetime.date) -> QuerySet[DiaryEntry]:
    return DiaryEntry.objects.filter(patient=patient, date__gte=start, date__lte=end).order_by("-date")


def daily_measures(patient: User, start: datetime.date, end: datetime.date) -> dict[datetime.date, dict]:
    """The headline measures of each logged day in [start, end], by date. One query."""
    rows = DiaryEntry.objects.filter(patient=patient, date__gte=start, date__lte=end).values("date", *MEASURE_NAMES)
    return {row.pop("date"): row for row in rows}


def entries_for_export(patient: User) -> QuerySet:
    """Every entry of the patient, oldest first, as mappings of the CSV columns."""
    return DiaryEntry.objects.filter(patient=patient).order_by("date").values(*CSV_COLUMNS)


@dataclass(frozen=True)
class HistoryPage:
    days: list[tuple[datetime.date, DiaryEntry | None]]  # newest first, one per calendar day
    number: int
    num_pages: int
    logged_days: int

    @property
    def has_previous(self) -> bool:  # newer days
        return self.number > 1

    @property
    def has_next(self) -> bool:  # older days
        return self.number < self.num_pages


def history_window(
    today: datetime.date, first: datetime.date | None, page: int, days_per_page: int
) -> tuple[datetime.date, datetime.date, int, int]:
    """The calendar window (start, end) of history page `page` (1 = the latest days).

    Returns (start, end, page, num_pages) with `page` clamped into range.
    """
    span = (today - first).days + 1 if first and first <= today else 1
    num_pages = max(1, math.ceil(span / days_per_page))
    page = min(max(page, 1), num_pages)
    end = today - datetime.timedelta(days=(page - 1) * days_per_page)
    start = end - datetime.timedelta(days=days_per_page - 1)
    return start, end, page, num_pages


def history_page(patient: User, *, today: datetime.date, page: int) -> HistoryPage:
    """One page of the diary history: every day of the window, logged or not. Two queries.

    An entry dated after today (the patient moved to a zone further west) still shows.
    """
    span = DiaryEntry.objects.filter(patient=patient).aggregate(first=Min("date"), last=Max("date"))
    newest = max(today, span["last"] or today)
    start, end, page, num_pages = history_window(newest, span["first"], page, HISTORY_DAYS_PER_PAGE)
    by_date = {entry.date: entry for entry in entries_between(patient, start, end)}
    days = [(end - datetime.timedelta(days=offset), None) for offset in range((end - start).days + 1)]
    days = [(day, by_date.get(day)) for day, _ in days]
    return HistoryPage(days=days, number=page, num_pages=num_pages, logged_days=len(by_date))
