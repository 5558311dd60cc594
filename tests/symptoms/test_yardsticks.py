""" "Now" and "usual", the one definition every screen shares, against hand-computed diaries."""

import datetime
import random
from types import SimpleNamespace

from symptoms.yardsticks import NOW_DAYS, USUAL_DAYS, DaySeries, compare, now_level, usual_level, window_values

TODAY = datetime.date(2026, 12, 4)
D = datetime.timedelta(days=1)


def test_now_is_the_mean_of_the_last_7_days_and_needs_4_of_them():
    series = {TODAY: 6, TODAY - 2 * D: 8, TODAY - 4 * D: 4, TODAY - 7 * D: 10}  # 7 days ago is outside
    assert now_level(series, TODAY) is None
    series[TODAY - 6 * D] = 2
    now = now_level(series, TODAY)
    assert (now.mean, now.count, now.days) == (5.0, 4, NOW_DAYS)


def test_usual_is_the_42_days_before_the_last_7_and_needs_14_of_them():
    series = {TODAY - d * D: 3 for d in range(7, 7 + USUAL_DAYS)}
    series.update({TODAY - d * D: 9 for d in range(7)})  # the last week never moves its own yardstick
    series[TODAY - (7 + USUAL_DAYS) * D] = 10  # the day before the window: outside
    usual = usual_level(series, TODAY)
    assert (usual.mean, usual.sd, usual.count, usual.flagged_on) == (3.0, 0.0, 42, None)
    assert usual_level({TODAY - d * D: 3 for d in range(7, 20)}, TODAY) is None  # 13 days: too few
    mixed = {TODAY - d * D: (2 if d % 2 else 4) for d in range(7, 21)}  # 14 days of 2 and 4
    usual = usual_level(mixed, TODAY)
    assert (usual.mean, usual.sd, usual.low, usual.high) == (3.0, 1.0, 2.0, 4.0)


def test_an_open_flag_freezes_usual_at_the_level_it_was_raised_against():
    # Four weeks at 7 after six weeks at 4: the rolling window (days 7-48) now holds 21 days of
    # the flare: (21 * 7 + 21 * 4) / 42 = 5.5.
    series = {TODAY - d * D: 4 for d in range(28, 70)}
    series.update({TODAY - d * D: 7 for d in range(28)})
    assert usual_level(series, TODAY).mean == 5.5
    flag = SimpleNamespace(date=TODAY - 24 * D, baseline_mean=4.1, baseline_days=40, resolved_on=None)
    frozen = usual_level(series, TODAY, flag)
    assert (frozen.mean, frozen.count, frozen.flagged_on) == (4.1, 40, TODAY - 24 * D)
    # Before the flag was raised, the usual level is the rolling one.
    assert usual_level(series, TODAY - 30 * D, flag).flagged_on is None


def test_compare_gives_points_percent_and_the_clinical_verdict():
    series = {TODAY - d * D: 4 for d in range(7, 49)}
    series.update({TODAY - d * D: 7 for d in range(6)})  # 6 of the last 7 days
    pain = compare(series, TODAY)
    assert (pain.now_shown, pain.usual_shown, pain.change, pain.percent) == (7.0, 4.0, 3.0, 75)
    assert (pain.side, pain.distance, pain.important, pain.verdict, pain.logged) == ("above", 3.0, True, "worse", 6)
    slight = compare({**series, **{TODAY - d * D: 5 for d in range(6)}}, TODAY)
    assert (slight.change, slight.percent, slight.verdict) == (1.0, 25, "steady")  # 25 % of 4, 1 point


def test_mood_is_better_higher_and_counts_2_points_only():
    series = {TODAY - d * D: 3 for d in range(7, 49)}
    series.update({TODAY - d * D: 2 for d in range(7)})
    mood = compare(series, TODAY, higher_is_worse=False)
    assert (mood.change, mood.side, mood.worse_by, mood.verdict) == (-1.0, "below", 1.0, "steady")  # 33 %, 1 point
    series.update({TODAY - d * D: 6 for d in range(7)})
    assert compare(series, TODAY, higher_is_worse=False).verdict == "better"


def test_a_measure_with_an_open_flag_is_worse_even_when_now_has_eased():
    series = {TODAY - d * D: 4 for d in range(7, 49)}
    series.update({TODAY - d * D: 5 for d in range(7)})  # eased to 5: 1 point, 25 %, not important
    flag = SimpleNamespace(date=TODAY - 10 * D, baseline_mean=4.0, baseline_days=42, resolved_on=None)
    pain = compare(series, TODAY, open_flag=flag)
    assert (pain.important, pain.flagged, pain.verdict) == (False, True, "worse")
    assert compare(series, TODAY).verdict == "steady"
    # A flag raised after the day asked about does not apply to it.
    assert not compare(series, TODAY - 11 * D, open_flag=flag).flagged


def test_too_little_data_has_no_verdict_and_still_counts_the_days_logged():
    too_few = compare({TODAY: 8, TODAY - D: 8, TODAY - 30 * D: 3}, TODAY)
    assert (too_few.now, too_few.usual, too_few.change, too_few.verdict, too_few.logged) == (None, None, None, "", 2)


def test_the_verdict_and_the_percent_follow_the_figures_as_shown():
    # Usual 296 / 42 = 7.048 shows as 7.0; now 9.0: "2.0 above the usual 7.0" is clinically important
    # (judged on the raw means, 1.95 points and 27.7 % were not, under a sentence that said 2.0).
    series = {TODAY - d * D: (8 if d < 7 + 2 else 7) for d in range(7, 49)}
    series.update({TODAY - d * D: 9 for d in range(7)})
    pain = compare(series, TODAY)
    assert (sum(v for d, v in series.items() if d <= TODAY - 7 * D), pain.usual_shown, pain.now_shown) == (
        296,
        7.0,
        9.0,
    )
    assert (pain.change, pain.important, pain.verdict) == (2.0, True, "worse")
    assert pain.percent == 29  # 2.0 / 7.0 = 28.57 %, halves up as everywhere (lib.figures.percent_of)


def test_the_flag_open_on_a_day_is_the_one_every_screen_holds_usual_at():
    from symptoms.yardsticks import flag_open_on, open_on

    past = SimpleNamespace(date=TODAY - 60 * D, resolved_on=TODAY - 40 * D, baseline_mean=3.0, baseline_days=30)
    now = SimpleNamespace(date=TODAY - 10 * D, resolved_on=None, baseline_mean=4.0, baseline_days=42)
    assert flag_open_on([now, past], TODAY) is now
    assert flag_open_on([now, past], TODAY - 50 * D) is past  # a range ending inside a past episode
    assert flag_open_on([now, past], TODAY - 40 * D) is None  # resolved that day
    assert not open_on(now, TODAY - 11 * D) and open_on(now, TODAY - 10 * D)


def test_a_day_series_gives_the_same_windows_as_the_plain_mapping():
    rng = random.Random(5)
    start = datetime.date(2025, 1, 1)
    plain = {start + datetime.timedelta(days=n): rng.randint(0, 10) for n in range(300) if rng.random() < 0.7}
    fast = DaySeries(plain)
    assert dict(fast) == plain
    for end_offset in range(-50, 360, 7):
        end = start + datetime.timedelta(days=end_offset)
        for length in (1, 7, 42):
            assert fast.window(end, length) == window_values(plain, end, length)
    assert DaySeries({}).window(start, 7) == []
