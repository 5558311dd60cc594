"""The detection benchmark scores what it says it scores: hand-made detectors with known answers."""

import datetime
import random

import pytest

from flags import benchmark
from flags.detection import Episode
from flags.simulation import MEASURE_NAMES, START, Event, SimulatedPatient, simulate_patient

DAYS = 200
_current = {}  # the patient the benchmark is scoring (see remember_each_patient)


def oracle(delay, measure=None, kind=None):
    """A detector that knows the answer: a flag `delay` days after each event's onset."""

    def detect(daily, measures, *, until):
        event = _current["patient"].events[0] if _current["patient"].events else None
        if event is None:
            return []
        flagged = event.onset + datetime.timedelta(days=delay)
        return [Episode(measure or event.measure, kind or event.kind, flagged, None, None)]

    return detect


@pytest.fixture(autouse=True)
def remember_each_patient(monkeypatch):
    """Let the oracle see the simulated patient the benchmark is scoring."""
    original = benchmark.simulate_patient

    def simulate(*args, **kwargs):
        _current["patient"] = original(*args, **kwargs)
        return _current["patient"]

    monkeypatch.setattr(benchmark, "simulate_patient", simulate)


def test_the_simulation_is_fixed_by_its_seed():
    first = simulate_patient(random.Random(5), days=DAYS, event_kind="mood_drop")
    again = simulate_patient(random.Random(5), days=DAYS, event_kind="mood_drop")
    other = simulate_patient(random.Random(6), days=DAYS, event_kind="mood_drop")
    assert first.daily == again.daily and first.events == again.events
    assert first.daily != other.daily
    (event,) = first.events
    assert event.measure == "mood" and -3.5 <= event.size <= -2
    assert 0.05 <= 1 - len(first.daily) / DAYS <= 0.6  # days are missed, but most are logged


def test_a_flag_on_time_on_the_right_measure_counts_as_found():
    scores = benchmark.run(seed=1, patients_per_kind=3, days=DAYS, detector=oracle(2))
    worst, delay, _false_alarms = benchmark.headline(scores)
    assert (worst, delay) == (1.0, 2)
    assert all(scores[kind].false_alarms == 0 for kind in ("sustained", "gradual", "new_sign", "mood_drop"))
    # A flare is no event to find: the oracle's flag on it is a false alarm.
    assert scores["flare"].events == 0 and scores["flare"].false_alarms == 3


def test_a_flag_counts_as_named_right_only_with_the_event_s_kind():
    right = benchmark.run(seed=1, patients_per_kind=3, days=DAYS, detector=oracle(2))
    assert all(right[kind].named_right == 3 for kind in ("sustained", "gradual", "new_sign", "mood_drop"))
    wrong = benchmark.run(seed=1, patients_per_kind=3, days=DAYS, detector=oracle(2, kind="sustained"))
    assert (wrong["sustained"].named_right, wrong["gradual"].named_right) == (3, 0)
    assert wrong["gradual"].detected == 3  # a wrong name is still a flag on time
    rows = {row[0]: row for row in benchmark.table(wrong)}
    assert (rows["sustained"][6], rows["gradual"][6]) == ("100 %", "0 %")


def test_a_late_flag_is_a_miss_and_a_false_alarm():
    scores = benchmark.run(seed=1, patients_per_kind=3, days=DAYS, detector=oracle(15))
    assert scores["sustained"].detected == 0 and scores["sustained"].false_alarms == 3
    assert scores["gradual"].detected == 3  # gradual rises have 28 days


def test_a_flag_on_the_wrong_measure_is_a_false_alarm():
    scores = benchmark.run(seed=1, patients_per_kind=3, days=DAYS, detector=oracle(2, measure="spasms"))
    assert scores["mood_drop"].detected == 0 and scores["mood_drop"].false_alarms == 3
    table = benchmark.table(scores)
    assert table[-1][0] == "all" and float(table[-1][4]) > 0


def steady_diary(measure, level, *, change=0.0, onset_day=100):
    daily = {}
    for day in range(150):
        date = START + datetime.timedelta(days=day)
        values = dict.fromkeys(MEASURE_NAMES, 4)
        values[measure] = round(level + (day % 2) * 0.4 + (change if day >= onset_day else 0))
        daily[date] = values
    event = Event("sustained", measure, START + datetime.timedelta(days=onset_day), change, 0)
    return SimulatedPatient(days=150, daily=daily, events=[event])


@pytest.mark.parametrize(
    ("measure", "level", "change", "shown"),
    [
        ("pain", 4, 3, True),
        ("pain", 4, 1, False),  # a point is not clinically important at a usual 4
        ("mood", 6, -3, True),  # mood worsens downwards
        ("mood", 6, 3, False),  # a better mood is no worsening
        ("swelling", 0, 2, True),  # a new sign
    ],
)
def test_visible_asks_whether_the_diary_ever_showed_an_important_change(measure, level, change, shown):
    patient = steady_diary(measure, level, change=change)
    assert benchmark.visible(patient, patient.events[0], window=14) is shown


def test_an_event_hidden_by_missed_days_is_not_visible():
    patient = steady_diary("pain", 4, change=3)
    onset = patient.events[0].onset
    for day in range(0, 15, 2):  # only every other day logged: no week with 4 days after the onset
        patient.daily.pop(onset + datetime.timedelta(days=day), None)
    for day in range(1, 15, 4):
        patient.daily.pop(onset + datetime.timedelta(days=day), None)
    assert benchmark.visible(patient, patient.events[0], window=14) is False
