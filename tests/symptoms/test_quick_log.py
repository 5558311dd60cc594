"""The daily log the patient shapes: /diary/quick-log/, and /diary/today/ as they shaped it."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import PatientProfile
from tests.conftest import TODAY
from tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.usefixtures("frozen_now")

URL = reverse("symptoms:quick_log")
TODAY_URL = reverse("symptoms:today")


def test_it_requires_login(client, db):
    assert client.get(URL).status_code == 302


def test_the_patient_chooses_items_their_order_and_quick_notes(patient_client, patient):
    response = patient_client.post(
        URL,
        {"place_sleep_quality": "2", "place_triggers": "1", "note_1": " Bad night ", "note_3": "Cold weather"},
    )
    assert response.status_code == 302
    profile = PatientProfile.objects.get(user=patient)
    assert profile.quick_log_details == ["triggers", "sleep_quality"]
    assert profile.quick_notes == ["Bad night", "Cold weather"]
    page = patient_client.get(TODAY_URL).content.decode()
    # The five measures first, then the patient's items in their order, then the rest under "More detail".
    order = [page.index(f'id="id_{name}"') for name in ("pain", "mood", "triggers_0", "sleep_quality", "worst_pain")]
    assert order == sorted(order)
    assert page.index('id="id_sleep_quality"') < page.index("More detail (optional)") < page.index('id="id_worst_pain"')
    assert 'data-note="Bad night"' in page and 'data-note="Cold weather"' in page


def test_two_items_in_one_place_are_refused(patient_client, patient):
    response = patient_client.post(URL, {"place_sleep_quality": "1", "place_triggers": "1"})
    assert response.status_code == 200
    assert "has place 1 already" in response.content.decode()
    assert PatientProfile.objects.get(user=patient).quick_log_details == []


def test_a_note_twice_or_too_long_is_refused(patient_client, patient):
    twice = patient_client.post(URL, {"note_1": "Bad night", "note_2": "bad night"})
    assert "The same quick note is there twice." in twice.content.decode()
    long = patient_client.post(URL, {"note_1": "x" * 41})
    assert long.status_code == 200
    assert PatientProfile.objects.get(user=patient).quick_notes == []


def test_every_item_shown_leaves_no_more_detail_section(patient_client, patient):
    places = {
        f"place_{name}": str(i)
        for i, name in enumerate(
            (
                "worst_pain",
                "pain_qualities",
                "allodynia",
                "triggers",
                "body_sites",
                "spasm_episodes",
                "tremor",
                "skin_colour",
                "limb_temperature",
                "sweating",
                "sleep_quality",
                "anxiety",
                "interference",
            ),
            start=1,
        )
    }
    assert patient_client.post(URL, places).status_code == 302
    page = patient_client.get(TODAY_URL).content.decode()
    assert "More detail (optional)" not in page
    assert page.count('id="id_worst_pain"') == 1


def test_same_as_yesterday_is_offered_beside_save_only_today_after_a_logged_yesterday(patient_client, patient):
    assert "Same as yesterday" not in patient_client.get(TODAY_URL).content.decode()
    DiaryEntryFactory(patient=patient, date=TODAY - datetime.timedelta(days=1), pain=5)
    page = patient_client.get(TODAY_URL).content.decode()
    assert (
        '<a class="btn btn-outline-primary btn-lg same-as-yesterday needs-connection" href="?start=previous">' in page
    )
    past = patient_client.get(reverse("symptoms:day", kwargs={"date": TODAY - datetime.timedelta(days=0)}))
    assert past.status_code == 302  # today's own address
    other_day = patient_client.get(reverse("symptoms:day", kwargs={"date": TODAY - datetime.timedelta(days=3)}))
    assert "Same as yesterday" not in other_day.content.decode()


def test_one_screen_is_the_patients_choice(patient_client, patient):
    assert "headline-measures one-screen" not in patient_client.get(TODAY_URL).content.decode()
    patient_client.post(URL, {"one_screen": "on"})
    assert "headline-measures one-screen" in patient_client.get(TODAY_URL).content.decode()


def test_on_the_one_screen_log_an_older_last_entry_is_offered_beside_save(patient_client, patient):
    DiaryEntryFactory(patient=patient, date=TODAY - datetime.timedelta(days=3), pain=5)
    bar_link = 'same-as-last needs-connection" href="?start=previous">Same as '
    assert bar_link not in patient_client.get(TODAY_URL).content.decode()
    PatientProfile.objects.filter(user=patient).update(quick_log_one_screen=True)
    page = patient_client.get(TODAY_URL).content.decode()
    assert bar_link in page and "Same as yesterday" not in page
    DiaryEntryFactory(patient=patient, date=TODAY, pain=4)
    assert bar_link not in patient_client.get(TODAY_URL).content.decode()  # today logged: nothing to copy
