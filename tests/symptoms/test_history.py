import datetime

import pytest
from django.urls import reverse

from symptoms.selectors import HISTORY_DAYS_PER_PAGE, history_window
from tests.conftest import TODAY
from tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.usefixtures("frozen_now")
URL = reverse("symptoms:history")


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def test_it_requires_login(client):
    assert client.get(URL).status_code == 302


def test_it_lists_days_newest_first_with_missed_days(patient_client, patient):
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
    # session, user, second factor, profile, first and last dates, the page's entries, session save (3)
    with django_assert_num_queries(9):
        patient_client.get(URL, {"page": 2})


def test_history_window_pages_by_calendar_days():
    today = datetime.date(2026, 11, 24)
    assert history_window(today, None, 1, 28) == (datetime.date(2026, 10, 28), today, 1, 1)
    start, end, page, pages = history_window(today, datetime.date(2026, 1, 1), 2, 28)
    assert (end - start).days == 27
    assert end == datetime.date(2026, 10, 27)
    assert (page, pages) == (2, 12)
    assert history_window(today, datetime.date(2026, 1, 1), 99, 28)[2] == 12
