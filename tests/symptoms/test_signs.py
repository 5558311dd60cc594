"""The CRPS signs table against hand-built diaries (no database)."""

import datetime

import pytest

from symptoms.signs import (
    DETAIL_MEASURES,
    SIGN_FIELDS,
    SIGNS,
    Count,
    count_days,
    detail_rows,
    sign_on,
    sign_summary,
    signs_table,
)

DAY = datetime.date(2026, 12, 4)
D = datetime.timedelta(days=1)
SIGN = {sign.key: sign for sign in SIGNS}


def diary(**by_offset) -> dict:
    """{DAY - n days: values} from keyword arguments d0=..., d1=..."""
    return {DAY - int(key[1:]) * D: values for key, values in by_offset.items()}


def test_each_sign_is_defined_once_with_its_budapest_category_and_fields():
    assert [s.key for s in SIGNS] == [
        "allodynia",
        "temperature_difference",
        "skin_colour_change",
        "sweating_change",
        "swelling",
        "tremor_or_dystonia",
        "poor_sleep",
    ]
    assert {s.key: s.category for s in SIGNS} == {
        "allodynia": "Sensory",
        "temperature_difference": "Vasomotor",
        "skin_colour_change": "Vasomotor",
        "sweating_change": "Sudomotor / oedema",
        "swelling": "Sudomotor / oedema",
        "tremor_or_dystonia": "Motor / trophic",
        "poor_sleep": "Sleep (not a Budapest sign)",
    }
    assert set(SIGN_FIELDS) == {
        "allodynia",
        "limb_temperature",
        "skin_colour",
        "sweating",
        "swelling",
        "tremor",
        "spasm_episodes",
        "spasms",
        "sleep_quality",
    }


@pytest.mark.parametrize(
    ("key", "values", "expected"),
    [
        ("allodynia", {"allodynia": True}, True),
        ("allodynia", {"allodynia": False}, False),
        ("allodynia", {"allodynia": None}, None),
        ("allodynia", {"pain": 5}, None),  # a logged day without the question answered
        ("temperature_difference", {"limb_temperature": "colder"}, True),
        ("temperature_difference", {"limb_temperature": "warmer"}, True),
        ("temperature_difference", {"limb_temperature": "same"}, False),
        ("temperature_difference", {"limb_temperature": ""}, None),
        ("skin_colour_change", {"skin_colour": "blue_purple"}, True),
        ("skin_colour_change", {"skin_colour": "mottled"}, True),
        ("skin_colour_change", {"skin_colour": "normal"}, False),
        ("skin_colour_change", {"skin_colour": ""}, None),
        ("sweating_change", {"sweating": "less"}, True),
        ("sweating_change", {"sweating": "normal"}, False),
        ("sweating_change", {"sweating": ""}, None),
        ("swelling", {"swelling": 3}, True),
        ("swelling", {"swelling": 2}, False),
        ("swelling", {"swelling": 0}, False),
        ("swelling", {"swelling": None}, None),
        ("tremor_or_dystonia", {"tremor": True, "spasm_episodes": None, "spasms": None}, True),
        ("tremor_or_dystonia", {"tremor": None, "spasm_episodes": 1, "spasms": None}, True),
        ("tremor_or_dystonia", {"tremor": False, "spasm_episodes": 0, "spasms": 3}, True),
        ("tremor_or_dystonia", {"tremor": None, "spasm_episodes": None, "spasms": 2}, False),
        ("tremor_or_dystonia", {"tremor": False, "spasm_episodes": 0, "spasms": None}, False),
        ("tremor_or_dystonia", {"tremor": None, "spasm_episodes": None, "spasms": None}, None),
        ("poor_sleep", {"sleep_quality": 3}, True),
        ("poor_sleep", {"sleep_quality": 0}, True),
        ("poor_sleep", {"sleep_quality": 4}, False),
        ("poor_sleep", {"sleep_quality": 10}, False),
        ("poor_sleep", {"sleep_quality": None}, None),
    ],
)
def test_present_recorded_absent_or_not_recorded_on_a_day(key, values, expected):
    assert sign_on(SIGN[key], {DAY: values}, DAY) is expected


def test_a_day_not_logged_is_not_recorded():
    assert sign_on(SIGN["swelling"], {DAY - D: {"swelling": 8}}, DAY) is None


def test_days_present_of_days_recorded_in_the_last_7_and_28_days():
    # Last 7 days (d0..d6): 6 logged (not d3), 5 with the question answered, allodynia on 3.
    daily = diary(
        d0={"allodynia": True},
        d1={"allodynia": False},
        d2={"allodynia": True},
        d4={"allodynia": None},  # logged, question left empty: not recorded
        d5={"allodynia": False},
        d6={"allodynia": True},
        d7={"allodynia": True},  # the 8th day back: in the 28 days, not in the 7
        d27={"allodynia": True},  # the 28th day back
        d28={"allodynia": True},  # the 29th: outside both
    )
    week = count_days(SIGN["allodynia"], daily, DAY, 7)
    assert (week.present, week.recorded) == (3, 5)
    assert week.shown == "3 of 5 recorded days"
    month = count_days(SIGN["allodynia"], daily, DAY, 28)
    assert (month.present, month.recorded) == (5, 7)


def test_a_sign_never_recorded_in_a_window_says_not_recorded_never_0_days():
    daily = diary(d0={"pain": 6, "skin_colour": ""}, d1={"pain": 7, "skin_colour": ""})
    summary = sign_summary(SIGN["skin_colour_change"], daily, DAY)
    assert summary.week == Count(0, 0, 7)
    assert summary.week.shown == "not recorded"
    assert summary.month.shown == "not recorded"
    assert summary.usual_shown == "not recorded"
    assert summary.trend == ""
    # Recorded and absent is another thing: "0 of 1 recorded day".
    assert Count(0, 1, 7).shown == "0 of 1 recorded day"


def usual_allodynia(share_in_10: int, *, recorded_days: int = 40) -> dict:
    """The usual window (42 days ending 7 days before DAY) with allodynia on `share_in_10` of each 10 days."""
    daily = {}
    for n in range(recorded_days):
        day = DAY - (7 + n) * D  # d7 .. d46
        daily[day] = {"allodynia": n % 10 < share_in_10}
    return daily


def test_the_usual_share_is_that_of_the_usual_window_of_symptoms_usual():
    daily = usual_allodynia(2)  # 8 of 40 recorded days
    # Outside it: the 49th day back is too old; the last 7 days are "now", not usual.
    daily[DAY - 49 * D] = {"allodynia": True}
    daily[DAY - 48 * D] = {"allodynia": True}  # the usual window's first day (42 days ending d7)
    summary = sign_summary(SIGN["allodynia"], daily, DAY)
    assert (summary.usual.present, summary.usual.recorded, summary.usual.days) == (9, 41, 42)
    assert summary.usual_shown == "2 in 10 days"
    assert summary.week.shown == "not recorded"
    assert summary.month.shown == "5 of 21 recorded days"  # d7..d27: n = 0..20; present at n = 0, 1, 10, 11, 20


@pytest.mark.parametrize(
    ("present_now", "trend"),
    [
        (4, "more often"),  # usual 2 in 10 over 7 recorded days: 1.4 expected; 4 is 2.6 more
        (3, ""),  # 1.6 more: within a week's chance
        (0, ""),  # 1.4 fewer
    ],
)
def test_more_often_than_usual_takes_two_days_more_than_the_usual_share_predicts(present_now, trend):
    daily = usual_allodynia(2)
    for n in range(7):
        daily[DAY - n * D] = {"allodynia": n < present_now}
    summary = sign_summary(SIGN["allodynia"], daily, DAY)
    assert summary.week.shown == f"{present_now} of 7 recorded days"
    assert summary.expected == pytest.approx(1.4)
    assert summary.trend == trend


def test_less_often_than_usual():
    daily = usual_allodynia(10)  # every day usually
    for n in range(7):
        daily[DAY - n * D] = {"allodynia": n < 5}
    summary = sign_summary(SIGN["allodynia"], daily, DAY)
    assert summary.usual_shown == "every day"
    assert summary.trend == "less often"  # 5 of 7 against 7 expected


def test_no_word_with_too_few_recorded_days_now_or_usually():
    daily = usual_allodynia(0, recorded_days=13)  # 13 usual days: fewer than the 14 usual needs
    for n in range(7):
        daily[DAY - n * D] = {"allodynia": True}
    summary = sign_summary(SIGN["allodynia"], daily, DAY)
    assert summary.usual_shown == "too few days (13 recorded)"
    assert summary.trend == ""
    daily = usual_allodynia(0)
    for n in range(3):  # 3 recorded days now: fewer than the 4 a 7-day figure needs
        daily[DAY - n * D] = {"allodynia": True}
    summary = sign_summary(SIGN["allodynia"], daily, DAY)
    assert summary.usual_shown == "never"
    assert summary.trend == ""
    daily[DAY - 3 * D] = {"allodynia": True}
    assert sign_summary(SIGN["allodynia"], daily, DAY).trend == "more often"


@pytest.mark.parametrize(
    ("present", "recorded", "shown"),
    [
        (1, 40, "under 1 in 10 days"),
        (39, 40, "nearly every day"),
        (10, 40, "3 in 10 days"),  # 2.5, halves up
        (7, 20, "4 in 10 days"),  # 3.5
        (20, 40, "5 in 10 days"),
    ],
)
def test_the_usual_share_in_words(present, recorded, shown):
    daily = {DAY - (7 + n) * D: {"allodynia": n < present} for n in range(recorded)}
    assert sign_summary(SIGN["allodynia"], daily, DAY).usual_shown == shown


def test_worst_pain_sleep_anxiety_and_interference_now_against_usual():
    daily = {}
    for n in range(7, 49):  # usual: worst pain 5, sleep 7, anxiety 3; interference every other day 4
        daily[DAY - n * D] = {"worst_pain": 5, "sleep_quality": 7, "anxiety": 3, "interference": 4 if n % 2 else None}
    for n in range(7):  # now: worst pain 8, sleep 3, anxiety 3; interference not recorded
        daily[DAY - n * D] = {"worst_pain": 8, "sleep_quality": 3, "anxiety": 3, "interference": None}
    rows = {row.measure.name: row.comparison for row in detail_rows(daily, DAY)}
    assert [m.name for m in DETAIL_MEASURES] == ["worst_pain", "sleep_quality", "anxiety", "interference"]
    assert (rows["worst_pain"].now_shown, rows["worst_pain"].usual_shown, rows["worst_pain"].change) == (8.0, 5.0, 3.0)
    assert rows["worst_pain"].verdict == "worse"
    # Sleep: 10 = best, so lower is worse.
    assert (rows["sleep_quality"].now_shown, rows["sleep_quality"].usual_shown) == (3.0, 7.0)
    assert rows["sleep_quality"].verdict == "worse"
    assert rows["anxiety"].verdict == "steady"
    assert rows["interference"].now is None and rows["interference"].usual_shown == 4.0
    assert rows["interference"].verdict == ""


def test_the_table_counts_the_days_sign_on_finds():
    daily = diary(d0={"swelling": 6}, d1={"swelling": 1}, d2={"swelling": 3}, d9={"swelling": 9})
    table = signs_table(daily, DAY)
    swelling = next(s for s in table.signs if s.sign.key == "swelling")
    assert swelling.week.shown == "2 of 3 recorded days"
    assert table.anything_recorded
    days = [DAY - n * D for n in range(10)]
    assert [d for d in days if sign_on(SIGN["swelling"], daily, d)] == [DAY, DAY - 2 * D, DAY - 9 * D]
    assert not signs_table({}, DAY).anything_recorded
