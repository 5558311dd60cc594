"""Questions for the next appointment: written on the dashboard, kept on the profile, in the export."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from accounts.models import PatientProfile
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.usefixtures("frozen_now")
URL = reverse("accounts:questions")
DASHBOARD = reverse("dashboard:patient")


def test_the_dashboard_offers_the_questions_with_what_is_saved(patient_client, patient):
    PatientProfile.objects.filter(user=patient).update(questions_for_clinic="Is the new dose too high?")
    text = patient_client.get(DASHBOARD).text
    section = text[text.index('id="report-heading"') :]
    assert f'action="{URL}"' in section
    assert "Questions for my next appointment" in section
    assert ">\nIs the new dose too high?</textarea>" in section
    assert "Your clinicians see them in the report before your appointment." in section


def test_a_patient_saves_their_questions(patient_client, patient):
    response = patient_client.post(URL, {"questions_for_clinic": "  Can I try a nerve block again?\n"})
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD + "#report-heading"
    assert PatientProfile.objects.get(user=patient).questions_for_clinic == "Can I try a nerve block again?"
    page = patient_client.get(response["Location"])
    assert "Your questions for your next appointment are saved." in page.text
    assert ">\nCan I try a nerve block again?</textarea>" in page.text


def test_a_patient_clears_their_questions(patient_client, patient):
    PatientProfile.objects.filter(user=patient).update(questions_for_clinic="Old question")
    response = patient_client.post(URL, {"questions_for_clinic": ""}, follow=True)
    assert "Your questions for your next appointment are cleared." in response.text
    assert PatientProfile.objects.get(user=patient).questions_for_clinic == ""


def test_too_long_questions_are_kept_and_refused(patient_client, patient):
    text = "Why? " * 401  # 2,005 characters
    response = patient_client.post(URL, {"questions_for_clinic": text})
    assert response.status_code == 200
    assert "Ensure this value has at most 2000 characters (it has 2004)." in response.text  # stripped
    assert text.strip() in response.text  # as typed, to shorten
    assert "maxlength" not in response.text  # a browser would cut a paste without a word
    assert PatientProfile.objects.get(user=patient).questions_for_clinic == ""


def test_the_page_alone_shows_the_form(patient_client):
    response = patient_client.get(URL)
    assert response.status_code == 200
    assert "Questions for your next appointment" in response.text


def test_only_the_patient_themselves_writes_them(client, clinician, patient):
    assert client.get(URL).status_code == 302  # log in first
    login_with_second_factor(client, clinician)
    assert client.post(URL, {"questions_for_clinic": "From the clinician"}).status_code == 404
    assert PatientProfile.objects.get(user=patient).questions_for_clinic == ""


def test_they_are_in_the_full_export(patient_client, patient):
    PatientProfile.objects.filter(user=patient).update(
        questions_for_clinic="=SUM(A1)\nSecond line", onset_date="2024-03-01"
    )
    archive = zipfile.ZipFile(io.BytesIO(patient_client.get(reverse("export_all")).content))
    (row,) = list(csv.DictReader(io.StringIO(archive.read("profile.csv").decode())))
    assert row["username"] == "alice"
    assert row["onset_date"] == "2024-03-01"
    assert row["questions_for_next_appointment"] == "'=SUM(A1)\nSecond line"  # a formula is defused
