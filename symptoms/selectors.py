import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.selectors import patient_time_zone

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


class Diary(dict):
    """Days by date, read once and never changed: the series of each measure drawn from it are kept
    with it (`series`, by measure name), so a page's charts, cards and sentences work each out once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.series: dict[str, object] = {}


def daily_measures(patient: User, start: datetime.date, end: datetime.date, detail: Sequence[str] = ()) -> Diary:
    """The headline measures of each logged day in [start, end], by date, and the `detail` fields
    asked for (e.g. symptoms.signs.SIGN_FIELDS), read in the same query. One query."""
    columns = dict.fromkeys((*MEASURE_NAMES, *detail))
    rows = DiaryEntry.objects.filter(patient=patient, date__gte=start, date__lte=end).values("date", *columns)
    return Diary((row.pop("date"), row) for row in rows)


def diary_size(patient: User) -> tuple[datetime.date | None, int]:
    """The date of the patient's first entry and how many days they have logged. One query."""
    found = DiaryEntry.objects.filter(patient=patient).aggregate(first=Min("date"), days=Count("id"))
    return found["first"], found["days"]


def logged_dates(patient: User, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The days from `start` to `end` (both included) the patient logged. One query."""
    return list(
        DiaryEntry.objects.filter(patient=patient, date__gte=start, date__lte=end).values_list("date", flat=True)
    )


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

    `first` is the diary's first day (None: unknown); no page reaches back before it.
    Returns (start, end, page, num_pages) with `page` clamped into range.
    """
    span = (today - first).days + 1 if first and first <= today else 1
    num_pages = max(1, math.ceil(span / days_per_page))
    page = min(max(page, 1), num_pages)
    end = today - datetime.timedelta(days=(page - 1) * days_per_page)
    start = end - datetime.timedelta(days=days_per_page - 1)
    if first and start < first <= end:
        start = first
    return start, end, page, num_pages


def diary_start(joined: datetime.date, first_entry: datetime.date | None) -> datetime.date:
    """The first day of a diary: the day the account was made, or an earlier first entry (a backfill)."""
    return min(joined, first_entry) if first_entry else joined


def history_page(patient: User, *, today: datetime.date, page: int) -> HistoryPage:
    """One page of the diary history: every day of the window, logged or not. Two queries.

    It starts at the account's creation or the first entry, whichever is earlier (no "not logged"
    days from before the account existed). An entry dated after today (the patient moved to a zone
    further west) still shows.
    """
    span = DiaryEntry.objects.filter(patient=patient).aggregate(first=Min("date"), last=Max("date"))
    newest = max(today, span["last"] or today)
    joined = timezone.localtime(patient.date_joined, patient_time_zone(patient)).date()
    first = diary_start(joined, span["first"])
    start, end, page, num_pages = history_window(newest, first, page, HISTORY_DAYS_PER_PAGE)
    by_date = {entry.date: entry for entry in entries_between(patient, start, end)}
    window = [end - datetime.timedelta(days=offset) for offset in range((end - start).days + 1)]
    days = [(day, by_date.get(day)) for day in window]
    return HistoryPage(days=days, number=page, num_pages=num_pages, logged_days=len(by_date))
