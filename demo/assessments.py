"""The demo patient's questionnaires and clinical assessments, lined up with the demo diary (demo.diary).

- Two CRPS Severity Scores months apart: at the first clinic review (the patient's symptoms a few days
  before the demo clinician's examination) and three weeks into the worsening, a real change up.
- The Budapest checklist, recorded by the demo clinician at the first review: the clinical criteria met.
- A PEG each week, read from the diary of the week before; a PHQ-9 and GAD-7 each month, read from the two
  weeks before, half from the diary and half from the demo's story without its day-to-day noise, so that
  their bands tell the same story whatever the day the demo is loaded: mild before, minimal on gabapentin,
  moderate in the worsening. A week with too few diary days is a skipped PEG.
  PHQ-9 item 9 (thoughts of self-harm) is always "not at all": the demo never raises a safety alert.

demo_assessments is pure (the diary's rows in, the answers out); demo_assessments_load saves them.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Max

from accounts.models import User
from assessments.instruments import BUDAPEST, CSS_SIGNS, CSS_SYMPTOMS, GAD7, PEG, PHQ9, Instrument
from assessments.selectors import css_suggestions
from assessments.services import response_record, response_skip
from symptoms.models import DiaryEntry

from .diary import DEMO_DAYS, WORSENING_START, underlying

PEG_FIRST, WEEK = 4, 7  # day offsets of the weekly PEG: 4, 11, ... up to the last demo day
MONTHLY = (24, 54, 84, 114, 144, 174)  # the PHQ-9 and GAD-7 days
# (the patient's symptoms, the clinician's examination): the first review, and three weeks into the worsening.
FIRST_REVIEW = (36, 40)
SECOND_REVIEW = (WORSENING_START + 20, WORSENING_START + 22)
# A questionnaire is read from the diary of the days before it, when enough of them were logged.
PEG_WINDOW, MONTHLY_WINDOW, FEWEST_DAYS = 7, 14, 3
DIARY_FIELDS = ("date", "pain", "mood", "sleep_quality", "anxiety", "interference")

# The CSS items, yes (1) or no (0), in the instruments' order. At the first review: pain from touch, a
# swollen hand, dystonia and stiff fingers, reported and found; at the second, after weeks of a cold, purple,
# sweaty and swollen hand (the diary), nearly everything.
CSS_ANSWERS = {
    FIRST_REVIEW: ((1, 0, 0, 0, 1, 0, 1, 1), (1, 1, 0, 0, 1, 0, 0, 1, 1)),  # 4 + 5 = 9
    SECOND_REVIEW: ((1, 1, 1, 1, 1, 0, 1, 1), (1, 1, 1, 1, 1, 1, 0, 1, 1)),  # 7 + 8 = 15: up 6
}
# The Budapest checklist at the first review: pain; symptoms in all four categories; signs in sensory,
# sudomotor / oedema and motor / trophic (none vasomotor that day); nothing else explains them.
BUDAPEST_ANSWERS = (1, 1, 1, 1, 1, 1, 0, 1, 1, 1)
SITE = "right_hand"


@dataclass(frozen=True)
class DemoAnswer:
    instrument: Instrument
    day: int  # the demo day (0 = the first)
    answers: dict[str, int] | None  # None: skipped
    by_clinician: bool = False
    site: str = ""


def _items(instrument: Instrument, values) -> dict[str, int]:
    return {item.key: value for item, value in zip(instrument.items, values, strict=True)}


def _level(value: float, top: int) -> int:
    return max(0, min(top, round(value)))


def _means(rows: list[dict], first: datetime.date, day: int, days: int) -> dict[str, float] | None:
    """The diary's means over the `days` days up to demo day `day`, or None when too few were logged."""
    end = first + datetime.timedelta(days=day)
    start = end - datetime.timedelta(days=days - 1)
    window = [row for row in rows if start <= row["date"] <= end]
    if len(window) < FEWEST_DAYS:
        return None
    means = {}
    for field in DIARY_FIELDS[1:]:
        values = [row[field] for row in window if row[field] is not None]
        means[field] = statistics.mean(values) if values else 5.0
    return means


def _steadied(diary: dict[str, float], day: int, days: int) -> dict[str, float]:
    """The diary's means halfway to the story's levels over the same days (demo.diary: sleep quality and
    anxiety follow pain there), so that a month's answers do not hang on a few noisy days."""
    pain = statistics.mean(underlying("pain", d) for d in range(day - days + 1, day + 1))
    mood = statistics.mean(underlying("mood", d) for d in range(day - days + 1, day + 1))
    story = {"pain": pain, "mood": mood, "sleep_quality": 8 - 0.6 * pain, "anxiety": 2 + 0.5 * pain}
    return {field: (diary[field] + story[field]) / 2 for field in story}


def _peg(diary: dict[str, float]) -> dict[str, int]:
    # Interference with enjoyment of life is read from mood (10 = best), with general activity from the
    # diary's interference with daily activities.
    values = (_level(diary["pain"], 10), _level(10 - diary["mood"], 10), _level(diary["interference"], 10))
    return _items(PEG, values)


def _phq9(levels: dict[str, float]) -> dict[str, int]:
    mood, sleep, pain = levels["mood"], levels["sleep_quality"], levels["pain"]
    low = _level(6.5 - mood, 3)
    values = (
        low,  # little interest or pleasure
        low,  # feeling down
        _level((7 - sleep) / 1.3, 3),  # sleep
        _level((pain - 3) / 1.5, 3),  # tired
        _level((5.5 - mood) / 1.2, 3),  # appetite
        _level((5.5 - mood) / 1.2, 3),  # feeling bad about yourself
        _level((pain - 4) / 1.5, 3),  # concentrating
        _level((4.5 - mood) / 1.2, 3),  # moving or speaking slowly
        0,  # thoughts of self-harm: never in the demo
    )
    return _items(PHQ9, values)


def _gad7(levels: dict[str, float]) -> dict[str, int]:
    anxiety, pain = levels["anxiety"], levels["pain"]
    worry = (anxiety - 3) + (5.5 - levels["mood"])
    values = (
        _level((anxiety - 1.5) / 1.5, 3),  # nervous
        _level(worry / 1.5, 3),  # not able to stop worrying
        _level(worry / 1.8, 3),  # worrying too much
        _level((pain - 3) / 1.5, 3),  # trouble relaxing
        _level((anxiety - 3.5) / 1.5, 3),  # restless
        _level((pain - 4) / 1.3, 3),  # irritable
        _level(worry / 2.5 - 0.3, 3),  # afraid
    )
    return _items(GAD7, values)


def demo_assessments(rows: list[dict], first: datetime.date) -> list[DemoAnswer]:
    """Every demo questionnaire and assessment, in date order, from the diary's rows (`first`: day 0)."""
    out = []
    for symptoms_day, exam_day in (FIRST_REVIEW, SECOND_REVIEW):
        symptoms, signs = CSS_ANSWERS[symptoms_day, exam_day]
        out.append(DemoAnswer(CSS_SYMPTOMS, symptoms_day, _items(CSS_SYMPTOMS, symptoms)))
        out.append(DemoAnswer(CSS_SIGNS, exam_day, _items(CSS_SIGNS, signs), by_clinician=True, site=SITE))
    out.append(DemoAnswer(BUDAPEST, FIRST_REVIEW[1], _items(BUDAPEST, BUDAPEST_ANSWERS), by_clinician=True))
    for day in range(PEG_FIRST, DEMO_DAYS, WEEK):
        diary = _means(rows, first, day, PEG_WINDOW)
        out.append(DemoAnswer(PEG, day, None if diary is None else _peg(diary)))
    for day in MONTHLY:
        diary = _means(rows, first, day, MONTHLY_WINDOW)
        levels = None if diary is None else _steadied(diary, day, MONTHLY_WINDOW)
        out.append(DemoAnswer(PHQ9, day, None if levels is None else _phq9(levels)))
        out.append(DemoAnswer(GAD7, day, None if levels is None else _gad7(levels)))
    return sorted(out, key=lambda a: a.day)


def demo_assessments_load(patient: User, clinician: User) -> int:
    """Save the demo's questionnaires and assessments against the demo diary in the database (its last day
    is the demo's last day). Returns how many were saved, skips included."""
    last = DiaryEntry.objects.filter(patient=patient).aggregate(last=Max("date"))["last"]
    if last is None:
        return 0
    first = last - datetime.timedelta(days=DEMO_DAYS - 1)
    rows = list(DiaryEntry.objects.filter(patient=patient, date__gte=first).values(*DIARY_FIELDS))
    planned = demo_assessments(rows, first)
    for answer in planned:
        on = first + datetime.timedelta(days=answer.day)
        if answer.answers is None:
            response_skip(patient=patient, code=answer.instrument.code, today=on)
            continue
        # The CSS symptoms form starts from what the diary of that week suggests; the patient confirms it.
        suggested = css_suggestions(patient, on) if answer.instrument is CSS_SYMPTOMS else {}
        response_record(
            patient=patient,
            code=answer.instrument.code,
            answers=answer.answers,
            completed_on=on,
            recorded_by=clinician if answer.by_clinician else patient,
            prefilled=sorted(suggested),
            site=answer.site,
        )
    return len(planned)
