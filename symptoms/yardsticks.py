"""The figures patients and clinicians see, and the yardsticks they are judged by: one home for each.

Every screen, printout, export, FHIR resource, the worsening detector and the benchmarks take these
from here and nowhere else (issue 20). Each parameter with its source:

- **Now** is the mean of the last 7 days (at least 4 of them logged): NOW_DAYS, NOW_MIN.
- **Usual** is the patient's level before the current episode. While a worsening flag on the measure
  is open, it is the level that flag was raised against, frozen on the day it was raised (a level
  that already holds the rise would hide it). Otherwise it is the mean of the 42 days before the
  7-day "now" window (at least 14 of them logged), the worsening rule's own baseline window
  (flags.detection, docs/worsening-detection.md): USUAL_DAYS, USUAL_MIN. Six weeks: long enough that
  a week's noise (a day-to-day SD of about 1 point, correlated from day to day) moves the mean by a few
  tenths only; short enough to follow a patient who settles at a new level. The week between "usual"
  and "now" is "now" itself, so a change never drags its own yardstick along (docs/now-and-usual.md).
- **Clinically important change** on a 0-10 numeric rating scale: about 2 points or 30 %
  (CLINICALLY_IMPORTANT_POINTS, CLINICALLY_IMPORTANT_FRACTION). Source: Farrar JT et al., "Clinical
  importance of changes in chronic pain intensity measured on an 11-point numerical pain rating scale",
  Pain 2001;94:149-158; and the IMMPACT recommendations, Dworkin RH et al., J Pain 2008;9:105-121
  (moderately important change: >= 30 % or about 2 points). The app applies the same yardstick to
  every 0-10 measure; for mood (10 = best) only the 2 points count.
- **Direction**: which way is worse, per measure (symptoms.vocabulary.Measure.higher_is_worse): mood
  is 10 = best, every other measure 10 = worst. `higher_is_worse` and `on_worse_scale` ask it by name.
- **Rounding**: a mean is shown to one decimal with halves up (lib.figures.one_decimal); a change is the
  difference of the two means as shown (`change_shown`), so that the sentence adds up.

Pure functions: a series maps each logged date to its value (days not logged are absent, never 0).
"""

import datetime
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from lib.figures import one_decimal, percent_of

from .vocabulary import MEASURES

Series = Mapping[datetime.date, float]

CLINICALLY_IMPORTANT_POINTS = 2.0
CLINICALLY_IMPORTANT_FRACTION = 0.30
# The threshold in words, for every page that states it.
THRESHOLD_IN_SHORT = (
    f"{CLINICALLY_IMPORTANT_POINTS:g} points or {CLINICALLY_IMPORTANT_FRACTION * 100:.0f} % "
    f"(mood and sleep, where 10 = best: {CLINICALLY_IMPORTANT_POINTS:g} points)"
)

_HIGHER_IS_WORSE = {m.name: m.higher_is_worse for m in MEASURES}


def higher_is_worse(measure: str) -> bool:
    """Whether a higher value of the headline measure `measure` is worse (mood: 10 = best, so no)."""
    return _HIGHER_IS_WORSE[measure]


def on_worse_scale(measure: str, value: float) -> float:
    """`value` on a scale where higher is always worse: mood is mirrored (10 - mood), the rest as they are."""
    return value if higher_is_worse(measure) else 10 - value


def is_clinically_important(before: float, after: float, *, higher_is_worse: bool = True) -> bool:
    """Whether the change from `before` to `after` (0-10 means) reaches 2 points or 30 %.

    For mood (10 = best) only the 2 points count: 30 % of a good mood is not a yardstick of
    worsening, and the worsening rule asks for a fall in mood of 2 points or more.
    """
    change = abs(after - before)
    if not higher_is_worse:
        return change >= CLINICALLY_IMPORTANT_POINTS
    if change >= CLINICALLY_IMPORTANT_POINTS:
        return True
    return before > 0 and change / before >= CLINICALLY_IMPORTANT_FRACTION


def clinical_threshold(level: float, *, higher_is_worse: bool = True) -> float:
    """The smallest worsening from `level` (on a worse-is-higher scale) that is clinically important:
    2 points, or 30 % of a low level; always 2 points for a measure where 10 = best."""
    if not higher_is_worse or level <= 0:
        return CLINICALLY_IMPORTANT_POINTS
    return min(CLINICALLY_IMPORTANT_POINTS, CLINICALLY_IMPORTANT_FRACTION * level)


def mean_shown(values: Collection[float]) -> float | None:
    """The mean of the logged values as every page shows it (one decimal, halves up); None for none."""
    return one_decimal(sum(values) / len(values)) if values else None


def change_shown(before: float, after: float) -> float:
    """After minus before, in points, of two means as shown: 6.4 and 4.1 differ by 2.3."""
    return one_decimal(after - before)


NOW_DAYS = 7
NOW_MIN = 4  # a 7-day mean needs at least 4 logged days
USUAL_DAYS = 42
USUAL_MIN = 14
# The days "now against usual" on a day reads: that day and the 48 before it (the 7 of "now" and the
# 42 of "usual").
LOOKBACK_DAYS = NOW_DAYS + USUAL_DAYS


class DaySeries(Mapping[datetime.date, float]):
    """A series that answers windows by slicing a list by day: a chart asks hundreds of them.

    The same values in the same order as `window_values` on the plain mapping, so the same figures.
    """

    def __init__(self, values: Mapping[datetime.date, float]):
        self._values = dict(values)
        self._first = min(self._values).toordinal() if self._values else 0
        self._by_day: list[float | None] = [None] * (
            (max(self._values).toordinal() - self._first + 1) if self._values else 0
        )
        for day, value in self._values.items():
            self._by_day[day.toordinal() - self._first] = value
        self.memo: dict = {}  # what pages work out of the series more than once (dashboard.series.weekly_means)

    def __getitem__(self, day: datetime.date) -> float:
        return self._values[day]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    # The plain dictionary's own methods: Mapping's generic ones go through __getitem__ day by day.
    def __contains__(self, day: object) -> bool:
        return day in self._values

    def get(self, day, default=None):
        return self._values.get(day, default)

    def items(self):
        return self._values.items()

    def values(self):
        return self._values.values()

    def keys(self):
        return self._values.keys()

    def window(self, end: datetime.date, length: int) -> list[float]:
        stop = min(end.toordinal() - self._first + 1, len(self._by_day))
        start = max(end.toordinal() - length + 1 - self._first, 0)
        if stop <= start:
            return []
        return [v for v in reversed(self._by_day[start:stop]) if v is not None]


def window_values(series: Series, end: datetime.date, length: int) -> list[float]:
    """The logged values of the `length` days ending on `end` (inclusive), the latest first."""
    if isinstance(series, DaySeries):
        return series.window(end, length)
    found = []
    for offset in range(length):
        value = series.get(end - datetime.timedelta(days=offset))
        if value is not None:
            found.append(value)
    return found


@dataclass(frozen=True)
class Now:
    mean: float
    count: int  # days logged of NOW_DAYS
    days: int = NOW_DAYS


def now_level(series: Series, day: datetime.date) -> Now | None:
    """The 7-day mean ending on `day`, or None when fewer than 4 of those days were logged."""
    values = window_values(series, day, NOW_DAYS)
    if len(values) < NOW_MIN:
        return None
    return Now(sum(values) / len(values), len(values))


@dataclass(frozen=True)
class Usual:
    mean: float
    sd: float
    count: int  # days behind the mean
    flagged_on: datetime.date | None = None  # frozen: the day the open flag it comes from was raised

    @property
    def low(self) -> float:
        return round(max(0.0, self.mean - self.sd), 2)

    @property
    def high(self) -> float:
        return round(min(10.0, self.mean + self.sd), 2)


def _spread(values: list[float], mean: float) -> float:
    # Plain float arithmetic: statistics.pstdev's exact fractions are slow over a 5-year chart.
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) if values else 0.0


def usual_window_end(day: datetime.date) -> datetime.date:
    """The last day of the usual window for "now" ending on `day`: the day before that week."""
    return day - datetime.timedelta(days=NOW_DAYS)


def rolling_usual(series: Series, day: datetime.date) -> Usual | None:
    """The usual level for "now" ending on `day`, with no flag open: the 42 days before its week."""
    values = window_values(series, usual_window_end(day), USUAL_DAYS)
    if len(values) < USUAL_MIN:
        return None
    mean = sum(values) / len(values)
    return Usual(mean, _spread(values, mean), len(values))


class FlagLevel(Protocol):
    """What usual_level needs of a worsening flag (flags.models.Flag has it)."""

    date: datetime.date
    baseline_mean: float
    baseline_days: int
    resolved_on: datetime.date | None


def open_on(flag: FlagLevel, day: datetime.date) -> bool:
    """Whether the flag was open on `day`: raised on or before it, and not resolved by then."""
    return flag.date <= day and (flag.resolved_on is None or day < flag.resolved_on)


def flag_open_on[F: FlagLevel](flags: Iterable[F], day: datetime.date) -> F | None:
    """Of one measure's flags, the one open on `day` (the earliest, should there be two): while it is open,
    the usual level is the one it was raised against. Every screen asks this, so all agree."""
    return min((f for f in flags if open_on(f, day)), key=lambda f: f.date, default=None)


def frozen_usual(series: Series, flag: FlagLevel) -> Usual:
    """The level an open flag was raised against, frozen; its spread is that of the usual window then."""
    values = window_values(series, usual_window_end(flag.date), USUAL_DAYS)
    return Usual(flag.baseline_mean, _spread(values, flag.baseline_mean), flag.baseline_days, flagged_on=flag.date)


def usual_level(series: Series, day: datetime.date, open_flag: FlagLevel | None = None) -> Usual | None:
    """The patient's usual level of one measure on `day` (see the module's docstring)."""
    if open_flag is not None and open_flag.date <= day:
        return frozen_usual(series, open_flag)
    return rolling_usual(series, day)


@dataclass(frozen=True)
class Comparison:
    """Now against usual for one measure, with the figures as shown (one decimal, halves up)."""

    now: Now | None
    usual: Usual | None
    higher_is_worse: bool = True
    flagged: bool = False  # a worsening flag on this measure is open
    logged: int = 0  # days logged of the 7 (also when too few for a mean)

    @property
    def now_shown(self) -> float | None:
        return one_decimal(self.now.mean) if self.now else None

    @property
    def usual_shown(self) -> float | None:
        return one_decimal(self.usual.mean) if self.usual else None

    @property
    def comparable(self) -> bool:
        return self.now is not None and self.usual is not None

    @property
    def change(self) -> float | None:
        """Points, as the difference of the two means as shown (so that the sentence adds up)."""
        now, usual = self.now_shown, self.usual_shown
        return change_shown(usual, now) if now is not None and usual is not None else None

    @property
    def percent(self) -> int | None:
        change, usual = self.change, self.usual_shown
        if change is None or not usual:
            return None
        return percent_of(change, usual)

    @property
    def distance(self) -> float | None:
        """The change in points without its sign, e.g. for "1.2 below usual"."""
        return abs(self.change) if self.change is not None else None

    @property
    def side(self) -> str:
        """Where now stands against usual in words: 'above', 'below' or 'level with'."""
        if not self.change:
            return "level with"
        return "above" if self.change > 0 else "below"

    @property
    def important(self) -> bool:
        """Judged on the figures as shown, so that "2.0 above the usual 7.0" is never "not important"."""
        now, usual = self.now_shown, self.usual_shown
        return (
            now is not None
            and usual is not None
            and is_clinically_important(usual, now, higher_is_worse=self.higher_is_worse)
        )

    @property
    def worse_by(self) -> float:
        """How much worse now is than usual, in points (negative when better; 0 when not comparable)."""
        change = self.change
        if change is None:
            return 0.0
        return change if self.higher_is_worse else -change

    @property
    def verdict(self) -> str:
        """'worse', 'better' or 'steady' (no clinically important change); '' when there is too little.

        A measure with an open worsening flag is 'worse' until the flag resolves: no screen may say
        otherwise while the rule still sees the episode (PRODUCT.md, "No screen may contradict an open flag").
        """
        if self.flagged:
            return "worse"
        if not self.comparable:
            return ""
        if not self.important:
            return "steady"
        return "worse" if self.worse_by > 0 else "better"


def compare(
    series: Series, day: datetime.date, *, higher_is_worse: bool = True, open_flag: FlagLevel | None = None
) -> Comparison:
    """Now (the 7 days ending on `day`) against usual, for one measure."""
    flagged = open_flag is not None and open_flag.date <= day
    return Comparison(
        now_level(series, day),
        usual_level(series, day, open_flag if flagged else None),
        higher_is_worse=higher_is_worse,
        flagged=flagged,
        logged=len(window_values(series, day, NOW_DAYS)),
    )
