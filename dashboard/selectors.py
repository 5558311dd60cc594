"""Everything the dashboard of one patient needs, in a fixed number of queries."""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from accounts.models import User
from assessments.selectors import AssessmentRecord, Due, assessment_record, next_appointment
from flags.models import Flag
from flags.selectors import NewDiary, flag_history, new_diary, still_learning, with_now
from symptoms.selectors import daily_measures, diary_size, logged_dates
from symptoms.signs import DETAIL_MEASURE_FIELDS, SIGN_FIELDS, SignsTable, signs_table
from symptoms.vocabulary import MEASURES, Measure
from symptoms.yardsticks import LOOKBACK_DAYS
from treatments import selectors as treatment_selectors
from treatments.models import Therapy

from .charts import FlagMark, ScorePanel, TreatmentMark, scores_figure, trend_figure
from .ranges import DateRange, date_range
from .summary import (
    CalendarDay,
    Card,
    DailyMeasures,
    TextSummary,
    logging_streak,
    pain_calendar,
    summary_cards,
    text_summaries,
    weekly_table,
)

STREAK_LOOKBACK_DAYS = 400
# The diary's detail the signs table, the signs strip and the detail rows read (with the measures).
SIGNS_DETAIL = (*SIGN_FIELDS, *DETAIL_MEASURE_FIELDS)


def _period(start: datetime.date, end: datetime.date | None) -> str:
    return f"{start:%-d %b %Y} to {end:%-d %b %Y}" if end else f"since {start:%-d %b %Y}"


def treatment_marks(
    patient: User, *, until: datetime.date, records: treatment_selectors.Records | None = None
) -> list[TreatmentMark]:
    """The patient's treatments as chart marks. Six queries (a therapy's sessions are not drawn), none
    when the page has read the `records` already."""
    therapies: Iterable[Therapy]  # without their sessions when read here
    if records is None:
        medications, therapies = treatment_selectors.medications(patient), Therapy.objects.filter(patient=patient)
        devices, procedures = treatment_selectors.devices(patient), treatment_selectors.procedures(patient)
    else:
        medications, therapies = records.medications, records.therapies
        devices, procedures = records.devices, records.procedures
    marks = []
    for med in medications:
        for dose in med.doses.all():
            period = _period(dose.started_on, dose.stopped_on)
            marks.append(
                TreatmentMark(
                    "medication",
                    med.name,
                    dose.started_on,
                    dose.stopped_on,
                    f"{med.name} {dose}, {period}",
                    marks_start=True,
                )
            )
    for therapy in therapies:
        period = _period(therapy.started_on, therapy.ended_on)
        lane = therapy.get_category_display().replace(" therapy", "")
        marks.append(
            TreatmentMark(
                "therapy", lane, therapy.started_on, therapy.ended_on, f"{therapy.name}, {period}", marks_start=True
            )
        )
    for device in devices:
        marks.append(
            TreatmentMark(
                "neurostimulation", "Stimulator", device.implanted_on, device.removed_on, device.name, marks_start=True
            )
        )
        marks.extend(
            TreatmentMark(
                "neurostimulation", "Stimulator", change.date, None, f"Reprogrammed: {change.note}", span=False
            )
            for change in device.programming_changes.all()
        )
    for procedure in procedures:
        planned = procedure.performed_on > until
        hover = f"{'Planned: ' if planned else ''}{procedure.name}, {procedure.performed_on:%-d %b %Y}"
        if procedure.helped_rating is not None:
            hover += f"; helped {procedure.helped_rating}/10"
        marks.append(
            TreatmentMark(
                "procedure", "Procedures", procedure.performed_on, None, hover, span=False, marks_start=not planned
            )
        )
    return marks


def flag_mark(flag: Flag) -> FlagMark:
    return FlagMark(
        flag.measure,
        flag.date,
        f"{flag.get_kind_display()}: {flag.reason}",
        baseline_mean=flag.baseline_mean,
        baseline_days=flag.baseline_days,
        resolved_on=flag.resolved_on,
    )


@dataclass(frozen=True)
class Dashboard:
    """What a dashboard shows. The figure, cards, sentences and tables are worked out when a page first
    asks for them: a page whose body is kept (lib.pages) never does."""

    range: DateRange
    today: datetime.date
    today_entry: Mapping[str, object] | None  # today's measures and detail, from the diary read
    streak: int
    logged_days: int
    flags: list[Flag]  # every flag, newest first; the open ones with where they stand now (flags.selectors.with_now)
    open_flags: list[Flag]
    new_diary: NewDiary | None  # while the diary is too young to be watched for a worsening
    still_learning: bool  # watched, but young: only clear changes are flagged yet
    daily: DailyMeasures  # the diary the figures come from
    marks: list[TreatmentMark]
    flag_marks: list[FlagMark]
    signs_strip: bool = True
    measure_height: int | None = None
    measures: tuple[Measure, ...] = MEASURES

    @cached_property
    def figure(self) -> dict:
        height = {"measure_height": self.measure_height} if self.measure_height else {}
        return trend_figure(self.daily, self.range, self.marks, self.flag_marks, signs_strip=self.signs_strip, **height)

    @cached_property
    def cards(self) -> list[Card]:
        return summary_cards(self.daily, self.range, self.flags)

    @cached_property
    def summaries(self) -> list[TextSummary]:
        return text_summaries(self.daily, self.range, self.flags)

    @cached_property
    def weeks(self) -> list[dict]:
        return weekly_table(self.daily, self.range)

    @cached_property
    def calendar(self) -> list[list[CalendarDay]]:
        return pain_calendar(self.daily, self.range)

    @cached_property
    def signs(self) -> SignsTable | None:
        """The CRPS signs and detail ratings at the range's end (symptoms.signs)."""
        return signs_table(self.daily, self.range.end)


def dashboard(
    patient: User,
    params,
    *,
    today: datetime.date,
    measure_height: int | None = None,
    signs_strip: bool = True,
    records: treatment_selectors.Records | None = None,
) -> Dashboard:
    """The dashboard for the range asked for in `params`. Ten queries whatever the history length (four
    when the page has read the treatment `records` already)."""
    first_entry, logged_in_all = diary_size(patient)
    rng = date_range(params, today=today, first_entry=first_entry)
    # The previous period (for the cards) and the usual level's window before the range start.
    read_from = rng.previous.start - datetime.timedelta(days=LOOKBACK_DAYS - 1)
    # To today, whatever the range: open flags say where each measure stands now.
    daily = daily_measures(patient, read_from, max(rng.end, today), detail=SIGNS_DETAIL)
    recent = logged_dates(patient, today - datetime.timedelta(days=STREAK_LOOKBACK_DAYS - 1), today)
    flags = with_now(flag_history(patient), daily, today)
    new = new_diary(first_entry, logged_in_all, recent, today)
    return Dashboard(
        range=rng,
        today=today,
        today_entry=daily.get(today),
        streak=logging_streak(recent, today),
        logged_days=sum(1 for d in daily if rng.start <= d <= rng.end),
        flags=flags,
        open_flags=[f for f in flags if f.is_open],
        new_diary=new,
        still_learning=still_learning(first_entry, new, today),
        daily=daily,
        marks=treatment_marks(patient, until=today, records=records),
        flag_marks=[flag_mark(f) for f in flags],
        signs_strip=signs_strip,
        measure_height=measure_height,
    )


@dataclass(frozen=True)
class Questionnaires:
    """A patient's questionnaires on a page: the record (assessments.selectors), what is due, the chart."""

    record: AssessmentRecord
    today: datetime.date
    visit: Callable[[], datetime.date | None]  # the next appointment, read only if needed

    @cached_property
    def due(self) -> list[Due]:
        return self.record.due(self.today, self.visit)

    @cached_property
    def figure(self) -> dict | None:
        """A small panel per questionnaire answered, and the CRPS Severity Score's once one is scored."""
        panels = [
            ScorePanel(
                s.instrument.short,
                s.instrument.score_max,
                self.record.series(s.instrument.code),
                [band.start for band in s.instrument.bands],
            )
            for s in self.record.summaries
        ]
        if self.record.css:
            panels.append(ScorePanel("CSS", 17, [(c.date, c.score) for c in self.record.css]))
        return scores_figure(panels) if panels else None


def questionnaires(patient: User, today: datetime.date) -> Questionnaires:
    """Three queries, and the next appointment when the CSS symptoms may be due before it."""
    return Questionnaires(assessment_record(patient), today, lambda: next_appointment(patient, today))
