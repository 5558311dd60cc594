"""The detection benchmark: simulated diaries with known events, scored per event kind.

Sensitivity: a flag on the event's measure within 14 days of onset (28 for gradual rises).
Delay: days from onset to that flag. False alarms: every other flag, on any measure, per
patient-year of diary. The simple rule runs on the same diaries as the comparison.
"""

import datetime
import random
import statistics
from collections import defaultdict
from dataclasses import dataclass

from .detection import detect_patient
from .simulation import MEASURE_NAMES, START, simulate_patient

KINDS = ("sustained", "gradual", "new_sign", "mood_drop", "flare", "stable")
WINDOW = {"gradual": 28}
DEFAULT_WINDOW = 14


@dataclass
class Score:
    events: int = 0
    detected: int = 0
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
                else:
                    score.false_alarms += 1
            if event and kind != "flare":
                score.events += 1
                score.detected += matched
    return scores


def table(scores: dict[str, Score]) -> list[tuple]:
    rows = []
    total_fa = sum(s.false_alarms for s in scores.values())
    total_years = sum(s.patient_years for s in scores.values())
    for kind in KINDS:
        s = scores[kind]
        sensitivity = f"{100 * s.detected / s.events:.1f} %" if s.events else "n/a"
        delay = f"{statistics.median(s.delays):.0f}" if s.delays else "n/a"
        rows.append((kind, s.events or "-", sensitivity, delay, f"{s.false_alarms / s.patient_years:.2f}"))
    rows.append(("all", "", "", "", f"{total_fa / total_years:.2f}"))
    return rows


def headline(scores: dict[str, Score]) -> tuple[float, float, float]:
    """(worst sensitivity over event kinds, median delay over all events, false alarms per patient-year)."""
    kinds = [k for k in KINDS if scores[k].events]
    worst = min(scores[k].detected / scores[k].events for k in kinds)
    delays = [d for k in kinds for d in scores[k].delays]
    total_fa = sum(s.false_alarms for s in scores.values())
    total_years = sum(s.patient_years for s in scores.values())
    return worst, statistics.median(delays), total_fa / total_years
