"""flags.oracle: what a detector told each simulated diary's true usual level and noise finds, the bound for a rule."""

import functools
import io
import itertools
import random

import numpy as np
import pytest
from django.core.management import call_command

from flags.benchmark import score, simulate_mixed
from flags.detection import SETTINGS, detect_patient
from flags.oracle import (
    episodes,
    innovations,
    learned_level,
    oracle_sweep,
    ramp_statistic,
    series,
    step_statistic,
)
from flags.simulation import MEASURE_NAMES, START, USERS, simulate_patient


def test_the_simulation_records_the_usual_level_each_diary_is_drawn_around():
    patient = simulate_patient(random.Random(3), days=548, event_kind="sustained", profile=USERS)
    event = patient.events[0]
    onset = (event.onset - START).days
    sd, phi = patient.noise["sd"], patient.noise["phi"]
    for measure in (m for m in MEASURE_NAMES if m != event.measure):
        x, usual = series(patient, measure)
        assert len(usual) == patient.days
        deviation = x - usual
        logged = deviation[~np.isnan(deviation)]
        # Integer scores clamped to 0-10 around the level: the deviation is the AR(1) noise, rounded.
        assert abs(logged.mean()) < 0.35
        assert 0.75 * sd < logged.std() < 1.25 * sd
        pairs = [(a, b) for a, b in itertools.pairwise(deviation) if a == a and b == b]
        assert abs(np.corrcoef(np.array(pairs).T)[0, 1] - phi) < 0.2
    x, usual = series(patient, event.measure)
    assert abs(np.nanmean((x - usual)[:onset])) < 0.35
    assert abs(np.nanmean((x - usual)[onset:]) - event.size) < 0.5  # the event is on top of the usual level


def _ar1(seed: int, days: int, sd: float, phi: float, missing: float = 0.2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = np.empty(days)
    noise[0] = rng.normal(0, sd)
    for day in range(1, days):
        noise[day] = phi * noise[day - 1] + rng.normal(0, sd * (1 - phi * phi) ** 0.5)
    noise[rng.random(days) < missing] = np.nan
    return noise


def _exact_llr(x, usual, sd, phi, today, onset, shape):
    """The log-likelihood ratio of a change of `shape` (per logged day) from `onset` through `today` against none,
    from the joint Gaussian density of every logged day up to `today` (AR(1) covariance, no rounding)."""
    days = np.flatnonzero(~np.isnan(x[: today + 1]))
    covariance = sd**2 * phi ** np.abs(days[:, None] - days[None, :])
    deviation = x[days] - usual[days]
    change = np.array([shape(day - onset) if day >= onset else 0.0 for day in days])
    solved = np.linalg.solve(covariance, change)
    return solved @ deviation, solved @ change  # the ratio is d * first - d^2 * second / 2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_step_statistic_is_the_exact_likelihood_ratio_of_the_best_step(seed):
    sd, phi, days = 1.1, 0.65, 70
    usual = 4 + 0.3 * np.sin(np.arange(days) / 9)
    x = usual + _ar1(seed, days, sd, phi)
    x[45:] += 2.5 * (~np.isnan(x[45:]))
    stat = step_statistic(x, usual, sd, phi, within=28, least=2.0, rounding=0.0)
    logged = np.flatnonzero(~np.isnan(x))
    for today in logged[logged >= 20][::3]:
        best = -np.inf
        for onset in logged[(logged <= today) & (logged > today - 28)]:
            first, second = _exact_llr(x, usual, sd, phi, today, onset, lambda _elapsed: 1.0)
            size = max(2.0, first / second)
            best = max(best, size * first - size * size * second / 2)
        assert stat[today] == pytest.approx(best, rel=1e-6, abs=1e-6)
    assert np.isnan(stat[np.isnan(x)]).all()
    assert np.nanmax(stat[:45]) < np.nanmax(stat[45:55])


def test_the_learned_level_is_the_usual_window_before_the_weeks_the_test_looks_back_over():
    x = 4 + _ar1(11, 120, 1.0, 0.6)
    level = learned_level(x, before=28)
    for today in (75, 90, 119):
        days = x[today - 28 - 41 : today - 27]  # the 42 days ending 28 days before today
        assert len(days) == 42
        assert level[today] == pytest.approx(np.nanmean(days))
    assert np.isnan(level[:40]).all()  # fewer than 14 logged days before the weeks tested


def test_against_a_learned_level_each_day_is_the_step_test_with_that_days_level_held():
    sd, phi = 1.2, 0.7
    x = 5 + _ar1(4, 150, sd, phi)
    x[110:] += 3.0
    level = learned_level(x)
    learned = step_statistic(x, np.zeros(150), sd, phi, level=level)
    checked = 0
    for today in np.flatnonzero(~np.isnan(x) & ~np.isnan(level)):
        held = step_statistic(x, np.full(150, level[today]), sd, phi)
        assert learned[today] == pytest.approx(held[today], rel=1e-9, abs=1e-9)
        checked += 1
    assert checked > 60
    assert np.isnan(learned[np.isnan(level)]).all()


def test_the_ramp_statistic_is_the_exact_likelihood_ratio_of_the_ramp():
    sd, phi, days = 0.9, 0.7, 80
    usual = np.full(days, 3.0)
    x = usual + _ar1(7, days, sd, phi)

    def ramp(elapsed):
        return 3.0 * min(1.0, (elapsed + 1) / 21)

    x[50:] += np.array([ramp(k) for k in range(days - 50)]) * (~np.isnan(x[50:]))
    stat = ramp_statistic(x, usual, sd, phi, within=42, rounding=0.0)
    logged = np.flatnonzero(~np.isnan(x))
    for today in logged[logged >= 30][::4]:
        best = max(
            first - second / 2
            for onset in logged[(logged <= today) & (logged > today - 42)]
            for first, second in [_exact_llr(x, usual, sd, phi, today, onset, ramp)]
        )
        assert stat[today] == pytest.approx(best, rel=1e-6, abs=1e-6)


def test_the_step_may_start_up_to_within_days_back_and_no_further():
    usual = np.zeros(40)
    x = np.zeros(40)
    x[10:] = 3.0  # a step 3 points up from day 10, no noise
    stat = {within: step_statistic(x, usual, 1.0, 0.5, within=within, rounding=0.0) for within in (30, 31)}
    # On day 39 the step began 30 days back: a window of 30 days reaches day 10, one of 29 days would not.
    assert stat[30][39] > 0 and stat[30][39] == pytest.approx(stat[31][39])
    shorter = step_statistic(x, usual, 1.0, 0.5, within=29, rounding=0.0)
    assert shorter[39] < stat[30][39]


def test_the_innovations_variance_holds_for_rounded_scores():
    # Integer scores of AR(1) noise: each innovation's variance is the noise's plus the rounding's of two days.
    sd, phi = 1.0, 0.6
    noise = _ar1(21, 200_000, sd, phi, missing=0.3)
    x = np.round(50 + noise)
    inn = innovations(x, np.full(len(x), 50.0), sd, phi)
    standardized = inn.value / np.sqrt(inn.variance)
    assert standardized.var() == pytest.approx(1.0, abs=0.02)
    without = innovations(x, np.full(len(x), 50.0), sd, phi, rounding=0.0)
    assert (without.value / np.sqrt(without.variance)).var() > 1.1


def test_innovations_carry_yesterdays_deviation_over_missed_days():
    x = np.array([5.0, np.nan, np.nan, 7.0])
    usual = np.full(4, 4.0)
    inn = innovations(x, usual, 1.0, 0.5, rounding=0.0)
    assert inn.days.tolist() == [0, 3]
    assert inn.carried.tolist() == [0.0, 0.125]
    assert inn.value.tolist() == [1.0, 3.0 - 0.125]
    assert inn.variance.tolist() == pytest.approx([1.0, 1 - 0.125**2])


def test_an_episode_ends_after_a_week_of_calm_and_only_then_can_the_measure_flag_again():
    usual = np.full(100, 3.0)
    rise = np.zeros(100)
    rise[30:40] = 3.0
    rise[70:] = 3.0
    x = usual + rise
    stat = np.where(rise > 0, 10.0, 0.0)
    found = episodes(stat, x, usual, threshold=8.0)
    # The first day over the threshold opens an episode (days 31-39 flag nothing more); the 7-day mean is within
    # a point of the usual level from day 44 on (3 raised days of 7 are 1.3 points, 2 are 0.9), so day 50 is
    # the seventh calm day. The second rise never ends.
    assert found == [(30, 50), (70, None)]
    assert episodes(stat, x, usual, threshold=11.0) == []
    # A rise again on the day after the end is a new flag; on the end day itself it is still the old episode.
    again = stat.copy()
    again[51] = 10.0
    assert episodes(again, x, usual, threshold=8.0) == [(30, 50), (51, 58), (70, None)]
    again[51], again[50] = 0.0, 10.0
    assert episodes(again, x, usual, threshold=8.0) == [(30, 50), (70, None)]


def test_a_held_level_ends_the_episode_against_the_level_of_the_flags_day():
    usual = np.full(60, 3.0)
    usual[30:] = 5.0  # the level a rule has learned moves up with the rise; held, the flag's day's stays
    x = np.full(60, 3.0)
    x[20:30] = 6.0
    x[30:] = 5.5
    stat = np.zeros(60)
    stat[20] = 10.0
    assert episodes(stat, x, usual, threshold=8.0, held=True) == [(20, None)]  # 5.5 is not within a point of 3
    assert episodes(stat, x, usual, threshold=8.0) == [(20, 41)]  # each day's own level: calm from day 35


def test_the_oracle_finds_more_than_the_rule_at_fewer_false_alarms():
    simulated = simulate_mixed(seed=5, patients_per_kind=12, lengths=(120, 365))
    rule = score(simulated, functools.partial(detect_patient, p=SETTINGS["standard"]))["all"]
    (oracle,) = oracle_sweep(simulated, "step", (7.0,))
    mine = oracle.scores["all"]
    kinds = ("sustained", "gradual", "new_sign", "mood_drop")
    assert sum(mine[k].visible for k in kinds) == sum(rule[k].visible for k in kinds)
    found = sum(mine[k].visible_detected for k in kinds)
    assert found > sum(rule[k].visible_detected for k in kinds)
    false_alarms = sum(s.false_alarms for s in mine.values())
    assert false_alarms <= sum(s.false_alarms for s in rule.values())
    # Every visible event found was reached, and an event is reached on its own measure within its window.
    assert found <= sum(sum(oracle.reached["all"][k]) for k in kinds)


def test_bench_detection_prints_the_oracle():
    out = io.StringIO()
    call_command("bench_detection", patients=1, oracle=True, stdout=out)
    text = out.getvalue()
    assert "The oracle (flags.oracle)" in text
    rows = [line for line in text.splitlines() if line.startswith(("| step", "| ramp"))]
    assert len(rows) == 20
    assert all(line.count("%") >= 9 for line in rows)
