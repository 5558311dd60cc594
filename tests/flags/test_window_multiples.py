"""Each window can ask its own multiple of the patient's noise (Parameters.z_windows, the "sensitive"
setting's, issue 19): the fast path and the reference agree on it, a window is held to its own multiple
and no other, and the threshold a flag shows is the one its window needed."""

import dataclasses
import random

import pytest

from flags.detection import SETTINGS, detect_patient, detect_patient_reference
from flags.simulation import MEASURE_NAMES, USERS, simulate_patient
from tests.flags.test_sweep_equivalence import _typed

KINDS = ("sustained", "gradual", "new_sign", "mood_drop", "flare", None)
SENSITIVE = SETTINGS["sensitive"]


def _diaries(count, *, seed, days=180):
    rng = random.Random(seed)
    return [
        simulate_patient(rng, days=days, event_kind=KINDS[n % len(KINDS)], profile=USERS).daily for n in range(count)
    ]


def _until(daily):
    return max(daily)


def test_the_sensitive_setting_asks_each_window_its_own_multiple():
    assert SENSITIVE.z_windows is not None and len(SENSITIVE.z_windows) == len(SENSITIVE.windows)
    assert len(set(SENSITIVE.z_windows)) > 1
    assert SETTINGS["standard"].z_windows is None and SETTINGS["quiet"].z_windows is None


@pytest.mark.parametrize("z_windows", [(4.0, 2.4, 3.2, 2.2, 2.0), (2.2, 3.6, 2.6, 3.0, 3.4)])
def test_the_fast_path_gives_the_reference_episodes_with_a_multiple_per_window(z_windows):
    p = dataclasses.replace(SENSITIVE, z_windows=z_windows)
    found = differs = 0
    for daily in _diaries(60, seed=31):
        until = _until(daily)
        reference = detect_patient_reference(daily, MEASURE_NAMES, until=until, p=p)
        assert _typed(detect_patient(daily, MEASURE_NAMES, until=until, p=p)) == _typed(reference)
        uniform = detect_patient_reference(daily, MEASURE_NAMES, until=until, p=dataclasses.replace(p, z_windows=None))
        found += len(reference)
        differs += _typed(uniform) != _typed(reference)
    assert found > 60
    assert differs > 5  # the multiples per window change the flags: the path is exercised


def test_a_window_is_held_to_its_own_multiple():
    """With every window but one out of reach, only that one flags; with every window at z, the flags
    are those of z for all."""
    only_the_last = dataclasses.replace(SENSITIVE, z_windows=(99.0, 99.0, 99.0, 99.0, 2.2))
    same_for_all = dataclasses.replace(SENSITIVE, z_windows=(2.85,) * len(SENSITIVE.windows))
    uniform = dataclasses.replace(SENSITIVE, z_windows=None, z=2.85)
    flagged = 0
    for daily in _diaries(40, seed=7, days=240):
        until = _until(daily)
        episodes = detect_patient(daily, MEASURE_NAMES, until=until, p=only_the_last)
        # The 7-day window against the weeks three weeks earlier is the only one left: the same episodes
        # as a rule that has only that window (its own noise prior), so no other window took its multiple.
        alone = dataclasses.replace(
            SENSITIVE, windows=((7, 21),), z_windows=(2.2,), noise_prior=(SENSITIVE.noise_prior[-1],)
        )
        assert _typed(episodes) == _typed(detect_patient(daily, MEASURE_NAMES, until=until, p=alone))
        flagged += len(episodes)
        assert _typed(detect_patient(daily, MEASURE_NAMES, until=until, p=same_for_all)) == _typed(
            detect_patient(daily, MEASURE_NAMES, until=until, p=uniform)
        )
    assert flagged > 10


def test_the_threshold_a_flag_shows_is_met_by_its_change_at_every_setting():
    """The flags page says "the rule needed T points worse than usual that day; it found C": with a
    multiple per window, T is the flagging window's, so C is never below it."""
    flags = 0
    for daily in _diaries(60, seed=13):
        for p in SETTINGS.values():
            for episode in detect_patient(daily, MEASURE_NAMES, until=_until(daily), p=p):
                assert episode.evidence.change >= episode.evidence.threshold > 0
                flags += 1
    assert flags > 100


def test_a_multiple_for_each_window_or_none():
    with pytest.raises(ValueError, match="one multiple per window"):
        dataclasses.replace(SENSITIVE, z_windows=(3.0, 2.5))
    assert dataclasses.replace(SENSITIVE, z_windows=None).z_windows is None
