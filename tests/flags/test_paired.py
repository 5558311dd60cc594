"""Multivariate evidence (flags.paired) and the joint events it is measured on (flags.simulation, kind "joint")."""

import datetime
import hashlib
import random

import pytest

from flags.benchmark import JOINT, Score, score, score_patient, simulate_mixed
from flags.detection import PARAMETERS, Episode, detect_patient, detect_patient_reference
from flags.paired import paired_rule_patient, partnered
from flags.simulation import MEASURE_NAMES, START, USERS, simulate_patient


def test_a_joint_event_raises_pain_and_spasms_or_swelling_together():
    for seed in range(8):
        patient = simulate_patient(random.Random(seed), days=180, event_kind=JOINT, profile=USERS)
        pain, partner = patient.events
        assert (pain.kind, partner.kind) == (JOINT, JOINT)
        assert pain.measure == "pain" and partner.measure in {"spasms", "swelling"}
        assert pain.onset == partner.onset and pain.size == partner.size and 1.5 <= pain.size <= 3


def test_the_usual_kinds_are_simulated_as_before():
    # Joint events are simulated apart, so the benchmark's diaries (and its published figures) do not move: the
    # hash of these diaries and events is the one the code before joint events (and before flags.oracle) gave.
    simulated = simulate_mixed(seed=3, patients_per_kind=1, lengths=(60, 120))
    text = repr([(one.kind, sorted(one.patient.daily.items()), one.patient.events) for one in simulated])
    assert (
        hashlib.sha256(text.encode()).hexdigest() == "ef31930f2e1c816e70f309f473e263280e063c568cfb87a13072fc218cda7e19"
    )


def _flag(measure, day):
    return Episode(measure, "sustained", day, None, None)  # type: ignore[arg-type]


def test_a_flag_on_either_measure_of_a_joint_event_finds_it():
    patient = simulate_patient(random.Random(2), days=180, event_kind=JOINT, profile=USERS)
    pain, partner = patient.events
    on_time = pain.onset + datetime.timedelta(days=3)
    for measure, found in ((partner.measure, 1), ("pain", 1), ("mood", 0)):
        tally = Score()
        score_patient(patient, JOINT, [_flag(measure, on_time)], tally)
        assert (tally.events, tally.detected, tally.false_alarms) == (1, found, 1 - found)


def test_a_joint_event_is_found_by_its_first_flag_and_its_other_measure_is_no_false_alarm():
    patient = simulate_patient(random.Random(2), days=180, event_kind=JOINT, profile=USERS)
    pain, partner = patient.events
    day = datetime.timedelta
    flags = [_flag("pain", pain.onset + day(days=5)), _flag(partner.measure, pain.onset + day(days=2))]
    tally = Score()
    score_patient(patient, JOINT, flags, tally)
    assert (tally.detected, tally.delays, tally.false_alarms) == (1, [2], 0)
    # A second flag on the measure that found it is a new episode: a false alarm, as for any event.
    tally = Score()
    score_patient(patient, JOINT, [*flags, _flag(partner.measure, pain.onset + day(days=12))], tally)
    assert (tally.detected, tally.false_alarms) == (1, 1)


def test_the_partner_is_another_measure_on_the_same_day_or_the_days_before_never_after():
    day = datetime.date(2025, 3, 10)
    reached = {day: {"spasms"}}
    assert partnered(reached, "pain", day, 3)
    assert partnered(reached, "pain", day + datetime.timedelta(days=3), 3)
    assert not partnered(reached, "pain", day + datetime.timedelta(days=4), 3)
    assert not partnered(reached, "pain", day - datetime.timedelta(days=1), 3)  # spasms rose only later
    assert not partnered(reached, "spasms", day, 3)  # a measure is not its own partner
    assert partnered({day: {"spasms", "pain"}}, "spasms", day, 0)


@pytest.mark.parametrize("kind", ["sustained", "gradual", "new_sign", "mood_drop", "stable", JOINT])
def test_at_the_rules_own_multiple_the_paired_rule_is_the_rule(kind):
    for seed in range(3):
        patient = simulate_patient(random.Random(seed), days=240, event_kind=None if kind == "stable" else kind)
        until = START + datetime.timedelta(days=239)
        paired = paired_rule_patient(patient.daily, MEASURE_NAMES, until=until, pair_z=PARAMETERS.z)
        assert paired == detect_patient_reference(patient.daily, MEASURE_NAMES, until=until)
        assert paired == detect_patient(patient.daily, MEASURE_NAMES, until=until)


def _raised(daily, measures, points, onset):
    return {
        day: {
            m: min(10, v + points) if m in measures and day >= onset and v is not None else v for m, v in values.items()
        }
        for day, values in daily.items()
    }


def test_a_rise_on_two_measures_at_a_lower_multiple_is_flagged_where_one_alone_is_not():
    # A patient with no event (day-to-day SD 0.95, correlation 0.75): the paired rule flags nothing in a year.
    patient = simulate_patient(random.Random(8), days=365, event_kind=None, profile=USERS)
    until, onset = START + datetime.timedelta(days=364), START + datetime.timedelta(days=300)
    assert paired_rule_patient(patient.daily, MEASURE_NAMES, until=until, pair_z=2.4) == []

    def flagged(episodes, measures):
        return [e for e in episodes if e.measure in measures and 0 <= (e.date - onset).days <= 14]

    # Pain and spasms both 2 points up from day 300: the rule misses it, the paired rule finds it.
    both = _raised(patient.daily, {"pain", "spasms"}, 2, onset)
    assert flagged(detect_patient(both, MEASURE_NAMES, until=until), {"pain", "spasms"}) == []
    found = flagged(paired_rule_patient(both, MEASURE_NAMES, until=until, pair_z=2.4), {"pain", "spasms"})
    assert found and all(0 < e.evidence.threshold <= e.evidence.change for e in found)
    # The same rise on pain alone is not enough.
    alone = _raised(patient.daily, {"pain"}, 2, onset)
    assert flagged(paired_rule_patient(alone, MEASURE_NAMES, until=until, pair_z=2.4), {"pain"}) == []


def test_on_joint_events_the_paired_rule_finds_more_than_the_rule():
    simulated = simulate_mixed(seed=4, patients_per_kind=12, lengths=(180, 365), kinds=(JOINT,))
    rule = score(simulated)["all"][JOINT]
    paired = score(
        simulated, lambda daily, measures, until: paired_rule_patient(daily, measures, until=until, pair_z=2.4)
    )
    assert rule.visible > 10
    assert paired["all"][JOINT].visible_detected > rule.visible_detected
