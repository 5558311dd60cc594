# ruff: noqa: RUF001  (the wording on screen writes a range of days with an en dash)
"""What the diary shows around a treatment, in the window that fits it: without a database, against
diaries worked out by hand."""

import datetime

import pytest

from lib.figures import percent_of
from symptoms.yardsticks import is_clinically_important
from treatments.response import (
    block_window,
    course_window,
    relief_in_words,
    titration_window,
    treatment_response,
    trial_window,
)

START = datetime.date(2026, 10, 15)
DAY = datetime.timedelta(days=1)


def d(offset: int) -> datetime.date:
    return START + offset * DAY


def diary(values: dict[int, dict]) -> dict:
    """{day offset from START: the day's measures}."""
    return {d(offset): measures for offset, measures in values.items()}


def by_name(response):
    return {change.measure.name: change for change in response.changes}


# The windows, one per kind of treatment.


def test_a_block_compares_days_1_to_7_after_with_the_7_days_before():
    window = block_window(START)
    assert (window.before.first, window.before.last) == (datetime.date(2026, 10, 8), datetime.date(2026, 10, 14))
    assert (window.after.first, window.after.last) == (datetime.date(2026, 10, 16), datetime.date(2026, 10, 22))
    assert (window.before.days, window.after.days, window.before.needed, window.after.needed) == (7, 7, 4, 4)
    assert window.words == "days 1–7 after the block against the 7 days before"
    assert window.ready_on == datetime.date(2026, 10, 22)
    assert block_window(START, noun="the injection").after_words == "days 1–7 after the injection"


def test_a_medication_compares_days_15_to_42_after_with_the_14_days_before():
    window = titration_window(START)
    assert (window.before.first, window.before.last) == (datetime.date(2026, 10, 1), datetime.date(2026, 10, 14))
    assert (window.after.first, window.after.last) == (datetime.date(2026, 10, 30), datetime.date(2026, 11, 26))
    assert (window.after.days, window.after.needed, window.before.needed) == (28, 14, 7)
    assert window.words == "days 15–42 after starting against the 14 days before"
    assert titration_window(START, after="after the dose change").words == (
        "days 15–42 after the dose change against the 14 days before"
    )
    assert not window.note and not window.not_read


def test_a_medication_stopped_within_its_window_is_read_up_to_the_stop_and_not_at_all_before_day_15():
    cut = titration_window(START, stopped_on=d(30))
    assert (cut.after.first, cut.after.last, cut.after.days, cut.after.needed) == (d(15), d(30), 16, 8)
    assert cut.after_words == "days 15–30 after starting"
    assert cut.ready_on == d(30)
    assert "stopped on day 30" in cut.note

    early = titration_window(START, stopped_on=d(10))
    assert early.not_read.startswith("Not compared: it was stopped on day 10, before day 15")
    daily = diary({offset: {"pain": 5} for offset in range(-14, 43)})
    response = treatment_response(daily, early, today=d(60))
    assert not response.enough_data and not response.too_early
    assert response.summary == early.not_read
    assert response.sentences == []

    assert titration_window(START, stopped_on=d(42)).after.last == d(42)  # stopped on the last day: whole window
    assert titration_window(START, stopped_on=d(50)).after_words == "days 15–42 after starting"


def test_a_finished_therapy_course_compares_its_last_2_weeks_with_the_2_weeks_before():
    window = course_window(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31), today=datetime.date(2026, 11, 10))
    assert (window.before.first, window.before.last) == (datetime.date(2026, 9, 17), datetime.date(2026, 9, 30))
    assert (window.after.first, window.after.last) == (datetime.date(2026, 10, 18), datetime.date(2026, 10, 31))
    assert window.words == "the last 2 weeks of the course against the 2 weeks before the course"
    assert window.ready_on == datetime.date(2026, 10, 31)


def test_a_running_course_reads_its_last_2_weeks_so_far_once_it_has_run_2_weeks():
    started = datetime.date(2026, 10, 1)
    young = course_window(started, None, today=datetime.date(2026, 10, 10))
    two_weeks_in = datetime.date(2026, 10, 14)
    assert (young.after.first, young.after.last, young.ready_on) == (started, two_weeks_in, two_weeks_in)
    response = treatment_response({}, young, today=datetime.date(2026, 10, 10))
    assert response.too_early
    assert response.too_early_words == (
        "Too early to tell: this compares the last 2 weeks so far against the 2 weeks before the course, "
        "so it can be read from 14 Oct 2026."
    )
    running = course_window(started, None, today=datetime.date(2026, 10, 20))
    assert (running.after.first, running.after.last) == (datetime.date(2026, 10, 7), datetime.date(2026, 10, 20))
    assert running.after_words == "the last 2 weeks so far"
    # An end date still ahead: the course is running.
    ahead = course_window(started, datetime.date(2026, 12, 1), today=datetime.date(2026, 10, 20))
    assert ahead == running


def test_a_course_shorter_than_2_weeks_is_read_whole():
    window = course_window(datetime.date(2026, 10, 1), datetime.date(2026, 10, 5), today=datetime.date(2026, 10, 20))
    assert (window.after.first, window.after.last, window.after.needed) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 10, 5),
        3,
    )
    assert window.after_words == "the whole course (5 days)"


def test_a_stimulator_trial_is_compared_with_the_14_days_before_it():
    window = trial_window(datetime.date(2026, 10, 10), datetime.date(2026, 10, 17))
    assert (window.before.first, window.before.last) == (datetime.date(2026, 9, 26), datetime.date(2026, 10, 9))
    assert (window.after.first, window.after.last) == (datetime.date(2026, 10, 11), datetime.date(2026, 10, 16))
    assert window.words == "the trial (days 1–6 after the implant) against the 14 days before the trial"
    assert window.ready_on == datetime.date(2026, 10, 16)

    still_in = trial_window(datetime.date(2026, 10, 10), None)
    assert (still_in.after.first, still_in.after.last) == (datetime.date(2026, 10, 11), datetime.date(2026, 10, 17))
    assert still_in.after_words == "days 1–7 of the trial"
    assert "No end of the trial is recorded" in still_in.note

    next_day = trial_window(datetime.date(2026, 10, 10), datetime.date(2026, 10, 11))
    assert (next_day.after.days, next_day.after_words) == (1, "the trial (day 1 after the implant)")


# The comparison.


def test_a_block_that_lowered_pain_by_more_than_2_points():
    # Before: 6 6 7 7 6 6 7 = 45/7 = 6.43 -> 6.4. After: 4 4 3 5 4 4 5 = 29/7 = 4.14 -> 4.1. The day of the
    # block (10) and the days outside the windows (0) are not read.
    before = [6, 6, 7, 7, 6, 6, 7]
    after = [4, 4, 3, 5, 4, 4, 5]
    values = {-7 + i: {"pain": v} for i, v in enumerate(before)} | {1 + i: {"pain": v} for i, v in enumerate(after)}
    values |= {0: {"pain": 10}, -8: {"pain": 0}, 8: {"pain": 0}}
    response = treatment_response(diary(values), block_window(START), today=d(30))
    pain = by_name(response)["pain"]
    assert (pain.before_mean, pain.before_days, pain.after_mean, pain.after_days) == (6.4, 7, 4.1, 7)
    assert pain.change == -2.3
    assert pain.percent == -36  # -2.3 / 6.4 = -35.9 %
    assert pain.percent_words == "\u221236 %"
    assert pain.important
    assert pain.difference_words == "2.3 lower"
    assert response.sentences == [
        "Pain was 2.3 lower in days 1–7 after the block than in the 7 days before (a clinically important difference)."
    ]
    assert response.summary == (
        "Days 1–7 after the block against the 7 days before: pain 2.3 lower (clinically important difference); "
        "too little data for spasms, swelling, skin changes and mood (10 = best)."
    )


def test_a_medication_read_over_days_15_to_42_as_in_the_issue():
    # Before: 3 and 4 alternating over 14 days = 3.5. Days 1-14 after (9) are not read. Days 15-42: 20 days
    # of 5 and 8 of 4 = 132/28 = 4.71 -> 4.7. 1.2 higher is 34 % of 3.5: clinically important.
    values = {offset: {"pain": 3 if offset % 2 else 4} for offset in range(-14, 0)}
    values |= {offset: {"pain": 9} for offset in range(0, 15)}
    values |= {offset: {"pain": 5 if offset < 35 else 4} for offset in range(15, 43)}
    response = treatment_response(diary(values), titration_window(START), today=d(42))
    pain = by_name(response)["pain"]
    assert (pain.before_mean, pain.after_mean, pain.change, pain.percent) == (3.5, 4.7, 1.2, 34)
    assert response.sentence(pain) == (
        "Pain was 1.2 higher in days 15–42 after starting than in the 14 days before "
        "(a clinically important difference)."
    )


def test_a_small_difference_is_not_clinically_important():
    values = {offset: {"pain": 6} for offset in range(-7, 0)} | {offset: {"pain": 5} for offset in range(1, 8)}
    response = treatment_response(diary(values), block_window(START), today=d(7))
    pain = by_name(response)["pain"]
    assert (pain.change, pain.important, pain.verdict) == (-1.0, False, "no clinically important difference")
    assert response.sentences == [
        "No clinically important difference in pain between days 1–7 after the block and the 7 days before."
    ]


def test_no_difference_reads_the_same():
    values = {
        offset: dict.fromkeys(("pain", "spasms", "swelling", "skin_changes", "mood"), 5) for offset in range(-7, 8)
    }
    response = treatment_response(diary(values), block_window(START), today=d(7))
    pain = by_name(response)["pain"]
    assert (pain.change, pain.difference_words) == (0, "the same")
    assert response.sentence(pain) == (
        "Pain was the same in days 1–7 after the block as in the 7 days before (no clinically important difference)."
    )
    assert response.sentences == [
        "No clinically important difference in any measure between days 1–7 after the block and the 7 days before."
    ]
    assert response.summary == (
        "Days 1–7 after the block against the 7 days before: no clinically important difference in any measure."
    )


def test_thirty_percent_counts_on_low_scores_but_not_for_mood():
    values = {offset: {"swelling": 3, "mood": 3} for offset in range(-7, 0)}
    values |= {offset: {"swelling": 4, "mood": 2} for offset in range(1, 8)}
    changes = by_name(treatment_response(diary(values), block_window(START), today=d(7)))
    assert changes["swelling"].important  # +1 on 3 is +33 %
    assert changes["swelling"].percent == 33
    assert changes["swelling"].percent_words == "+33 %"
    assert not changes["mood"].important  # -1 on 3 is -33 %, but mood counts whole points only
    assert changes["mood"].percent is None
    assert changes["mood"].percent_words == ""


def test_mood_is_labelled_10_best_and_a_2_point_fall_is_clinically_important():
    values = {offset: {"mood": 7} for offset in range(-14, 0)} | {offset: {"mood": 5} for offset in range(15, 43)}
    response = treatment_response(diary(values), titration_window(START), today=d(50))
    mood = by_name(response)["mood"]
    assert (mood.change, mood.important) == (-2.0, True)
    assert response.sentences == [
        "Mood (10 = best) was 2.0 lower in days 15–42 after starting than in the 14 days before "
        "(a clinically important difference)."
    ]


def test_it_is_too_early_until_the_after_window_has_passed_and_says_when():
    values = {offset: {"pain": 8} for offset in range(-14, 0)} | {offset: {"pain": 2} for offset in range(15, 42)}
    early = treatment_response(diary(values), titration_window(START), today=d(41))
    assert early.too_early and not early.enough_data and early.important_changes == [] and early.sentences == []
    assert (
        early.summary
        == early.too_early_words
        == (
            "Too early to tell: this compares days 15–42 after starting against the 14 days before, "
            "so it can be read from 26 Nov 2026."
        )
    )
    ready = treatment_response(diary(values), titration_window(START), today=d(42))
    assert not ready.too_early and ready.enough_data
    assert treatment_response({}, block_window(START), today=d(6)).too_early
    assert not treatment_response({}, block_window(START), today=d(7)).too_early


@pytest.mark.parametrize(("before_days", "after_days", "enough"), [(4, 4, True), (3, 7, False), (7, 3, False)])
def test_each_window_needs_at_least_half_its_days_logged(before_days, after_days, enough):
    values = {-offset: {"pain": 8} for offset in range(1, before_days + 1)}
    values |= {offset: {"pain": 2} for offset in range(1, after_days + 1)}
    response = treatment_response(diary(values), block_window(START), today=d(10))
    pain = by_name(response)["pain"]
    assert pain.enough_data is enough
    assert response.enough_data is enough
    assert (pain.change is None) is not enough
    assert pain.important is enough


def test_too_little_data_says_how_much_is_needed():
    values = {offset: {"pain": 5} for offset in range(-14, -7)} | {offset: {"pain": 5} for offset in range(15, 28)}
    response = treatment_response(diary(values), titration_window(START), today=d(60))
    assert not response.enough_data  # 13 of 28 after
    assert response.summary == (
        "Too little diary data to compare days 15–42 after starting against the 14 days before: each needs at "
        "least half its days logged (7 of 14 before, 14 of 28 after)."
    )


def test_missing_values_are_not_zero():
    values = {offset: {"pain": 6, "mood": None} for offset in [*range(-7, 0), *range(1, 8)]}
    changes = by_name(treatment_response(diary(values), block_window(START), today=d(7)))
    assert changes["mood"].before_days == 0
    assert changes["pain"].change == 0


def test_means_are_rounded_as_shown_and_judged_as_shown():
    # Mood before: 7 7 7 7 7 8 = 43/6 = 7.17, shown 7.2; after: 5 5 5 5 6 = 26/5 = 5.2. Unrounded the fall is
    # 1.97 points; as shown it is 2.0, and it is judged as shown, so that the page never shows a 2-point fall
    # called "no clinically important difference".
    values = {-1 - i: {"mood": v} for i, v in enumerate([7, 7, 7, 7, 7, 8])}
    values |= {1 + i: {"mood": v} for i, v in enumerate([5, 5, 5, 5, 6])}
    mood = by_name(treatment_response(diary(values), block_window(START), today=d(7)))["mood"]
    assert (mood.before_mean, mood.after_mean, mood.change) == (7.2, 5.2, -2.0)
    assert mood.important
    # Halves round up (lib.figures.one_decimal): 13/4 = 3.25 shows as 3.3.
    values = {-1 - i: {"pain": v} for i, v in enumerate([3, 3, 3, 4])} | {1 + i: {"pain": 3} for i in range(4)}
    assert by_name(treatment_response(diary(values), block_window(START), today=d(7)))["pain"].before_mean == 3.3


# What the patient recorded, and whole percentages.


@pytest.mark.parametrize(
    ("percent", "days", "words"),
    [
        (50, 4, "50 % relief for 4 days"),
        (None, 4, "relief for 4 days"),
        (None, 1, "relief for 1 day"),
        (70, None, "70 % relief"),
        (30, 0, "30 % relief for less than a day"),
        (0, 3, "no relief"),
        (None, None, ""),
    ],
)
def test_relief_in_words(percent, days, words):
    assert relief_in_words(percent, days) == words


def test_whole_percentages_round_halves_up():
    assert percent_of(12, 14) == 86
    assert percent_of(1, 8) == 13  # 12.5; round() would say 12
    assert percent_of(0, 5) == 0
    assert percent_of(-2.3, 6.4) == -36


def test_the_threshold_lives_in_one_place():
    assert is_clinically_important(5.0, 3.0)
    assert not is_clinically_important(5.0, 3.6)
    assert is_clinically_important(2.0, 1.4)  # 30 %
    assert not is_clinically_important(0.0, 1.0)
    assert not is_clinically_important(3.0, 2.0, higher_is_worse=False)


def test_the_response_uses_the_one_threshold(monkeypatch):
    import treatments.response

    monkeypatch.setattr(treatments.response, "is_clinically_important", lambda *args, **kwargs: True)
    values = {offset: {"pain": 5} for offset in [*range(-7, 0), *range(1, 8)]}
    pain = by_name(treatment_response(diary(values), block_window(START), today=d(7)))["pain"]
    assert pain.important
