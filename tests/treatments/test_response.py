"""Before/after summaries, without a database."""

import datetime

from symptoms.clinical import is_clinically_important
from treatments.response import MIN_DAYS, treatment_response

START = datetime.date(2026, 10, 15)


def diary(before: dict, after: dict, before_days=14, after_days=14):
    days = {}
    for offset in range(1, before_days + 1):
        days[START - datetime.timedelta(days=offset)] = before
    for offset in range(after_days):
        days[START + datetime.timedelta(days=offset)] = after
    return days


def by_name(response):
    return {change.measure.name: change for change in response.changes}


def test_a_two_point_fall_in_pain_is_a_clinically_important_improvement():
    changes = by_name(treatment_response(diary({"pain": 6}, {"pain": 4}), START))
    pain = changes["pain"]
    assert (pain.before_mean, pain.before_days, pain.after_mean, pain.after_days) == (6, 14, 4, 14)
    assert pain.change == -2
    assert pain.percent == -33
    assert pain.important
    assert pain.direction == "better"


def test_a_small_change_is_not_important():
    pain = by_name(treatment_response(diary({"pain": 6}, {"pain": 5}), START))["pain"]
    assert pain.change == -1
    assert not pain.important
    assert pain.direction == "unchanged"


def test_thirty_percent_counts_on_low_scores():
    swelling = by_name(treatment_response(diary({"swelling": 3}, {"swelling": 4}), START))["swelling"]
    assert swelling.important  # +1 on 3 is +33 %
    assert swelling.direction == "worse"


def test_mood_going_up_is_better():
    mood = by_name(treatment_response(diary({"mood": 4}, {"mood": 7}), START))["mood"]
    assert mood.direction == "better"
    mood_down = by_name(treatment_response(diary({"mood": 7}, {"mood": 4}), START))["mood"]
    assert mood_down.direction == "worse"


def test_too_few_days_on_either_side_gives_no_comparison():
    response = treatment_response(diary({"pain": 8}, {"pain": 2}, before_days=MIN_DAYS - 1), START)
    pain = by_name(response)["pain"]
    assert not pain.enough_data
    assert pain.change is None
    assert not pain.important
    assert not response.enough_data


def test_missing_values_are_not_zero():
    days = diary({"pain": 6, "mood": None}, {"pain": 6, "mood": None})
    changes = by_name(treatment_response(days, START))
    assert changes["mood"].before_days == 0
    assert changes["pain"].change == 0


def test_the_start_day_counts_as_after_and_days_outside_the_windows_do_not():
    days = diary({"pain": 5}, {"pain": 5})
    days[START] = {"pain": 9}
    days[START - datetime.timedelta(days=15)] = {"pain": 0}
    days[START + datetime.timedelta(days=14)] = {"pain": 0}
    pain = by_name(treatment_response(days, START))["pain"]
    assert pain.before_mean == 5
    assert pain.after_mean == round((9 + 5 * 13) / 14, 1)


def test_mood_counts_only_whole_2_points():
    assert not is_clinically_important(3.0, 2.0, higher_is_worse=False)
    assert is_clinically_important(7.0, 5.0, higher_is_worse=False)


def test_the_threshold_lives_in_one_place():
    assert is_clinically_important(5.0, 3.0)
    assert not is_clinically_important(5.0, 3.6)
    assert is_clinically_important(2.0, 1.4)  # 30 %
    assert not is_clinically_important(0.0, 1.0)
