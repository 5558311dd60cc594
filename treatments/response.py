"""Before/after summaries: what the diary shows around a treatment's start. Pure functions.

For each headline measure: the mean over the 14 days before the start date against the
mean over the 14 days from the start date on, with the number of diary days behind each,
and whether the change reaches the clinically important difference (symptoms.clinical).
An observation, not proof: other things change too.
"""

import datetime
import statistics
from collections.abc import Mapping
from dataclasses import dataclass

from symptoms.clinical import is_clinically_important
from symptoms.vocabulary import MEASURES, Measure

WINDOW_DAYS = 14
# A mean needs at least half its window logged before it is shown.
MIN_DAYS = 7

DailyMeasures = Mapping[datetime.date, Mapping[str, int | None]]


@dataclass(frozen=True)
class MeasureChange:
    measure: Measure
    before_mean: float | None
    before_days: int
    after_mean: float | None
    after_days: int

    @property
    def enough_data(self) -> bool:
        return self.before_days >= MIN_DAYS and self.after_days >= MIN_DAYS

    @property
    def change(self) -> float | None:
        if not self.enough_data:
            return None
        return round(self.after_mean - self.before_mean, 1)

    @property
    def important(self) -> bool:
        return self.enough_data and is_clinically_important(
            self.before_mean, self.after_mean, higher_is_worse=self.measure.higher_is_worse
        )

    @property
    def direction(self) -> str:
        """'better', 'worse' or 'unchanged' (no clinically important change)."""
        if not self.important:
            return "unchanged"
        went_up = self.after_mean > self.before_mean
        return "worse" if went_up == self.measure.higher_is_worse else "better"

    @property
    def percent(self) -> int | None:
        if not self.enough_data or not self.before_mean:
            return None
        return round(100 * (self.after_mean - self.before_mean) / self.before_mean)


@dataclass(frozen=True)
class TreatmentResponse:
    start: datetime.date
    changes: tuple[MeasureChange, ...]

    @property
    def enough_data(self) -> bool:
        return any(change.enough_data for change in self.changes)

    @property
    def complete(self) -> bool:
        """Both windows have passed (the after window may still be filling)."""
        return all(change.enough_data for change in self.changes)

    @property
    def important_changes(self) -> list[MeasureChange]:
        return [change for change in self.changes if change.important]


def _mean(values: list[int]) -> float | None:
    return round(statistics.fmean(values), 1) if values else None


def treatment_response(daily: DailyMeasures, start: datetime.date) -> TreatmentResponse:
    """The before/after summary for a treatment that started on `start`."""
    before = [start - datetime.timedelta(days=d) for d in range(1, WINDOW_DAYS + 1)]
    after = [start + datetime.timedelta(days=d) for d in range(WINDOW_DAYS)]
    changes = []
    for measure in MEASURES:
        before_values = [v for day in before if (v := daily.get(day, {}).get(measure.name)) is not None]
        after_values = [v for day in after if (v := daily.get(day, {}).get(measure.name)) is not None]
        changes.append(
            MeasureChange(
                measure=measure,
                before_mean=_mean(before_values),
                before_days=len(before_values),
                after_mean=_mean(after_values),
                after_days=len(after_values),
            )
        )
    return TreatmentResponse(start=start, changes=tuple(changes))


def response_window(start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The diary dates a response for `start` reads."""
    return start - datetime.timedelta(days=WINDOW_DAYS), start + datetime.timedelta(days=WINDOW_DAYS - 1)
