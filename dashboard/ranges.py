"""The date range a dashboard shows. Pure functions."""

import datetime
from dataclasses import dataclass

from lib.dates import EARLIEST_DATE

PRESETS = {"30": ("30 days", 30), "90": ("90 days", 90), "365": ("1 year", 365)}
DEFAULT_PRESET = "90"
# Past a year the charts show weekly means instead of daily values.
DAILY_LIMIT_DAYS = 366
# A young diary is shown from its first day, but never over fewer days than this.
SHORTEST_PRESET_DAYS = 14


@dataclass(frozen=True)
class DateRange:
    start: datetime.date
    end: datetime.date
    key: str  # "30", "90", "365", "all" or "custom"
    label: str
    error: str = ""
    whole_diary: bool = False  # the range starts at or before the first entry: nothing earlier to compare with

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def weekly(self) -> bool:
        return self.days > DAILY_LIMIT_DAYS

    @property
    def previous(self) -> "DateRange":
        """The range of equal length just before this one (for the change on the summary cards)."""
        end = self.start - datetime.timedelta(days=1)
        return DateRange(end - datetime.timedelta(days=self.days - 1), end, "previous", "previous period")


def _parse(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def date_range(params, *, today: datetime.date, first_entry: datetime.date | None) -> DateRange:
    """The range asked for by query parameters `range` (a preset or "all") or `start` and `end`."""
    key = params.get("range") or ""
    if params.get("start") or params.get("end"):
        start, end = _parse(params.get("start")), _parse(params.get("end")) or today
        if start is None:
            return _preset(DEFAULT_PRESET, today, "Choose a valid start date (year-month-day).", first_entry)
        end = min(end, today)
        if start > end:
            return _preset(DEFAULT_PRESET, today, "The start date must be before the end date.", first_entry)
        if start < EARLIEST_DATE:
            return _preset(DEFAULT_PRESET, today, f"Choose a start date from {EARLIEST_DATE:%Y} on.", first_entry)
        whole = first_entry is not None and start <= first_entry
        if first_entry is not None and whole:
            start = min(first_entry, end)  # nothing to show before the first entry
        return DateRange(start, end, "custom", f"{start:%-d %b %Y} to {end:%-d %b %Y}", whole_diary=whole)
    if key == "all":
        shortest = today - datetime.timedelta(days=SHORTEST_PRESET_DAYS - 1)
        start = min(first_entry, shortest) if first_entry else shortest
        return DateRange(start, today, "all", "All", whole_diary=True)
    return _preset(key if key in PRESETS else DEFAULT_PRESET, today, first_entry=first_entry)


def _preset(key: str, today: datetime.date, error: str = "", first_entry: datetime.date | None = None) -> DateRange:
    """The last N days; for a diary younger than that, from its first day (at least 14 days)."""
    label, length = PRESETS[key]
    start = today - datetime.timedelta(days=length - 1)
    whole = first_entry is not None and start <= first_entry
    if first_entry is not None and whole:
        start = max(start, min(first_entry, today - datetime.timedelta(days=SHORTEST_PRESET_DAYS - 1)))
    return DateRange(start, today, key, label, error, whole_diary=whole)
