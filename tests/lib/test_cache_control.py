"""A signed-in user's pages are never cached (`Cache-Control: no-store, private`)."""

import pytest
from django.test import Client
from django.urls import reverse

from careteam.services import access_grant
from tests.conftest import TODAY, login_with_second_factor
from tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db


def test_the_patients_health_pages_are_not_cached(patient_client, patient):
    DiaryEntryFactory(patient=patient, date=TODAY)
    for url in (reverse("dashboard:patient"), reverse("symptoms:day", args=[TODAY]), reverse("symptoms:history")):
        response = patient_client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store, private", url


def test_the_clinicians_review_and_report_are_not_cached(client, patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    for name in ("careteam:patient", "careteam:report"):
        response = client.get(reverse(name, kwargs={"patient_id": patient.pk}))
        assert response.status_code == 200, name
        assert response["Cache-Control"] == "no-store, private", name


def test_a_download_keeps_its_own_header_and_a_visitor_gets_none(patient_client):
    assert patient_client.get(reverse("symptoms:export"))["Cache-Control"] == "no-store"
    assert not Client().get(reverse("home")).has_header("Cache-Control")  # the public welcome page
