"""A day saved on the patient's phone and sent later: /diary/<date>/send/ and /diary/outbox/token/."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from symptoms.models import DiaryEntry
from tests.conftest import TODAY, login_with_second_factor
from tests.factories import ClinicianFactory, DiaryEntryFactory

pytestmark = pytest.mark.usefixtures("frozen_now")

MINUTE_MS = 60_000


def send_url(date=TODAY):
    return reverse("symptoms:send_from_phone", kwargs={"date": date})


def sent(client, date=TODAY, *, age_ms=MINUTE_MS, seen_at="", **values):
    """Send an entry the phone saved `age_ms` ago by its own clock (a clock a year fast here)."""
    phone_now = 1_900_000_000_000
    data = {"saved_at": phone_now - age_ms, "sent_at": phone_now, "seen_at": seen_at, **values}
    return client.post(send_url(date), data)


def test_the_token_says_who_is_signed_in_and_is_fresh(patient_client, patient):
    response = patient_client.get(reverse("symptoms:outbox_token"))
    assert response.json()["user"] == patient.pk
    assert len(response.json()["csrf"]) == 64


def test_the_token_is_refused_to_a_visitor_and_a_clinician(client, db):
    assert client.get(reverse("symptoms:outbox_token")).status_code == 302
    login_with_second_factor(client, ClinicianFactory())
    assert client.get(reverse("symptoms:outbox_token")).status_code == 404


def test_it_saves_a_new_day(patient_client, patient):
    response = sent(patient_client, pain=6, notes="On the bus")
    assert response.json()["result"] == "saved"
    assert response.json()["next"] == reverse("symptoms:history") + f"#day-{TODAY.isoformat()}"
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.date, entry.pain, entry.notes) == (TODAY, 6, "On the bus")


def test_it_needs_the_csrf_token(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient)
    assert sent(client, pain=6).status_code == 403
    token = client.get(reverse("symptoms:outbox_token")).json()["csrf"]
    response = client.post(send_url(), {"saved_at": 1, "sent_at": 2, "pain": 6}, headers={"X-CSRFToken": token})
    assert response.json()["result"] == "saved"


def test_sent_twice_it_is_one_entry(patient_client, patient):
    assert sent(patient_client, pain=6).json()["result"] == "saved"
    again = sent(patient_client, pain=6)
    assert again.json()["result"] == "same"
    assert DiaryEntry.objects.filter(patient=patient).count() == 1


def test_a_newer_change_made_elsewhere_is_kept(patient_client, patient):
    DiaryEntryFactory(patient=patient, date=TODAY, pain=2)  # changed now; the phone saved an hour ago
    response = sent(patient_client, age_ms=60 * MINUTE_MS, pain=6)
    body = response.json()
    assert body["result"] == "kept_other"
    assert "that newer entry is kept" in body["message"]
    assert DiaryEntry.objects.get(patient=patient).pain == 2


def test_the_phones_newer_save_replaces_an_older_change_and_says_so(patient_client, patient, frozen_now):
    DiaryEntryFactory(patient=patient, date=TODAY, pain=2)
    frozen_now.shift(datetime.timedelta(hours=2))
    body = sent(patient_client, age_ms=60 * MINUTE_MS, pain=6).json()  # saved an hour after the change
    assert body["result"] == "updated"
    assert "yours is newer and is the one kept" in body["message"]
    assert DiaryEntry.objects.get(patient=patient).pain == 6


def test_editing_the_entry_the_form_showed_says_nothing_of_elsewhere(patient_client, patient, frozen_now):
    entry = DiaryEntryFactory(patient=patient, date=TODAY, pain=2)
    frozen_now.shift(datetime.timedelta(hours=2))
    body = sent(patient_client, pain=6, seen_at=entry.updated_at.isoformat()).json()
    assert body["result"] == "updated"
    assert body["message"] == f"Updated your entry for {TODAY:%A %-d %B}."


def test_it_validates_as_the_form_does(patient_client, patient):
    response = sent(patient_client, pain=12)
    assert response.status_code == 400
    assert response.json()["errors"] == ["Pain: Ensure this value is less than or equal to 10."]
    assert sent(patient_client).json()["errors"] == ["Nothing to save yet: fill in at least one measure or a note."]
    future = sent(patient_client, date=TODAY + datetime.timedelta(days=1), pain=3)
    assert future.status_code == 400
    assert not DiaryEntry.objects.exists()


def test_a_missing_time_is_refused(patient_client):
    response = patient_client.post(send_url(), {"pain": 3})
    assert response.status_code == 400


def test_announce_leaves_the_message_for_the_next_page(patient_client):
    sent(patient_client, pain=6, announce="1")
    history = patient_client.get(reverse("symptoms:history"))
    assert "Saved your entry" in history.content.decode()


def test_a_clinician_cannot_send(client, db):
    login_with_second_factor(client, ClinicianFactory())
    assert sent(client, pain=6).status_code == 404
