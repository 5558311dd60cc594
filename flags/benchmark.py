"""The detection benchmark: simulated diaries with known events, scored per event kind.

Sensitivity: a flag on the event's measure within 14 days of onset (28 for gradual rises).
Delay: days from onset to that flag. Named right: of those flags, how many carry the event's
kind (a gradual rise called "gradual", a jump "sustained"). False alarms: every other flag, on
any measure, per patient-year of diary. The simple rule runs on the same diaries as the comparison.

Visible: whether the diary itself ever showed the event as a clinically important change within
that window, seen with hindsight: on some day, the week up to it, wholly after the onset, against
the 42 days before the onset. It is a yardstick for the rule, not a strict ceiling: an event the
diary never showed as a week's clinically important change is out of reach of any rule that asks
for one, whatever false alarms it allows; a rule with shorter windows may catch a few of them.
"""

import datetime
import random
import statistics
from collections import defaultdict
from dataclasses import dataclass

from symptoms.clinical import is_clinically_important

from .detection import detect_patient
from .simulation import MEASURE_NAMES, START, Event, SimulatedPatient, simulate_patient

KINDS = ("sustained", "gradual", "new_sign", "mood_drop", "flare", "stable")
WINDOW = {"gradual": 28}
DEFAULT_WINDOW = 14
BASELINE_DAYS = 42  # for the hindsight view of an event (`visible`)


@dataclass
class Score:
    events: int = 0
    detected: int = 0
    named_right: int = 0  # of the detected, how many flags carry the event's kind
    visible: int = 0
    delays: list = None
    false_alarms: int = 0
    patient_years: float = 0.0

    def __post_init__(self):
        self.delays = self.delays or []


def run(*, seed: int, patients_per_kind: int, days: int, detector=detect_patient) -> dict[str, Score]:
    rng = random.Random(seed)
    scores: dict[str, Score] = defaultdict(Score)
    until = START + datetime.timedelta(days=days - 1)
    for kind in KINDS:
        for _ in range(patients_per_kind):
            patient = simulate_patient(rng, days=days, event_kind=None if kind == "stable" else kind)
            score = scores[kind]
            score.patient_years += days / 365.25
            event = patient.events[0] if patient.events else None
            matched = False
            found = detector(patient.daily, MEASURE_NAMES, until=until)
            window = WINDOW.get(kind, DEFAULT_WINDOW)
            for episode in found:
                if (
                    event
                    and kind != "flare"
                    and not matched
                    and episode.measure == event.measure
                    and 0 <= (episode.date - event.onset).days <= window
                ):
                    matched = True
                    score.delays.append((episode.date - event.onset).days)
                    score.named_right += episode.kind == event.kind
                else:
                    score.false_alarms += 1
            if event and kind != "flare":
                score.events += 1
                score.detected += matched
                score.visible += visible(patient, event, window)
    return scores


def visible(patient: SimulatedPatient, event: Event, window: int) -> bool:
    """Whether the diary ever showed `event` as a clinically important change within `window` days.

    With hindsight (the onset is known): on some day, the week up to it, wholly after the onset and
    at least 4 days logged, against the mean of the 42 days before the onset.
    """

    def logged(first: int, last: int) -> list[int]:
        days = (event.onset + datetime.timedelta(days=k) for k in range(first, last + 1))
        return [patient.daily[d][event.measure] for d in days if d in patient.daily]

    before = logged(-BASELINE_DAYS, -1)
    if not before:
        return False
    baseline = statistics.fmean(before)
    worse = -1 if event.measure == "mood" else 1
    for day in range(6, window + 1):
        week = logged(day - 6, day)
        if len(week) < 4:
            continue
        after = baseline + worse * (statistics.fmean(week) - baseline)  # on a worse-is-higher scale
        if after > baseline and is_clinically_important(baseline, after, higher_is_worse=event.measure != "mood"):
            return True
    return False


def table(scores: dict[str, Score]) -> list[tuple]:
    rows = []
    total_fa = sum(s.false_alarms for s in scores.values())
    total_years = sum(s.patient_years for s in scores.values())
    for kind in KINDS:
        s = scores[kind]
        sensitivity = f"{100 * s.detected / s.events:.1f} %" if s.events else "n/a"
        delay = f"{statistics.median(s.delays):.0f}" if s.delays else "n/a"
        shown = f"{100 * s.visible / s.events:.1f} %" if s.events else "n/a"
        named = f"{100 * s.named_right / s.detected:.0f} %" if s.detected else "n/a"
        false_alarms = f"{s.false_alarms / s.patient_years:.2f}"
        rows.append((kind, s.events or "-", sensitivity, delay, false_alarms, shown, named))
    rows.append(("all", "", "", "", f"{total_fa / total_years:.2f}", "", ""))
    return rows


def headline(scores: dict[str, Score]) -> tuple[float, float, float]:
    """(worst sensitivity over event kinds, median delay over all events, false alarms per patient-year)."""
    kinds = [k for k in KINDS if scores[k].events]
    worst = min(scores[k].detected / scores[k].events for k in kinds)
    delays = [d for k in kinds for d in scores[k].delays]
    total_fa = sum(s.false_alarms for s in scores.values())
    total_years = sum(s.patient_years for s in scores.values())
    return worst, statistics.median(delays) if delays else float("nan"), total_fa / total_years
