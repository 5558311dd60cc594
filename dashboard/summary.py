"""Summary cards, text summaries, the logging streak and the pain calendar. Pure functions."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from lib.figures import one_decimal
from symptoms.vocabulary import MEASURES, Measure
from symptoms.yardsticks import Comparison, DaySeries, FlagLevel, change_shown, compare, flag_open_on

from .ranges import DateRange
from .series import days, mean_between, weekly_means

CARD_MIN_DAYS = 7  # a period's mean is compared only when at least 7 days were logged

DailyMeasures = Mapping[datetime.date, Mapping[str, int | None]]


def measure_series(daily: DailyMeasures, measure: str) -> DaySeries:
    """One measure's logged days; worked out once per diary read (symptoms.selectors.Diary keeps it)."""
    kept = getattr(daily, "series", None)
    if kept is not None and measure in kept:
        return kept[measure]
    series = DaySeries({day: value for day, values in daily.items() if (value := values.get(measure)) is not None})
    if kept is not None:
        kept[measure] = series
    return series


@dataclass(frozen=True)
class Card:
    """One measure: now against usual first (symptoms.yardsticks), the range's mean against the previous range
    second."""

    measure: Measure
    now: Comparison  # the 7 days ending on the range's end, against the usual level then
    mean: float | None
    count: int
    previous_mean: float | None
    previous_count: int

    @property
    def flagged_on(self) -> datetime.date | None:
        return self.now.usual.flagged_on if self.now.usual else None

    @property
    def verdict(self) -> str:
        """'worse', 'better', 'steady' (no clinically important change) or '' (too little): now against usual."""
        return self.now.verdict

    @property
    def comparable(self) -> bool:
        """Whether the range's mean can be compared with the previous range's."""
        return self.count >= CARD_MIN_DAYS and self.previous_count >= CARD_MIN_DAYS

    @property
    def change(self) -> float | None:
        if not self.comparable or self.mean is None or self.previous_mean is None:
            return None
        return change_shown(self.previous_mean, self.mean)


class OpenFlag(FlagLevel, Protocol):
    measure: str


def flagged_measures(flags: Iterable[OpenFlag], day: datetime.date) -> dict[str, OpenFlag]:
    """Each measure's flag open on `day` (symptoms.yardsticks.flag_open_on), of any of the patient's flags."""
    by_measure: dict[str, list[OpenFlag]] = {}
    for flag in flags:
        by_measure.setdefault(flag.measure, []).append(flag)
    found = {measure: flag_open_on(of_measure, day) for measure, of_measure in by_measure.items()}
    return {measure: flag for measure, flag in found.items() if flag is not None}


def now_against_usual(
    daily: DailyMeasures, day: datetime.date, flags: Iterable[OpenFlag] = (), measures=MEASURES
) -> dict[str, Comparison]:
    """Each measure's last 7 days (ending on `day`) against its usual level, held at the level of a flag
    open on that day."""
    flagged = flagged_measures(flags, day)
    return {
        m.name: compare(
            measure_series(daily, m.name), day, higher_is_worse=m.higher_is_worse, open_flag=flagged.get(m.name)
        )
        for m in measures
    }


def summary_cards(daily: DailyMeasures, rng: DateRange, flags: Iterable[OpenFlag] = ()) -> list[Card]:
    """One card per measure; `flags` are the patient's worsening flags (those open at the range's end count)."""
    now = now_against_usual(daily, rng.end, flags)
    cards = []
    previous = rng.previous
    for measure in MEASURES:
        series = measure_series(daily, measure.name)
        mean, count = mean_between(series, rng.start, rng.end)
        previous_mean, previous_count = mean_between(series, previous.start, previous.end)
        cards.append(Card(measure, now[measure.name], mean, count, previous_mean, previous_count))
    return cards


@dataclass(frozen=True)
class TextSummary:
    measure: Measure
    sentence: str


def text_summaries(daily: DailyMeasures, rng: DateRange, flags: Iterable[OpenFlag] = ()) -> list[TextSummary]:
    """One plain sentence per measure: the chart's text alternative."""
    now = now_against_usual(daily, rng.end, flags)
    summaries = []
    for measure in MEASURES:
        series = measure_series(daily, measure.name)
        in_range = {d: v for d, v in series.items() if rng.start <= d <= rng.end}
        if not in_range:
            sentence = f"{measure.label}: nothing logged from {rng.start:%-d %b %Y} to {rng.end:%-d %b %Y}."
            summaries.append(TextSummary(measure, sentence))
            continue
        mean, count = mean_between(series, rng.start, rng.end)
        high_day = max(in_range, key=lambda d: (in_range[d], d))
        low_day = min(in_range, key=lambda d: (in_range[d], -d.toordinal()))
        parts = [
            f"{measure.label} ({'10 = best' if not measure.higher_is_worse else '10 = worst'}): "
            f"average {mean} over {count} logged day{'s' if count != 1 else ''} of {rng.days}",
            f"highest {in_range[high_day]} on {high_day:%-d %b %Y}, lowest {in_range[low_day]} on {low_day:%-d %b %Y}",
        ]
        comparison = now[measure.name]
        if comparison.now is not None:
            parts.append(f"last 7 days {comparison.now_shown}")
        usual = comparison.usual
        if usual is not None and usual.flagged_on is not None:
            # While a worsening is open, the usual level is the one it was measured against, not one
            # that already holds the rise. Short: the printed report has no line to spare.
            parts.append(f"usual {comparison.usual_shown} before the {usual.flagged_on:%-d %b} flag")
        elif usual is not None:
            # A no-break space: "(±1.1)." never starts a line of its own.
            parts.append(f"usual {comparison.usual_shown}\u00a0(±{one_decimal(usual.sd)})")
        summaries.append(TextSummary(measure, "; ".join(parts) + "."))
    return summaries


def logging_streak(logged: Iterable[datetime.date], today: datetime.date) -> int:
    """Days logged in a row, ending today (or yesterday, while today is still open)."""
    dates = set(logged)
    day = today if today in dates else today - datetime.timedelta(days=1)
    streak = 0
    while day in dates:
        streak += 1
        day -= datetime.timedelta(days=1)
    return streak


@dataclass(frozen=True)
class CalendarDay:
    date: datetime.date
    pain: int | None
    in_range: bool


CALENDAR_MAX_WEEKS = 53


def pain_calendar(daily: DailyMeasures, rng: DateRange) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the range's last year at most, each day with its pain (None = not logged)."""
    end = rng.end
    start = max(rng.start, end - datetime.timedelta(weeks=CALENDAR_MAX_WEEKS) + datetime.timedelta(days=1))
    first_monday = start - datetime.timedelta(days=start.weekday())
    last_sunday = end + datetime.timedelta(days=6 - end.weekday())
    cells = [
        CalendarDay(day, (daily.get(day) or {}).get("pain"), start <= day <= end)
        for day in days(first_monday, last_sunday)
    ]
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def weekly_table(daily: DailyMeasures, rng: DateRange) -> list[dict]:
    """The charts' table alternative: one row per calendar week with each measure's mean."""
    columns = {m.name: weekly_means(measure_series(daily, m.name), rng.start, rng.end) for m in MEASURES}
    rows = []
    for index, week in enumerate(columns[MEASURES[0].name]):
        week_days = days(max(week.start, rng.start), min(week.start + datetime.timedelta(days=6), rng.end))
        logged = sum(1 for d in week_days if any(v is not None for v in (daily.get(d) or {}).values()))
        rows.append({"start": week.start, "logged": logged, "means": [columns[m.name][index].mean for m in MEASURES]})
    return list(reversed(rows))
