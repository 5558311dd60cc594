import datetime
import json
import re

import pytest
from django.urls import reverse

from tests.conftest import NOW, TODAY, login_with_second_factor
from tests.factories import (
    DiaryEntryFactory,
    FlagFactory,
    MedicationFactory,
    add_years_of_care,
)

pytestmark = pytest.mark.usefixtures("frozen_now")
URL = reverse("dashboard:patient")
D = datetime.timedelta(days=1)


def figure(response):
    text = response.text
    start = text.index('<script id="trend-figure" type="application/json">') + len(
        '<script id="trend-figure" type="application/json">'
    )
    return json.loads(text[start : text.index("</script>", start)])


def test_it_requires_a_patient(client, clinician):
    assert client.get(URL).status_code == 302
    login_with_second_factor(client, clinician)
    assert client.get(URL).status_code == 404


def test_home_is_the_dashboard_for_a_patient(patient_client):
    assert patient_client.get(reverse("home"))["Location"] == URL


def test_it_asks_to_log_today_and_then_shows_today(patient_client, patient):
    assert "Log today" in patient_client.get(URL).text
    DiaryEntryFactory(patient=patient, date=TODAY, pain=6)
    DiaryEntryFactory(patient=patient, date=TODAY - D)
    text = patient_client.get(URL).text
    assert "Logged: Pain 6" in text
    assert "<strong>2</strong> days logged in a row" in text


def plain(html: str) -> str:
    """The page's words, without tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_it_shows_cards_charts_text_table_and_calendar(patient_client, patient):
    for d in range(60):
        DiaryEntryFactory(patient=patient, date=TODAY - d * D, pain=7 if d < 7 else 4)
    MedicationFactory(patient=patient, name="Baclofen", started_on=TODAY - 30 * D)
    response = patient_client.get(URL, {"range": "30"})
    text = " ".join(response.text.split())
    # Now against usual leads: the last 7 days (7.0) against the 42 days before them (4.0).
    words = plain(text)
    assert "Pain 7.0 last 7 days, 7 logged ↑ 3.0 above (+75 %) your usual 4.0 Worse: clinically important" in words
    assert "Worse: clinically important" in text
    # The range comes second: (7 * 7 + 23 * 4) / 30 = 4.7 against 4.0.
    assert "30-day average 4.7 (30 days); up 0.7 from 4.0 in the 30 days before." in text
    fig = figure(response)
    assert any(t.get("name") == "Pain, 7-day mean" for t in fig["data"])
    assert any(t["type"] == "bar" and "Baclofen" in t["y"] for t in fig["data"])
    assert "Pain (10 = worst): average 4.7 over 30 logged days of 30" in text
    assert "Table: weekly averages" in text
    assert 'class="cal p7"' in text
    monday = TODAY - TODAY.weekday() * D
    assert f'<span aria-hidden="true">{monday:%-d %b}</span>' in text  # each week row names its Monday
    assert "<script>" not in text  # the figure travels as JSON, drawn by a static script
    assert "flagged" not in text


def test_a_card_with_an_open_flag_says_so_and_gives_the_usual_level_before_it(patient_client, patient, frozen_now):
    for d in range(60):
        DiaryEntryFactory(patient=patient, date=TODAY - d * D, pain=7 if d < 30 else 4)
    FlagFactory(patient=patient, date=TODAY - 27 * D, baseline_mean=4.0)
    FlagFactory(patient=patient, date=TODAY - 50 * D, resolved_on=TODAY - 40 * D, baseline_mean=2.0)
    text = " ".join(patient_client.get(URL, {"range": "30"}).text.split())
    flagged = f"(before the {(TODAY - 27 * D):%-d %b} flag)"
    assert f"3.0 above (+75 %) your usual 4.0 {flagged}" in plain(text)
    assert text.count("flag)") == 1  # the resolved flag is history, not a card's news
    assert "Worse: clinically important" in text
    everything = " ".join(patient_client.get(URL, {"range": "all"}).text.split())
    assert "days before." not in everything  # the whole diary has nothing earlier to compare with
    # A week later pain has eased to 5: not clinically important against 4.0, but the flag is open.
    for d in range(7):
        DiaryEntryFactory(patient=patient, date=TODAY + (1 + d) * D, pain=5)
    frozen_now.move_to(NOW + 7 * D)
    later = " ".join(patient_client.get(URL, {"range": "30"}).text.split())
    assert f"1.0 above (+25 %) your usual 4.0 {flagged}" in plain(later)
    assert "Worse: flagged, still watched" in later
    assert "No clinically important change from usual" not in later.split("Spasms")[0]


def test_range_switching_and_custom_dates(patient_client, patient):
    DiaryEntryFactory(patient=patient, date=TODAY - 500 * D)
    assert "(0 of 90 days logged)" in patient_client.get(URL).text
    everything = patient_client.get(URL, {"range": "all"}).text
    assert "weekly means: the range is longer than a year" in everything
    custom = patient_client.get(URL, {"start": "2026-11-01", "end": "2026-11-10"}).text
    assert "1 Nov 2026 to 10 Nov 2026" in custom
    bad = patient_client.get(URL, {"start": "2026-11-10", "end": "2026-11-01"})
    assert bad.status_code == 200
    assert "The start date must be before the end date." in bad.text


def test_a_new_diary_is_shown_from_its_first_day_with_what_it_still_needs(patient_client, patient):
    text = " ".join(patient_client.get(URL).text.split())
    assert "Your first weeks" in text and "Nothing logged yet." in text
    for d in range(5):
        DiaryEntryFactory(patient=patient, date=TODAY - d * D, pain=5)
    text = " ".join(patient_client.get(URL).text.split())
    assert "You have logged <strong>5 days</strong> since 20 November 2026." in text
    assert "learnt your usual level from 14 logged days (within 42 days)" in text
    assert "19 days in all if you log every day" in text
    # The 90 days start at the first entry (at least two weeks shown), with nothing before it to compare.
    assert "11 Nov 2026 to 24 Nov 2026" in text and "(5 of 14 days logged)" in text
    assert "in the previous" not in text
    for d in range(5, 18):
        DiaryEntryFactory(patient=patient, date=TODAY - d * D, pain=5)
    assert "Your first weeks" in patient_client.get(URL).text  # 18 days: one short
    DiaryEntryFactory(patient=patient, date=TODAY - 18 * D, pain=5)
    text = " ".join(patient_client.get(URL).text.split())
    assert "Your first weeks" not in text
    # Watched from now, and told so: only clear changes until about two months (it said nothing).
    assert "The app is now watching your diary for a worsening. For its first two months or so" in text
    for d in range(19, 61):
        DiaryEntryFactory(patient=patient, date=TODAY - d * D, pain=5)
    assert "now watching your diary" not in patient_client.get(URL).text  # 60 days: no longer young


def test_another_patients_data_never_shows(patient_client, other_patient):
    DiaryEntryFactory(patient=other_patient, date=TODAY, pain=9)
    MedicationFactory(patient=other_patient, name="Secretol", started_on=TODAY - 3 * D)
    text = patient_client.get(URL).text
    assert "Secretol" not in text
    assert "Log today" in text


def test_it_uses_the_same_number_of_queries_for_30_days_and_5_years(patient_client, patient, django_assert_num_queries):
    add_years_of_care(patient, TODAY, from_day=0, flags=False)
    # session, user, profile, data version, first entry, diary range (today's entry in it), streak dates,
    # medications + doses, therapies, devices + programming changes, procedures, flags,
    # second factor (the session is written at most once a minute, and this is within it), the questionnaires
    # (responses, open safety alerts, schedules)
    patient_client.get(URL)
    with django_assert_num_queries(18):
        patient_client.get(URL, {"range": "30"})
    with django_assert_num_queries(18):
        patient_client.get(URL, {"range": "all"})
    # Asked again with nothing changed: the kept body, after session, user, second factor, profile, data version.
    with django_assert_num_queries(5):
        patient_client.get(URL, {"range": "all"})


@pytest.mark.parametrize("start", ["0001-01-01", "1100-01-01", "1949-12-31"])
def test_a_start_before_1950_is_refused_not_a_500(patient_client, start):
    response = patient_client.get(URL, {"start": start})
    assert response.status_code == 200
    assert "Choose a start date from 1950 on." in response.text


def test_a_custom_start_before_the_first_entry_begins_at_the_first_entry(patient_client, patient):
    DiaryEntryFactory(patient=patient, date=TODAY - 20 * D)
    text = patient_client.get(URL, {"start": "1990-01-01"}).text
    assert f"{(TODAY - 20 * D):%-d %b %Y} to" in text


def test_a_cached_dashboard_is_never_stale(patient_client, patient, monkeypatch):
    """The figure, cards and tables are rendered once per version of the data they come from."""
    import dashboard.selectors

    built = []
    real = dashboard.selectors.trend_figure
    monkeypatch.setattr(dashboard.selectors, "trend_figure", lambda *a, **k: built.append(1) or real(*a, **k))
    for d in range(20):
        DiaryEntryFactory(patient=patient, date=TODAY - d * D, pain=4)
    first = patient_client.get(URL)
    again = patient_client.get(URL)
    assert len(built) == 1  # the second view used the kept body
    assert figure(again) == figure(first)
    # An edit the ORM makes without signals or timestamps still shows at once: the database raised the version.
    type(patient.diary_entries.first()).objects.filter(patient=patient, date=TODAY - 3 * D).update(pain=9)
    edited = patient_client.get(URL)
    assert len(built) == 2
    (points,) = [t for t in figure(edited)["data"] if t.get("name") == "Pain"]
    assert points["y"][points["x"].index((TODAY - 3 * D).isoformat())] == 9
    MedicationFactory(patient=patient, name="Newmedicine", started_on=TODAY - 2 * D)
    assert "Newmedicine" in json.dumps(figure(patient_client.get(URL)))
    FlagFactory(patient=patient, measure="pain", date=TODAY - D)
    assert "Pain flag" in json.dumps(figure(patient_client.get(URL)))
    assert len(built) == 4


def test_two_viewers_never_share_a_fragment(client, patient, clinician):
    """The fragments are keyed by the patient and by who looks: a clinician's review renders its own words."""
    from careteam.services import access_grant

    for d in range(60):
        DiaryEntryFactory(patient=patient, date=TODAY - d * D, pain=4)
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    review = client.get(reverse("careteam:patient", args=[patient.pk])).text
    assert "the usual <span" in review and "your usual <span" not in review
    client.force_login(patient)
    own = client.get(URL).text  # the same diary and range, after the clinician's view was cached
    assert "your usual <span" in own and "the usual <span" not in own
    # The patient's own review page (the same diary, range and viewer) keeps its own wording too.
    review = client.get(reverse("careteam:patient", args=[patient.pk])).text
    assert "the usual <span" in review and "your usual <span" not in review
    assert "your usual <span" in client.get(URL).text
