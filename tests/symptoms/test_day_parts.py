"""The parts the apps above add to the diary's day page (symptoms.day_parts): shown in the day's form,
saved in the day's transaction, from the page and from the phone."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from symptoms import day_parts
from symptoms.models import DiaryEntry
from tests.conftest import TODAY
from tests.factories import MedicationFactory
from treatments.day_part import medicines_taken
from treatments.models import MedicationAdherence

pytestmark = pytest.mark.usefixtures("frozen_now")

PHONE_NOW_MS = 1_900_000_000_000
HOUR_MS = 3_600_000


def sent(client, *, age_ms=60_000, **values):
    data = {"saved_at": PHONE_NOW_MS - age_ms, "sent_at": PHONE_NOW_MS, "seen_at": "", **values}
    return client.post(reverse("symptoms:send_from_phone", kwargs={"date": TODAY}), data)


def test_treatments_adds_the_medicines_taken_at_start_up():
    assert day_parts.makers == [medicines_taken]


@pytest.fixture
def failing_part(monkeypatch):
    """A part in place of the app's, valid, and refused on save."""

    def save():
        raise ValidationError("The part could not be saved.")

    def make(patient, date, data):
        return day_parts.DayPart(form=forms.Form(data), template="treatments/_medicines_taken.html", save=save)

    monkeypatch.setattr(day_parts, "makers", [make])


def test_a_part_that_cannot_be_saved_takes_the_day_with_it(patient_client, patient, failing_part):
    response = patient_client.post(reverse("symptoms:today"), {"pain": "4"})
    assert response.status_code == 200
    assert "The part could not be saved." in response.text
    assert not DiaryEntry.objects.exists()
    response = sent(patient_client, pain=4)
    assert response.status_code == 400
    assert response.json()["errors"] == ["The part could not be saved."]
    assert not DiaryEntry.objects.exists()


def test_the_phone_saves_the_medicines_taken_with_its_entry_only(patient_client, patient, frozen_now):
    medication = MedicationFactory(patient=patient, name="Baclofen", started_on=TODAY - datetime.timedelta(days=10))
    answer = f"adherence-med_{medication.pk}"
    assert sent(patient_client, pain=4, **{answer: "yes"}).json()["result"] == "saved"
    assert list(MedicationAdherence.objects.values_list("taken", flat=True)) == [True]
    # Sent again, or older than a change made elsewhere: the entry is not written, nor are its medicines.
    assert sent(patient_client, pain=4, **{answer: "no"}).json()["result"] == "same"
    assert sent(patient_client, age_ms=HOUR_MS, pain=6, **{answer: "no"}).json()["result"] == "kept_other"
    assert list(MedicationAdherence.objects.values_list("taken", flat=True)) == [True]
    frozen_now.shift(datetime.timedelta(hours=2))
    assert sent(patient_client, age_ms=HOUR_MS, pain=6, **{answer: "no"}).json()["result"] == "updated"
    assert list(MedicationAdherence.objects.values_list("taken", flat=True)) == [False]


def test_the_phone_refuses_a_bad_answer_with_the_forms_message(patient_client, patient):
    medication = MedicationFactory(patient=patient, started_on=TODAY - datetime.timedelta(days=10))
    response = sent(patient_client, pain=4, **{f"adherence-med_{medication.pk}": "maybe"})
    assert response.status_code == 400
    assert response.json()["errors"] == ["Select a valid choice. maybe is not one of the available choices."]
    assert not DiaryEntry.objects.exists()
