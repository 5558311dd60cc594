import datetime

import pytest
from django.urls import reverse

from symptoms.models import DiaryEntry
from tests.conftest import TODAY
from tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.usefixtures("frozen_now")
DAY = TODAY - datetime.timedelta(days=3)
URL = reverse("symptoms:delete", kwargs={"date": DAY})


def test_it_asks_before_deleting(patient_client, patient):
    DiaryEntryFactory(patient=patient, date=DAY)
    response = patient_client.get(URL)
    assert response.status_code == 200
    assert "cannot be undone" in response.text
    assert DiaryEntry.objects.count() == 1


def test_it_deletes(patient_client, patient):
    DiaryEntryFactory(patient=patient, date=DAY)
    response = patient_client.post(URL)
    assert response.status_code == 302
    assert not DiaryEntry.objects.exists()


def test_it_404s_for_another_patients_entry(patient_client, other_patient):
    DiaryEntryFactory(patient=other_patient, date=DAY)
    assert patient_client.get(URL).status_code == 404
    assert patient_client.post(URL).status_code == 404
    assert DiaryEntry.objects.count() == 1


def test_it_404s_when_there_is_no_entry(patient_client):
    assert patient_client.post(URL).status_code == 404


def test_it_requires_login(client, patient):
    DiaryEntryFactory(patient=patient, date=DAY)
    assert client.post(URL).status_code == 302
    assert DiaryEntry.objects.count() == 1
