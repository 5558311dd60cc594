"""What the diary shows around a treatment, in windows that fit the treatment. Pure functions.

Each kind of treatment is read over its own pair of windows (docs/treatment-response.md says why):

- a nerve block or other injection acts within hours and wears off within days:
  days 1-7 after it against the 7 days before (`block_window`);
- a medication, a dose change, botulinum toxin or a permanent stimulator takes weeks to titrate or to
  act: days 15-42 after against the 14 days before (`titration_window`);
- a therapy course: the last 2 weeks of the course (of the course so far while it runs) against the
  2 weeks before it (`course_window`);
- a stimulator trial: the trial against the 14 days before it (`trial_window`).
Diagnostic tests get no window.

Per headline measure: the mean of each window over the days logged (a day not logged is left out,
never counted as zero), shown once at least half of each window's days are logged, and whether the
difference reaches the clinically important difference (symptoms.yardsticks). Until the after window has
passed, the answer is "too early to tell". An association, never proof of an effect: the wording says
"higher" and "lower", never "better" or "worse".
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from lib.figures import days_in_words, percent_of
from symptoms.vocabulary import MEASURES, Measure
from symptoms.yardsticks import THRESHOLD_IN_SHORT, change_shown, is_clinically_important, mean_shown

DailyMeasures = Mapping[datetime.date, Mapping[str, int | None]]
DAY = datetime.timedelta(days=1)
DASH = "\u2013"  # the en dash of a range of days, as in "days 1 to 7" written with it

# A local anaesthetic block acts within hours and wears off within days.
BLOCK_DAYS = 7
# Gabapentinoids and tricyclics are titrated over 2-4 weeks and judged after 4-8: skip the first 2 weeks,
# then read 4 weeks (days 15-42).
TITRATION_BEFORE_DAYS = 14
TITRATION_AFTER_FIRST, TITRATION_AFTER_LAST = 15, 42
# A therapy course: the 2 weeks before it against its last 2 weeks.
COURSE_DAYS = 14
# A stimulator trial (typically 5-10 days) against the 14 days before it; a trial without a recorded end is
# read over its first 7 days.
TRIAL_BEFORE_DAYS = 14
OPEN_TRIAL_DAYS = 7


THRESHOLD_WORDS = f"A clinically important difference is one of at least {THRESHOLD_IN_SHORT}; Farrar 2001, IMMPACT."


@dataclass(frozen=True)
class Span:
    """Consecutive diary days, both ends included."""

    first: datetime.date
    last: datetime.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def needed(self) -> int:
        """The logged days a mean needs before it is shown: at least half the window."""
        return (self.days + 1) // 2

    def dates(self) -> list[datetime.date]:
        return [self.first + offset * DAY for offset in range(self.days)]


@dataclass(frozen=True)
class ResponseWindow:
    """Which diary days a response compares, and how to say so."""

    before: Span
    after: Span
    before_words: str  # "the 7 days before"
    after_words: str  # "days 1-7 after the block" (with an en dash)
    ready_on: datetime.date  # from this day on the after window has passed (or is long enough)
    note: str = ""  # why this window, where it is not the usual one for its kind
    not_read: str = ""  # why there is nothing to compare (the treatment stopped before its window)

    @property
    def words(self) -> str:
        """ "days 1-7 after the block against the 7 days before" (|capfirst it to start a sentence)."""
        return f"{self.after_words} against {self.before_words}"

    @property
    def first(self) -> datetime.date:
        return min(self.before.first, self.after.first)

    @property
    def last(self) -> datetime.date:
        return max(self.before.last, self.after.last)


def block_window(day: datetime.date, *, noun: str = "the block") -> ResponseWindow:
    """A nerve block or injection: days 1-7 after against the 7 days before (the day itself is left out)."""
    return ResponseWindow(
        before=Span(day - BLOCK_DAYS * DAY, day - DAY),
        after=Span(day + DAY, day + BLOCK_DAYS * DAY),
        before_words=f"the {BLOCK_DAYS} days before",
        after_words=f"days 1{DASH}{BLOCK_DAYS} after {noun}",
        ready_on=day + BLOCK_DAYS * DAY,
    )


def titration_window(
    day: datetime.date,
    *,
    after: str = "after starting",
    stopped_on: datetime.date | None = None,
    note: str = "",
) -> ResponseWindow:
    """A medication's start or dose change (or anything that takes weeks): days 15-42 after against the
    14 days before. A medication stopped within the 42 days is read up to its stop; stopped before day 15,
    it is not read at all (the days after a stop say nothing about taking it)."""
    before = Span(day - TITRATION_BEFORE_DAYS * DAY, day - DAY)
    after_span = Span(day + TITRATION_AFTER_FIRST * DAY, day + TITRATION_AFTER_LAST * DAY)
    last_day = TITRATION_AFTER_LAST
    not_read = ""
    if stopped_on is not None and stopped_on < after_span.last:
        stop_day = (stopped_on - day).days
        if stopped_on < after_span.first:
            not_read = (
                f"Not compared: it was stopped on day {stop_day}, before day {TITRATION_AFTER_FIRST} "
                "(a medication needs 2 weeks or more to show what it does)."
            )
        else:
            last_day = stop_day
            after_span = Span(after_span.first, stopped_on)
            note = f"It was stopped on day {stop_day}, so the days after it are read up to the stop."
    return ResponseWindow(
        before=before,
        after=after_span,
        before_words=f"the {TITRATION_BEFORE_DAYS} days before",
        after_words=f"days {TITRATION_AFTER_FIRST}{DASH}{last_day} {after}",
        ready_on=after_span.last,
        note=note,
        not_read=not_read,
    )


def course_window(started_on: datetime.date, ended_on: datetime.date | None, *, today: datetime.date) -> ResponseWindow:
    """A therapy course: its last 2 weeks against the 2 weeks before it. While it runs, its last 2 weeks so
    far, once it has run 2 weeks; a course shorter than 2 weeks is read whole."""
    before = Span(started_on - COURSE_DAYS * DAY, started_on - DAY)
    before_words = "the 2 weeks before the course"
    if ended_on is not None and ended_on <= today:
        after = Span(max(started_on, ended_on - (COURSE_DAYS - 1) * DAY), ended_on)
        if after.days == COURSE_DAYS:
            words = "the last 2 weeks of the course"
        else:
            words = f"the whole course ({days_in_words(after.days)})"
        return ResponseWindow(before, after, before_words, words, ready_on=ended_on)
    two_weeks_in = started_on + (COURSE_DAYS - 1) * DAY
    end = max(today, two_weeks_in)
    after = Span(end - (COURSE_DAYS - 1) * DAY, end)
    return ResponseWindow(before, after, before_words, "the last 2 weeks so far", ready_on=two_weeks_in)


def trial_window(implanted_on: datetime.date, removed_on: datetime.date | None) -> ResponseWindow:
    """A stimulator trial: the trial days (from the day after the implant to the day before the removal)
    against the 14 days before it."""
    before = Span(implanted_on - TRIAL_BEFORE_DAYS * DAY, implanted_on - DAY)
    before_words = f"the {TRIAL_BEFORE_DAYS} days before the trial"
    if removed_on is None:
        after = Span(implanted_on + DAY, implanted_on + OPEN_TRIAL_DAYS * DAY)
        return ResponseWindow(
            before,
            after,
            before_words,
            f"days 1{DASH}{OPEN_TRIAL_DAYS} of the trial",
            ready_on=after.last,
            note=f"No end of the trial is recorded, so its first {OPEN_TRIAL_DAYS} days are read. "
            "Add the removal date to read the whole trial.",
        )
    after = Span(implanted_on + DAY, max(implanted_on + DAY, removed_on - DAY))
    days = "day 1" if after.days == 1 else f"days 1{DASH}{after.days}"
    return ResponseWindow(before, after, before_words, f"the trial ({days} after the implant)", ready_on=after.last)


@dataclass(frozen=True)
class MeasureChange:
    """One measure over the two windows. Means are rounded as shown, and judged as shown."""

    measure: Measure
    before_mean: float | None
    before_days: int
    after_mean: float | None
    after_days: int
    before_needed: int
    after_needed: int

    @property
    def label(self) -> str:
        return self.measure.label if self.measure.higher_is_worse else f"{self.measure.label} (10 = best)"

    @property
    def enough_data(self) -> bool:
        return self.before_days >= max(1, self.before_needed) and self.after_days >= max(1, self.after_needed)

    @property
    def means(self) -> tuple[float, float] | None:
        """The before and after means, when both windows have enough days."""
        if not self.enough_data or self.before_mean is None or self.after_mean is None:
            return None
        return self.before_mean, self.after_mean

    @property
    def change(self) -> float | None:
        """After minus before, in points (of the means as shown)."""
        means = self.means
        if means is None:
            return None
        return change_shown(*means)

    @property
    def percent(self) -> int | None:
        """The change as a percentage of the before mean; only where the 30 % yardstick applies."""
        change = self.change
        if change is None or not self.before_mean or not self.measure.higher_is_worse:
            return None
        return percent_of(change, self.before_mean)

    @property
    def percent_words(self) -> str:
        """ "+20 %", "\u221243 %" (a true minus sign), or "" where no percentage applies."""
        if not self.percent:
            return ""
        return f"+{self.percent} %" if self.percent > 0 else f"\u2212{-self.percent} %"

    @property
    def important(self) -> bool:
        means = self.means
        if means is None:
            return False
        before, after = means
        return is_clinically_important(before, after, higher_is_worse=self.measure.higher_is_worse)

    @property
    def difference_words(self) -> str:
        """ "1.2 higher", "0.5 lower", "the same" ("" without enough data)."""
        if self.change is None:
            return ""
        if self.change == 0:
            return "the same"
        return f"{abs(self.change)} {'higher' if self.change > 0 else 'lower'}"

    @property
    def verdict(self) -> str:
        return "a clinically important difference" if self.important else "no clinically important difference"


@dataclass(frozen=True)
class TreatmentResponse:
    window: ResponseWindow
    changes: tuple[MeasureChange, ...]
    too_early: bool

    @property
    def enough_data(self) -> bool:
        """Something to show: the window has passed and at least one measure has enough days."""
        return not self.too_early and not self.window.not_read and any(c.enough_data for c in self.changes)

    @property
    def important_changes(self) -> list[MeasureChange]:
        return [change for change in self.changes if change.important] if self.enough_data else []

    threshold_words = THRESHOLD_WORDS

    @property
    def too_early_words(self) -> str:
        return (
            f"Too early to tell: this compares {self.window.words}, "
            f"so it can be read from {self.window.ready_on:%-d %b %Y}."
        )

    @property
    def too_little_words(self) -> str:
        before, after = self.window.before, self.window.after
        return (
            f"Too little diary data to compare {self.window.words}: each needs at least half its days logged "
            f"({before.needed} of {before.days} before, {after.needed} of {after.days} after)."
        )

    def sentence(self, change: MeasureChange) -> str:
        """ "Pain was 1.2 higher in days 15-42 after starting than in the 14 days before (a clinically
        important difference)." """
        if change.change == 0:
            middle = f"the same in {self.window.after_words} as in {self.window.before_words}"
        else:
            middle = f"{change.difference_words} in {self.window.after_words} than in {self.window.before_words}"
        return f"{change.label} was {middle} ({change.verdict})."

    @property
    def sentences(self) -> list[str]:
        """A sentence for each clinically important difference, or one saying there is none."""
        if not self.enough_data:
            return []
        if important := self.important_changes:
            return [self.sentence(change) for change in important]
        shown = [change.label.lower() for change in self.changes if change.enough_data]
        which = "any measure" if len(shown) == len(self.changes) else _and(shown)
        window = self.window
        return [
            f"No clinically important difference in {which} between {window.after_words} and {window.before_words}."
        ]

    @property
    def brief(self) -> str:
        """The summary where there is something to compare; else why not, in a few words (the report)."""
        if self.window.not_read:
            return self.window.not_read
        if self.too_early:
            return f"Too early to tell: {self.window.words} can be read from {self.window.ready_on:%-d %b %Y}."
        if not self.enough_data:
            return f"Too little diary data to compare {self.window.words}."
        return self.summary

    @property
    def summary(self) -> str:
        """One line for a timeline: the window, then each measure in a few words."""
        if self.window.not_read:
            return self.window.not_read
        if self.too_early:
            return self.too_early_words
        if not self.enough_data:
            return self.too_little_words
        shown = [change for change in self.changes if change.enough_data]
        important = [f"{c.label.lower()} {c.difference_words}" for c in shown if c.important]
        others = [c.label.lower() for c in shown if not c.important]
        missing = [c.label.lower() for c in self.changes if not c.enough_data]
        parts = []
        if important:
            plural = "s" if len(important) > 1 else ""
            parts.append(f"{_and(important)} (clinically important difference{plural})")
        if others:
            which = "any measure" if not important and not missing else _and(others)
            parts.append(f"no clinically important difference in {which}")
        if missing:
            parts.append(f"too little data for {_and(missing)}")
        return f"{_capfirst(self.window.words)}: {'; '.join(parts)}."


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _values(daily: DailyMeasures, span: Span, name: str) -> list[int]:
    return [value for day in span.dates() if (value := daily.get(day, {}).get(name)) is not None]


def treatment_response(daily: DailyMeasures, window: ResponseWindow, *, today: datetime.date) -> TreatmentResponse:
    """The diary's headline measures over `window`, as of `today`."""
    changes = []
    for measure in MEASURES:
        before = _values(daily, window.before, measure.name)
        after = _values(daily, window.after, measure.name)
        changes.append(
            MeasureChange(
                measure=measure,
                before_mean=mean_shown(before),
                before_days=len(before),
                after_mean=mean_shown(after),
                after_days=len(after),
                before_needed=window.before.needed,
                after_needed=window.after.needed,
            )
        )
    return TreatmentResponse(
        window=window, changes=tuple(changes), too_early=not window.not_read and today < window.ready_on
    )


def relief_in_words(percent: int | None, days: int | None) -> str:
    """What the patient recorded after a procedure: "50 % relief for 4 days", "relief for 4 days",
    "50 % relief", "no relief", or "" when nothing is recorded."""
    if percent == 0:
        return "no relief"
    relief = f"{percent} % relief" if percent is not None else "relief"
    if days is None:
        return relief if percent is not None else ""
    if days == 0:
        return f"{relief} for less than a day"
    return f"{relief} for {days_in_words(days)}"
