"""Daily series of one measure, and what the charts draw from them. Pure functions.

A series maps each logged date to its value; days not logged are absent (never zero).
"""

import datetime
import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass

from lib.figures import one_decimal

Series = Mapping[datetime.date, float]

ROLLING_DAYS = 7
ROLLING_MIN = 4  # a 7-day mean needs at least 4 logged days, else the line has a gap
# The patient's own baseline ("your usual") on a day: the 28 days that ended a week earlier,
# so that a recent change does not drag its own yardstick along with it.
BASELINE_DAYS = 28
BASELINE_LAG = 7
BASELINE_MIN = 14


def days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1)]


def window_values(series: Series, end: datetime.date, length: int) -> list[float]:
    """The logged values of the `length` days ending on `end` (inclusive)."""
    found = []
    for offset in range(length):
        value = series.get(end - datetime.timedelta(days=offset))
        if value is not None:
            found.append(value)
    return found


def rolling_mean(series: Series, day: datetime.date) -> float | None:
    values = window_values(series, day, ROLLING_DAYS)
    return round(statistics.fmean(values), 2) if len(values) >= ROLLING_MIN else None


@dataclass(frozen=True)
class Baseline:
    mean: float
    sd: float
    count: int

    @property
    def low(self) -> float:
        return round(max(0.0, self.mean - self.sd), 2)

    @property
    def high(self) -> float:
        return round(min(10.0, self.mean + self.sd), 2)


def baseline(series: Series, day: datetime.date) -> Baseline | None:
    values = window_values(series, day - datetime.timedelta(days=BASELINE_LAG), BASELINE_DAYS)
    if len(values) < BASELINE_MIN:
        return None
    mean = sum(values) / len(values)
    # Plain float arithmetic: statistics.pstdev's exact fractions are slow over a 5-year chart.
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    # Unrounded: the band rounds its edges, the cards and sentences show one decimal (lib.figures).
    return Baseline(mean, sd, len(values))


def mean_between(series: Series, start: datetime.date, end: datetime.date) -> tuple[float | None, int]:
    values = [v for d, v in series.items() if start <= d <= end and v is not None]
    return (one_decimal(statistics.fmean(values)) if values else None), len(values)


@dataclass(frozen=True)
class Week:
    start: datetime.date  # a Monday
    mean: float | None
    count: int


def weekly_means(series: Series, start: datetime.date, end: datetime.date) -> list[Week]:
    """Calendar weeks (Monday to Sunday) overlapping [start, end], with the mean of their logged days."""
    first_monday = start - datetime.timedelta(days=start.weekday())
    buckets: dict[datetime.date, list[float]] = {}
    for day, value in series.items():  # one pass: a long history has hundreds of weeks
        if start <= day <= end and value is not None:
            buckets.setdefault(day - datetime.timedelta(days=day.weekday()), []).append(value)
    weeks = []
    monday = first_monday
    while monday <= end:
        values = buckets.get(monday, [])
        weeks.append(Week(monday, one_decimal(statistics.fmean(values)) if values else None, len(values)))
        monday += datetime.timedelta(days=7)
    return weeks
