"""The dashboard's arithmetic, without a database."""

import datetime
from types import SimpleNamespace

from dashboard.ranges import DateRange, date_range
from dashboard.series import rolling_mean, weekly_means
from dashboard.summary import logging_streak, pain_calendar, summary_cards, text_summaries
from flags.selectors import new_diary

TODAY = datetime.date(2026, 11, 24)
D = datetime.timedelta(days=1)


def test_the_7_day_mean_needs_4_logged_days_and_never_counts_gaps_as_zero():
    series = {TODAY - 0 * D: 6, TODAY - 2 * D: 8, TODAY - 4 * D: 4}
    assert rolling_mean(series, TODAY) is None
    series[TODAY - 6 * D] = 2
    assert rolling_mean(series, TODAY) == 5.0


def test_weekly_means_run_monday_to_sunday():
    series = {datetime.date(2026, 11, 16): 4, datetime.date(2026, 11, 22): 6, datetime.date(2026, 11, 23): 1}
    weeks = weekly_means(series, datetime.date(2026, 11, 16), datetime.date(2026, 11, 29))
    assert [(w.start, w.mean, w.count) for w in weeks] == [
        (datetime.date(2026, 11, 16), 5.0, 2),
        (datetime.date(2026, 11, 23), 1.0, 1),
    ]


def test_ranges():
    assert date_range({}, today=TODAY, first_entry=None).days == 90
    thirty = date_range({"range": "30"}, today=TODAY, first_entry=None)
    assert (thirty.start, thirty.end, thirty.days) == (TODAY - 29 * D, TODAY, 30)
    assert thirty.previous.end == TODAY - 30 * D and thirty.previous.days == 30
    everything = date_range({"range": "all"}, today=TODAY, first_entry=datetime.date(2021, 1, 1))
    assert everything.start == datetime.date(2021, 1, 1) and everything.weekly
    custom = date_range({"start": "2026-01-01", "end": "2026-02-01"}, today=TODAY, first_entry=None)
    assert (custom.key, custom.days) == ("custom", 32)
    assert date_range({"start": "2026-03-01", "end": "2026-02-01"}, today=TODAY, first_entry=None).error
    assert date_range({"start": "garbage"}, today=TODAY, first_entry=None).error
    assert date_range({"start": "2026-01-01", "end": "2099-01-01"}, today=TODAY, first_entry=None).end == TODAY
    assert date_range({"range": "9999"}, today=TODAY, first_entry=None).key == "90"


def test_a_young_diary_is_shown_from_its_first_day_over_at_least_two_weeks():
    three_weeks_old = date_range({"range": "90"}, today=TODAY, first_entry=TODAY - 20 * D)
    assert (three_weeks_old.start, three_weeks_old.key, three_weeks_old.whole_diary) == (TODAY - 20 * D, "90", True)
    begun_today = date_range({"range": "30"}, today=TODAY, first_entry=TODAY)
    assert (begun_today.start, begun_today.days, begun_today.whole_diary) == (TODAY - 13 * D, 14, True)
    older = date_range({"range": "30"}, today=TODAY, first_entry=TODAY - 100 * D)
    assert (older.days, older.whole_diary) == (30, False)
    assert date_range({"range": "30"}, today=TODAY, first_entry=TODAY - 29 * D).whole_diary
    assert date_range({"range": "all"}, today=TODAY, first_entry=TODAY - 500 * D).whole_diary
    assert date_range({"range": "all"}, today=TODAY, first_entry=TODAY - 3 * D).days == 14  # like the presets
    assert date_range({"range": "all"}, today=TODAY, first_entry=None).days == 14
    custom = date_range({"start": "2026-11-01", "end": "2026-11-10"}, today=TODAY, first_entry=TODAY - 100 * D)
    assert not custom.whole_diary


def test_a_bad_custom_range_falls_back_to_the_default_range_from_the_first_entry():
    # A diary begun 26 Oct: the default 90 days start there, and so does the fallback for a bad range.
    begun = datetime.date(2026, 10, 26)
    for bad in ({"start": "garbage"}, {"start": "2026-11-20", "end": "2026-11-01"}, {"start": "1900-01-01"}):
        fallback = date_range(bad, today=TODAY, first_entry=begun)
        assert fallback.error
        assert (fallback.start, fallback.key, fallback.whole_diary) == (begun, "90", True)  # not from 27 Aug


def test_a_diary_the_rule_cannot_test_yet_says_what_the_rule_needs():
    fresh = new_diary(None, 0, [], TODAY)
    assert (fresh.logged_days, fresh.young, fresh.baseline_needs, fresh.daily_logger_days) == (0, True, 14, 19)
    daily = [TODAY - d * D for d in range(19)]
    assert new_diary(daily[-1], 18, daily[1:], TODAY - D).young  # 18 days of daily logging: not yet
    assert new_diary(daily[-1], 19, daily, TODAY) is None  # the 19th: watched
    # Sixteen entries spread over a year never give 14 in six weeks: not young, and not watched.
    sparse = [TODAY - 20 * d * D for d in range(16)]
    spread = new_diary(sparse[-1], 16, sparse, TODAY)
    assert spread is not None and not spread.young


def thirty_days():
    return DateRange(TODAY - 29 * D, TODAY, "30", "30 days")


def test_cards_lead_with_now_against_usual_and_give_the_range_second():
    daily = {TODAY - d * D: {"pain": 4, "mood": 4, "spasms": 8} for d in range(30, 80)}
    daily.update({TODAY - d * D: {"pain": 7, "mood": 3, "spasms": 9} for d in range(30)})
    cards = {card.measure.name: card for card in summary_cards(daily, thirty_days())}
    pain, mood, swelling, spasms = cards["pain"], cards["mood"], cards["swelling"], cards["spasms"]
    # Now: the last 7 days (7.0) against the 42 days before them (days 7-48: 23 at 7, 19 at 4).
    assert (pain.now.now_shown, pain.now.usual.mean) == (7.0, (23 * 7 + 19 * 4) / 42)
    assert (pain.now.usual_shown, pain.now.change, pain.now.percent, pain.verdict) == (5.6, 1.4, 25, "steady")
    # Second: the range's mean against the previous range's.
    assert (pain.mean, pain.count, pain.previous_mean, pain.change) == (7.0, 30, 4.0, 3.0)
    assert (mood.now.change, mood.verdict) == (-0.5, "steady")  # mood counts only 2 points
    assert spasms.verdict == "steady"  # 9 against 8.5
    assert swelling.mean is None and swelling.verdict == "" and swelling.now.logged == 0


def test_a_card_says_worse_when_the_last_week_is_clinically_important_against_usual():
    daily = {TODAY - d * D: {"pain": 3} for d in range(7, 60)}
    daily.update({TODAY - d * D: {"pain": 6} for d in range(5)})  # 5 of the last 7 days
    pain = summary_cards(daily, thirty_days())[0]
    assert (pain.now.now_shown, pain.now.usual_shown, pain.now.change, pain.now.percent) == (6.0, 3.0, 3.0, 100)
    assert (pain.verdict, pain.flagged_on) == ("worse", None)
    # The 30-day mean barely moved (3.5 against 3.0): the range alone would have said "steady".
    assert (pain.mean, pain.previous_mean) == (3.5, 3.0)


def test_a_card_with_an_open_flag_shows_the_usual_level_the_flag_was_measured_against_and_says_worse():
    # Four weeks of worsening have lifted the rolling "usual"; the card must not present that as the
    # patient's usual while the flag that says "up from 4.1" is open.
    daily = {TODAY - d * D: {"pain": 4} for d in range(30, 80)}
    daily.update({TODAY - d * D: {"pain": 7} for d in range(30)})
    flag = SimpleNamespace(measure="pain", date=TODAY - 26 * D, baseline_mean=4.1, baseline_days=40, resolved_on=None)
    later = SimpleNamespace(measure="pain", date=TODAY - 3 * D, baseline_mean=6.0, baseline_days=40, resolved_on=None)
    cards = {card.measure.name: card for card in summary_cards(daily, thirty_days(), [later, flag])}
    pain = cards["pain"]
    assert (pain.flagged_on, pain.now.usual_shown, pain.now.change, pain.verdict) == (TODAY - 26 * D, 4.1, 2.9, "worse")
    assert cards["mood"].flagged_on is None
    earlier = DateRange(TODAY - 59 * D, TODAY - 30 * D, "custom", "earlier")
    assert summary_cards(daily, earlier, [flag])[0].flagged_on is None  # raised after that range
    # Eased back to 5 (not clinically important against 4.1): still worse while the flag is open.
    daily.update({TODAY - d * D: {"pain": 5} for d in range(7)})
    eased = summary_cards(daily, thirty_days(), [flag])[0]
    assert (eased.now.important, eased.verdict) == (False, "worse")


def test_with_a_flag_open_the_sentence_gives_the_same_usual_level_as_the_card():
    daily = {TODAY - d * D: {"pain": 4} for d in range(30, 80)}
    daily.update({TODAY - d * D: {"pain": 7} for d in range(30)})
    flag = SimpleNamespace(measure="pain", date=TODAY - 26 * D, baseline_mean=4.1, baseline_days=40, resolved_on=None)
    card = summary_cards(daily, thirty_days(), [flag])[0]
    pain = text_summaries(daily, thirty_days(), [flag])[0].sentence
    assert card.now.usual_shown == 4.1
    # Not the rolling usual level: the last weeks' window already holds the rise.
    assert pain.endswith("; last 7 days 7.0; usual 4.1 before the 29 Oct flag.")
    assert pain.count("usual") == 1
    assert text_summaries(daily, thirty_days())[0].sentence.endswith("; last 7 days 7.0; usual 5.6\u00a0(±1.5).")


def test_a_card_needs_7_days_on_each_side_to_compare_the_ranges():
    daily = {TODAY - d * D: {"pain": 8} for d in range(5)}
    daily.update({TODAY - d * D: {"pain": 2} for d in range(49, 80)})
    pain = summary_cards(daily, thirty_days())[0]
    assert not pain.comparable
    assert pain.change is None
    assert pain.now.usual is None and pain.verdict == ""  # no usual level: 0 days logged in days 7-48


def test_text_summaries_say_it_in_words():
    daily = {TODAY - d * D: {"pain": 5 + (d == 3)} for d in range(30)}
    sentence = text_summaries(daily, thirty_days())[0].sentence
    assert sentence.startswith("Pain (10 = worst): average 5.0 over 30 logged days of 30")
    assert "highest 6 on 21 Nov 2026" in sentence
    assert text_summaries({}, thirty_days())[4].sentence == "Mood: nothing logged from 26 Oct 2026 to 24 Nov 2026."


def test_the_streak_ends_today_or_yesterday():
    logged = [TODAY - d * D for d in (1, 2, 3, 5)]
    assert logging_streak(logged, TODAY) == 3
    assert logging_streak([*logged, TODAY], TODAY) == 4
    assert logging_streak([TODAY - 2 * D], TODAY) == 0


def test_the_calendar_has_whole_weeks_and_marks_days_not_logged():
    daily = {TODAY: {"pain": 7}}
    weeks = pain_calendar(daily, thirty_days())
    assert all(len(week) == 7 for week in weeks)
    assert weeks[0][0].date.weekday() == 0
    cells = {cell.date: cell for week in weeks for cell in week}
    assert cells[TODAY].pain == 7 and cells[TODAY].in_range
    assert cells[TODAY - D].pain is None
    assert not cells[TODAY + D].in_range


def test_mood_counts_2_points_not_30_percent():
    daily = {TODAY - d * D: {"mood": 3} for d in range(7, 60)}
    daily.update({TODAY - d * D: {"mood": 2} for d in range(7)})
    assert summary_cards(daily, thirty_days())[4].verdict == "steady"  # -1 is 33 % of 3, but only 1 point
    daily.update({TODAY - d * D: {"mood": 1} for d in range(7)})
    assert summary_cards(daily, thirty_days())[4].verdict == "worse"
