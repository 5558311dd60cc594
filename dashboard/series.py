"""Daily series of one measure, and what the charts draw from them. Pure functions.

A series maps each logged date to its value; days not logged are absent (never zero).
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from symptoms.yardsticks import mean_shown, now_level

Series = Mapping[datetime.date, float]

# The 7-day mean ("now") and the patient's usual level have one home: symptoms/yardsticks.py.


def days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1)]


def rolling_mean(series: Series, day: datetime.date) -> float | None:
    """The chart's 7-day mean on `day` (symptoms.yardsticks.now_level), None for a gap."""
    now = now_level(series, day)
    return round(now.mean, 2) if now is not None else None


def mean_between(series: Series, start: datetime.date, end: datetime.date) -> tuple[float | None, int]:
    values = [v for d, v in series.items() if start <= d <= end and v is not None]
    return mean_shown(values), len(values)


@dataclass(frozen=True)
class Week:
    start: datetime.date  # a Monday
    mean: float | None
    count: int


def weekly_means(series: Series, start: datetime.date, end: datetime.date) -> list[Week]:
    """Calendar weeks (Monday to Sunday) overlapping [start, end], with the mean of their logged days."""
    memo = getattr(series, "memo", None)  # a DaySeries keeps them: the chart and the table both ask
    if memo is not None and ("weeks", start, end) in memo:
        return memo["weeks", start, end]
    first_monday = start - datetime.timedelta(days=start.weekday())
    buckets: dict[datetime.date, list[float]] = {}
    for day, value in series.items():  # one pass: a long history has hundreds of weeks
        if start <= day <= end and value is not None:
            buckets.setdefault(day - datetime.timedelta(days=day.weekday()), []).append(value)
    weeks = []
    monday = first_monday
    while monday <= end:
        values = buckets.get(monday, [])
        weeks.append(Week(monday, mean_shown(values), len(values)))
        monday += datetime.timedelta(days=7)
    if memo is not None:
        memo["weeks", start, end] = weeks
    return weeks
