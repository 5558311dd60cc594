import datetime

import pytest
from django.urls import reverse

from symptoms.selectors import HISTORY_DAYS_PER_PAGE, diary_start, history_window
from tests.conftest import NOW, TODAY
from tests.factories import DiaryEntryFactory, PatientFactory

pytestmark = pytest.mark.usefixtures("frozen_now")
URL = reverse("symptoms:history")


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def test_it_requires_login(client):
    assert client.get(URL).status_code == 302


def joined_days_ago(patient, n):
    patient.date_joined = NOW - datetime.timedelta(days=n)
    patient.save(update_fields=["date_joined"])


def test_it_lists_days_newest_first_with_missed_days(patient_client, patient):
    joined_days_ago(patient, 100)
    DiaryEntryFactory(patient=patient, date=days_ago(0), pain=6, notes="Today's note")
    DiaryEntryFactory(patient=patient, date=days_ago(2), pain=3)
    response = patient_client.get(URL)
    text = response.text
    assert response.status_code == 200
    assert text.index("Tue 24 Nov") < text.index("Mon 23 Nov") < text.index("Sun 22 Nov")
    assert text.count("Not logged") == HISTORY_DAYS_PER_PAGE - 2
    assert "Today&#x27;s note" in text
    assert f"2 of {HISTORY_DAYS_PER_PAGE} days logged" in text


def test_it_shows_only_the_patients_own_entries(patient_client, patient, other_patient):
    joined_days_ago(patient, 100)
    DiaryEntryFactory(patient=other_patient, date=days_ago(1), notes="Bob's entry")
    response = patient_client.get(URL)
    assert "Bob" not in response.text
    assert f"0 of {HISTORY_DAYS_PER_PAGE} days logged" in response.text


def test_it_pages_back_to_the_first_entry(patient_client, patient):
    DiaryEntryFactory(patient=patient, date=days_ago(60), notes="Old entry")
    first = patient_client.get(URL)
    assert "Page 1 of 3" in first.text
    assert "Old entry" not in first.text
    last = patient_client.get(URL, {"page": 3})
    assert "Old entry" in last.text
    assert "Older days" not in last.text
    # The last page ends at the first entry: 61 days in all, 28 + 28 + 5.
    assert "Fri 25 Sep" in last.text and "Thu 24 Sep" not in last.text
    assert last.text.count("Not logged") == 4
    assert "1 of 5 days logged" in last.text


def test_a_new_account_lists_no_day_from_before_it_existed(client, db):
    # Made yesterday evening in London, and nothing logged yet.
    patient = PatientFactory(username="newcomer")
    joined_days_ago(patient, 1)
    client.force_login(patient)
    text = client.get(URL).text
    assert "Mon 23 Nov" in text and "Tue 24 Nov" in text
    assert "Sun 22 Nov" not in text
    assert text.count("Not logged") == 2
    assert "0 of 2 days logged" in text
    assert "Page 1 of 1" in text


def test_a_backfilled_diary_starts_at_its_first_entry(patient_client, patient):
    # Joined today, then logged the day before yesterday from memory.
    DiaryEntryFactory(patient=patient, date=days_ago(2), pain=3)
    text = patient_client.get(URL).text
    assert "Sun 22 Nov" in text and "Sat 21 Nov" not in text
    assert "1 of 3 days logged" in text


def test_the_day_joined_is_the_patients_local_day(client, db):
    # 23:30 UTC on 23 Nov is already 24 Nov in Auckland (and "now" is the 25th there).
    patient = PatientFactory(username="kiwi", profile__time_zone="Pacific/Auckland")
    patient.date_joined = datetime.datetime(2026, 11, 23, 23, 30, tzinfo=datetime.UTC)
    patient.save(update_fields=["date_joined"])
    client.force_login(patient)
    text = client.get(URL).text
    assert "Wed 25 Nov" in text and "Tue 24 Nov" in text
    assert "Mon 23 Nov" not in text


@pytest.mark.parametrize(("page", "shown"), [("0", 1), ("-3", 1), ("999", 3), ("abc", 1)])
def test_it_clamps_bad_page_numbers(patient_client, patient, page, shown):
    DiaryEntryFactory(patient=patient, date=days_ago(60))
    response = patient_client.get(URL, {"page": page})
    assert response.status_code == 200
    assert f"Page {shown} of 3" in response.text


def test_an_entry_after_today_still_shows(patient_client, patient):
    # Logged in Auckland, then moved the profile to London: that entry is "tomorrow" now.
    DiaryEntryFactory(patient=patient, date=days_ago(-1), notes="From Auckland")
    assert "From Auckland" in patient_client.get(URL).text


def test_it_uses_a_fixed_number_of_queries(patient_client, patient, django_assert_num_queries):
    for n in range(200):
        DiaryEntryFactory(patient=patient, date=days_ago(n))
    # session, user, second factor, profile, first and last dates, the page's entries
    # (the session is written at most once a minute)
    with django_assert_num_queries(6):
        patient_client.get(URL, {"page": 2})


def test_history_window_pages_by_calendar_days():
    today = datetime.date(2026, 11, 24)
    assert history_window(today, None, 1, 28) == (datetime.date(2026, 10, 28), today, 1, 1)
    start, end, page, pages = history_window(today, datetime.date(2026, 1, 1), 2, 28)
    assert (end - start).days == 27
    assert end == datetime.date(2026, 10, 27)
    assert (page, pages) == (2, 12)
    assert history_window(today, datetime.date(2026, 1, 1), 99, 28)[2] == 12


def test_history_window_never_starts_before_the_first_day():
    today = datetime.date(2026, 11, 24)
    assert history_window(today, today, 1, 28) == (today, today, 1, 1)
    assert history_window(today, datetime.date(2026, 11, 20), 1, 28) == (datetime.date(2026, 11, 20), today, 1, 1)
    # 30 days: the second page holds the first two.
    assert history_window(today, datetime.date(2026, 10, 26), 2, 28) == (
        datetime.date(2026, 10, 26),
        datetime.date(2026, 10, 27),
        2,
        2,
    )


def test_diary_start_is_the_earlier_of_joining_and_the_first_entry():
    joined = datetime.date(2026, 11, 1)
    assert diary_start(joined, None) == joined
    assert diary_start(joined, datetime.date(2026, 6, 1)) == datetime.date(2026, 6, 1)
    assert diary_start(joined, datetime.date(2026, 11, 20)) == joined
