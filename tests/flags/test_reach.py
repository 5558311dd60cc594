"""flags.benchmark.reach: how far the rule's test of one day reaches, a bound on what the rule can find."""

import dataclasses
import datetime
import functools

from flags.benchmark import DEFAULT_WINDOW, WINDOW, reach, score, simulate_mixed, visible
from flags.detection import SETTINGS, detect_patient
from flags.simulation import MEASURE_NAMES, START


def test_every_event_the_rule_finds_is_within_its_reach_and_the_reach_bounds_the_count():
    simulated = simulate_mixed(seed=5, patients_per_kind=8, lengths=(120, 180))
    reached = reach(simulated)
    for z in (3.35, 2.6):
        p = dataclasses.replace(SETTINGS["standard"], z=z)
        found_within = 0
        for one in simulated:
            event = one.patient.events[0] if one.patient.events else None
            window = WINDOW.get(one.kind, DEFAULT_WINDOW)
            if event is None or one.kind == "flare" or not visible(one.patient, event, window):
                continue
            until = START + datetime.timedelta(days=one.length - 1)
            found = [
                e
                for e in detect_patient(one.patient.daily, MEASURE_NAMES, until=until, p=p)
                if e.measure == event.measure and 0 <= (e.date - event.onset).days <= window
            ]
            if found:
                found_within += 1
        scores = score(simulated, functools.partial(detect_patient, p=p))["all"]
        assert found_within == sum(scores[kind].visible_detected for kind in scores)
        within_reach = sum(sum(b >= z - 1e-9 for b in bests) for bests in reached["all"].values())
        assert 0 < found_within <= within_reach
    assert set(reached) == {120, 180, "all"}
    assert sum(map(len, reached["all"].values())) == sum(s.visible for s in score(simulated)["all"].values())


def test_the_reach_of_each_found_event_is_at_least_the_multiple_that_found_it():
    simulated = simulate_mixed(seed=8, patients_per_kind=6, lengths=(180,))
    p = dataclasses.replace(SETTINGS["standard"], z=2.85)
    reached = reach(simulated, p)
    checked = 0
    by_kind: dict[str, int] = {}
    for one in simulated:
        event = one.patient.events[0] if one.patient.events else None
        window = WINDOW.get(one.kind, DEFAULT_WINDOW)
        if event is None or one.kind == "flare" or not visible(one.patient, event, window):
            continue
        best = reached[180][one.kind][by_kind.get(one.kind, 0)]
        by_kind[one.kind] = by_kind.get(one.kind, 0) + 1
        until = START + datetime.timedelta(days=one.length - 1)
        if any(
            e.measure == event.measure and 0 <= (e.date - event.onset).days <= window
            for e in detect_patient(one.patient.daily, MEASURE_NAMES, until=until, p=p)
        ):
            assert best >= 2.85 - 1e-9
            checked += 1
    assert checked > 10
