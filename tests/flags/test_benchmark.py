"""The detection benchmark scores what it says it scores: hand-made detectors with known answers."""

import datetime
import random

import pytest

from flags import benchmark, detection
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


def test_the_benchmark_that_looks_like_the_users_has_young_diaries_and_early_events():
    simulated = benchmark.simulate_mixed(seed=4, patients_per_kind=2, lengths=(60, 120))
    assert [(one.length, one.kind) for one in simulated[:2]] == [(60, "sustained"), (60, "sustained")]
    assert len(simulated) == 2 * 2 * len(benchmark.KINDS)
    for one in simulated:
        assert max(one.patient.daily) <= START + datetime.timedelta(days=one.length - 1)
        for event in one.patient.events:
            assert 42 <= (event.onset - START).days <= one.length - 15
    again = benchmark.simulate_mixed(seed=4, patients_per_kind=2, lengths=(60, 120))
    assert [one.patient.daily for one in again] == [one.patient.daily for one in simulated]


def knowing(simulated, delay):
    """A detector that knows each simulated patient's event: a flag `delay` days after its onset."""
    events = {id(one.patient.daily): one.patient.events for one in simulated}

    def detect(daily, measures, *, until):
        return [
            Episode(e.measure, e.kind, e.onset + datetime.timedelta(days=delay), None, None)
            for e in events[id(daily)]
            if e.onset + datetime.timedelta(days=delay) <= until
        ]

    return detect


def test_the_mixed_benchmark_scores_each_history_length_and_all_of_them():
    simulated = benchmark.simulate_mixed(seed=8, patients_per_kind=3, lengths=(60, 365))
    scores = benchmark.score(simulated, knowing(simulated, 2))
    assert set(scores) == {60, 365, "all"}
    for kind in benchmark.EVENT_KINDS:
        assert scores[60][kind].events == scores[365][kind].events == 3
        assert scores["all"][kind].detected == 6 and scores["all"][kind].visible_detected == scores["all"][kind].visible
        assert benchmark.sensitivity(scores["all"][kind], of_visible=True) == 1.0
    assert scores["all"]["flare"].false_alarms == 6  # a flare is no event to find
    assert scores["all"]["stable"].false_alarms == 0
    patient_years = sum(s.patient_years for s in scores["all"].values())
    assert benchmark.headline(scores["all"], of_visible=True) == (1.0, 2, 6 / patient_years)
    late = benchmark.score(simulated, knowing(simulated, 15))
    assert late["all"]["sustained"].detected == 0 and late[365]["gradual"].detected == 3  # gradual: 28 days
    rows = {row[0]: row for row in benchmark.mixed_table(scores[365])}
    assert rows["sustained"][4] == "100.0 %" and rows["flare"][6] != "0.00"


def test_the_mixed_benchmark_meets_the_targets_with_a_detector_that_knows():
    simulated = [one for one in benchmark.simulate_mixed(seed=8, patients_per_kind=3) if one.kind != "flare"]
    scores = benchmark.score(simulated, knowing(simulated, 3))
    assert all(benchmark.meets_targets(scores[scope]) for scope in (*benchmark.LENGTHS, "all"))
    assert not benchmark.meets_targets(benchmark.score(simulated, knowing(simulated, 6))["all"])  # too late


def test_the_noise_prior_is_each_windows_mean_square_rise_in_the_population():
    simulated = benchmark.simulate_mixed(seed=3, patients_per_kind=1, lengths=(365,))
    prior = benchmark.estimate_noise_prior(simulated)
    assert len(prior) == len(detection.PARAMETERS.windows)
    five, seven, ten, fourteen, _gap = prior
    assert 0.2 < fourteen < ten < seven < five < 1.5  # longer windows average more of the noise away
