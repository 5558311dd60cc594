"""What the pages show of the questionnaires and assessments. Each read is scoped to one patient."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Max

from accounts.models import User
from symptoms.selectors import daily_measures
from symptoms.signs import SIGN_FIELDS, SIGNS, count_days

from .instruments import (
    BUDAPEST,
    CSS_SIGNS,
    CSS_SYMPTOMS,
    PATIENT_INSTRUMENTS,
    BudapestResult,
    Instrument,
    budapest,
    css_change_words,
    css_total,
    peg_change_words,
)
from .models import Response, SafetyAlert, Schedule

# The CSS symptoms are asked before an appointment this many days ahead, unless answered in the last
# CSS_RECENT_DAYS days.
BEFORE_APPOINTMENT_DAYS = 7
CSS_RECENT_DAYS = 14
# A clinician's examination and the patient's symptoms make one CSS when the patient answered within this
# many days before the examination, or up to CSS_AFTER_DAYS after it.
CSS_PAIRING_DAYS = 30
CSS_AFTER_DAYS = 7
# A CSS symptom is suggested by the diary when present on most of at least this many recorded days of 7.
PREFILL_DAYS = 7
PREFILL_MIN_RECORDED = 3

# The patient's next appointment, for "before each appointment": careteam owns appointments and registers
# its reader here (careteam/apps.py), so that this app never reaches up to it.
next_appointment_readers: list[Callable[[User, datetime.date], datetime.date | None]] = []


def next_appointment(patient: User, today: datetime.date) -> datetime.date | None:
    dates = [d for reader in next_appointment_readers if (d := reader(patient, today)) is not None]
    return min(dates, default=None)


def schedules(patient: User) -> dict[str, int]:
    """Each patient questionnaire's interval in days (0: not asked), the default unless changed. One query."""
    chosen = dict(Schedule.objects.filter(patient=patient).values_list("instrument", "every_days"))
    return {i.code: chosen.get(i.code, i.every_days) for i in PATIENT_INSTRUMENTS}


@dataclass(frozen=True)
class Due:
    instrument: Instrument
    reason: str  # "weekly", "monthly", "before your appointment on 12 Dec"...


def _every(days: int) -> str:
    return {7: "weekly", 14: "every two weeks", 30: "monthly"}.get(days, f"every {days} days")


def due(patient: User, today: datetime.date) -> list[Due]:
    """The questionnaires to offer today. Three queries (schedules, last answers, next appointment)."""
    every = schedules(patient)
    last = dict(
        Response.objects.filter(patient=patient, instrument__in=every)
        .values("instrument")
        .annotate(last=Max("completed_on"))
        .values_list("instrument", "last")
    )
    return due_from(every, last, today, lambda: next_appointment(patient, today))


def due_from(
    every: dict[str, int],
    last: dict[str, datetime.date],
    today: datetime.date,
    visit: Callable[[], datetime.date | None],
) -> list[Due]:
    """What is due from each questionnaire's interval and its last answer or skip; the CSS symptoms also in
    the week before an appointment (`visit`, asked only then) unless answered in the last two weeks."""
    found = []
    for instrument in PATIENT_INSTRUMENTS:
        days, answered = every[instrument.code], last.get(instrument.code)
        if days and (answered is None or (today - answered).days >= days):
            found.append(Due(instrument, _every(days)))
    if not any(d.instrument is CSS_SYMPTOMS for d in found):
        answered = last.get(CSS_SYMPTOMS.code)
        recent = answered is not None and (today - answered).days < CSS_RECENT_DAYS
        appointment = None if recent else visit()
        if appointment is not None and (appointment - today).days <= BEFORE_APPOINTMENT_DAYS:
            found.append(Due(CSS_SYMPTOMS, f"before your appointment on {appointment:%-d %b}"))
    return found


# The CSS symptoms the diary can suggest, from the diary's signs (symptoms.signs).
PREFILL_FROM_SIGNS = {
    "allodynia_hyperalgesia": "allodynia",
    "temperature_asymmetry": "temperature_difference",
    "skin_colour_asymmetry": "skin_colour_change",
    "sweating_asymmetry": "sweating_change",
    "asymmetric_oedema": "swelling",
    "motor_changes": "tremor_or_dystonia",
}


@dataclass(frozen=True)
class Suggestion:
    value: int  # 1 yes, 0 no
    shown: str  # "present on 5 of 6 recorded days in your diary this week"


def css_suggestions(patient: User, today: datetime.date) -> dict[str, Suggestion]:
    """What the diary of the last 7 days suggests for the CSS symptoms: yes when the sign was present on most
    recorded days, no when on few, nothing when recorded on fewer than 3 days. One query."""
    start = today - datetime.timedelta(days=PREFILL_DAYS - 1)
    daily = daily_measures(patient, start, today, detail=SIGN_FIELDS)
    signs = {sign.key: sign for sign in SIGNS}
    found = {}
    for item, key in PREFILL_FROM_SIGNS.items():
        count = count_days(signs[key], daily, today, PREFILL_DAYS)
        if count.recorded >= PREFILL_MIN_RECORDED:
            found[item] = Suggestion(
                int(count.present * 2 > count.recorded),
                f"present on {count.shown} this week",
            )
    return found


def history(patient: User, code: str) -> list[Response]:
    """The completed responses of one instrument, oldest first. One query."""
    return list(Response.objects.filter(patient=patient, instrument=code, skipped=False).order_by("completed_on"))


@dataclass(frozen=True)
class CssScore:
    date: datetime.date  # the examination's
    score: int
    symptoms: Response
    signs: Response
    change_words: str = ""


def css_scores(patient: User) -> list[CssScore]:
    """Each CRPS Severity Score, oldest first. One query."""
    rows = Response.objects.filter(patient=patient, instrument__in=[CSS_SYMPTOMS.code, CSS_SIGNS.code])
    return css_pairs(list(rows.order_by("completed_on")))


def css_pairs(responses: list[Response]) -> list[CssScore]:
    """Each CRPS Severity Score in `responses` (oldest first): a clinician's examination with the patient's
    symptoms answered within 30 days before it (or 7 after), the nearest."""
    done = [r for r in responses if not r.skipped]
    symptoms = [r for r in done if r.instrument == CSS_SYMPTOMS.code]
    scores: list[CssScore] = []
    for exam in (r for r in done if r.instrument == CSS_SIGNS.code):
        near = [s for s in symptoms if -CSS_PAIRING_DAYS <= (s.completed_on - exam.completed_on).days <= CSS_AFTER_DAYS]
        if not near:
            continue
        mine = min(near, key=lambda s: abs((s.completed_on - exam.completed_on).days))
        score = css_total(mine.answers, exam.answers)
        words = ""
        if scores:
            before = scores[-1]
            words = css_change_words(score - before.score, f"{before.date:%-d %b %Y}")
        scores.append(CssScore(exam.completed_on, score, mine, exam, words))
    return scores


@dataclass(frozen=True)
class Summary:
    """One instrument on the report: the latest score, the one before, the change and the band."""

    instrument: Instrument
    latest: Response
    previous: Response | None

    @property
    def band(self) -> str:
        return self.instrument.band(_score(self.latest))

    @property
    def change(self) -> float | None:
        return None if self.previous is None else _score(self.latest) - _score(self.previous)

    @property
    def change_words(self) -> str:
        if self.previous is None:
            return "first answer"
        if self.instrument.code == "peg":
            return peg_change_words(_score(self.previous), _score(self.latest))
        change = _score(self.latest) - _score(self.previous)
        sign = "+" if change > 0 else ""
        return f"{sign}{change:g} since {self.previous.completed_on:%-d %b}"


def _score(answered: Response) -> float:
    """The score of an answer; only a skipped one has none, and a Summary holds none of those."""
    assert answered.score is not None, "a skipped answer in a Summary"
    return answered.score


def summaries(patient: User) -> list[Summary]:
    """The latest and previous answer of each patient questionnaire that has one. One query."""
    return latest_two(list(Response.objects.filter(patient=patient).order_by("completed_on")))


SUMMARISED = tuple(i for i in PATIENT_INSTRUMENTS if i is not CSS_SYMPTOMS)


def latest_two(responses: list[Response]) -> list[Summary]:
    """From `responses` (oldest first), each questionnaire's latest answer and the one before."""
    found = []
    for instrument in SUMMARISED:
        answers = [r for r in responses if r.instrument == instrument.code and not r.skipped]
        if answers:
            found.append(Summary(instrument, answers[-1], answers[-2] if len(answers) > 1 else None))
    return found


@dataclass(frozen=True)
class BudapestRecord:
    response: Response
    result: BudapestResult

    @property
    def header(self) -> str:
        """ "Budapest clinical criteria met, recorded 12 Mar 2026 by Dr Lee"."""
        who = self.response.recorded_by.display_name if self.response.recorded_by else "a former clinician"
        verdict = "met" if self.result.met else "not met"
        return f"Budapest clinical criteria {verdict}, recorded {self.response.completed_on:%-d %b %Y} by {who}"


def budapest_latest(patient: User) -> BudapestRecord | None:
    response = (
        Response.objects.filter(patient=patient, instrument=BUDAPEST.code)
        .select_related("recorded_by")
        .order_by("-completed_on")
        .first()
    )
    return None if response is None else BudapestRecord(response, budapest(response.answers))


def open_safety_alerts(patient: User) -> list[SafetyAlert]:
    return list(
        SafetyAlert.objects.filter(patient=patient, acknowledged_at__isnull=True)
        .select_related("response")
        .order_by("-raised_at")
    )


def patients_with_open_alerts(patient_ids) -> set[int]:
    """Which of these patients have a safety alert no clinician has acknowledged. One query."""
    return set(
        SafetyAlert.objects.filter(patient_id__in=patient_ids, acknowledged_at__isnull=True).values_list(
            "patient_id", flat=True
        )
    )


@dataclass(frozen=True)
class AssessmentRecord:
    """A patient's questionnaires and assessments, as the review, the report and the dashboard show them,
    read in three queries (every response, the open safety alerts, the schedules)."""

    responses: list[Response]  # oldest first, skipped ones too
    alerts: list[SafetyAlert]  # open: no clinician has acknowledged them yet
    every: dict[str, int]  # each patient questionnaire's interval (selectors.schedules)

    @cached_property
    def css(self) -> list[CssScore]:
        return css_pairs(self.responses)

    @cached_property
    def summaries(self) -> list[Summary]:
        return latest_two(self.responses)

    @cached_property
    def budapest(self) -> BudapestRecord | None:
        checklists = [r for r in self.responses if r.instrument == BUDAPEST.code]
        return BudapestRecord(checklists[-1], budapest(checklists[-1].answers)) if checklists else None

    def series(self, code: str) -> list[tuple[datetime.date, float]]:
        # Only a skipped answer has no score.
        return [(r.completed_on, r.score) for r in self.responses if r.instrument == code and r.score is not None]

    def due(self, today: datetime.date, visit: Callable[[], datetime.date | None]) -> list[Due]:
        last: dict[str, datetime.date] = {}
        for r in self.responses:
            last[r.instrument] = max(r.completed_on, last.get(r.instrument, r.completed_on))
        return due_from(self.every, last, today, visit)

    @property
    def anything(self) -> bool:
        return bool(self.responses or self.alerts)


def assessment_record(patient: User) -> AssessmentRecord:
    responses = list(
        Response.objects.filter(patient=patient).select_related("recorded_by").order_by("completed_on", "pk")
    )
    return AssessmentRecord(responses, open_safety_alerts(patient), schedules(patient))
