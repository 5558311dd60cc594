"""The clinician's list of patients: its 7-day figures, and that they read as on the patient's own pages."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.selectors import local_today
from careteam.services import access_grant
from lib.figures import one_decimal
from tests.conftest import login_with_second_factor
from tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db
D = datetime.timedelta(days=1)


def test_a_mean_shown_to_one_decimal_rounds_halves_up():
    assert [one_decimal(v) for v in (13 / 4, 25 / 4, 2.35, 0.1 + 0.2, 6.4642857, 2.25, -1.25)] == [
        3.3,
        6.3,
        2.4,
        0.3,
        6.5,
        2.3,
        -1.3,
    ]


def test_the_card_the_sentence_and_the_patient_list_show_a_mean_of_3_25_as_3_3(client, patient, clinician):
    today = local_today(patient)
    for days_ago, mood in ((0, 3), (1, 3), (2, 3), (3, 4)):  # 13 / 4 = 3.25
        DiaryEntryFactory(patient=patient, date=today - days_ago * D, mood=mood, spasms=mood + 3)  # 6.25
    access_grant(patient=patient, clinician_identifier=clinician.username)
    client.force_login(patient)
    dashboard = client.get(reverse("dashboard:patient"), {"range": "30"}).text
    login_with_second_factor(client, clinician)
    review = client.get(reverse("careteam:patient", kwargs={"patient_id": patient.pk}), {"range": "30"}).text
    listed = client.get(reverse("careteam:clinician_home")).text
    for page in (dashboard, review):
        assert '<span class="value">3.3</span>' in page and '<span class="value">6.3</span>' in page  # the cards
        assert "last 7 days 3.3" in page and "last 7 days 6.3" in page  # in words
        assert "-day average 3.3 (4 days)" in page  # the range's mean: the same 4 days
        assert "average 3.3 over 4 logged days" in page
    assert "Mood 3.3" in listed and "Spasms 6.3" in listed


def test_the_list_draws_a_7_day_mean_only_from_4_days_and_says_from_how_many(client, patient, clinician):
    today = local_today(patient)
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    DiaryEntryFactory(patient=patient, date=today, pain=7)
    for days_ago in range(7, 21):  # 14 days: enough for a usual level
        DiaryEntryFactory(patient=patient, date=today - days_ago * D, pain=5)
    page = client.get(reverse("careteam:clinician_home")).text
    assert "Too few days (1 of 7) for a weekly average" in page  # not "Pain 7.0": one day is no week
    assert "Pain 7.0" not in page
    for days_ago in (1, 2):
        DiaryEntryFactory(patient=patient, date=today - days_ago * D, pain=7)
    assert "Too few days (3 of 7) for a weekly average" in client.get(reverse("careteam:clinician_home")).text
    DiaryEntryFactory(patient=patient, date=today - 5 * D, pain=7)
    page = client.get(reverse("careteam:clinician_home")).text
    # Now, usual and which way in words: 7.0 against 5.0 is 2 points worse, clinically important.
    assert 'Pain 7.0 <span class="text-body-secondary">(usual 5.0)</span> <strong>worse</strong>' in page
    assert "based on 4 of 7 days" in page
    assert "Too few days" not in page


def test_each_patients_last_7_days_end_on_their_own_today(client, clinician):
    from tests.factories import PatientFactory

    # Noon in London on 24 Nov is 1 am on 25 Nov in Auckland.
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, tzinfo=datetime.UTC), tick=False):
        kiwi = PatientFactory(username="kiwi", profile__time_zone="Pacific/Auckland")
        for day in (22, 23, 24, 25):
            DiaryEntryFactory(patient=kiwi, date=datetime.date(2026, 11, day), pain=6)
        access_grant(patient=kiwi, clinician_identifier=clinician.username)
        login_with_second_factor(client, clinician)
        page = client.get(reverse("careteam:clinician_home")).text
    assert "Pain 6.0" in page and "based on 4 of 7 days" in page  # with London's today: 3 of 7
