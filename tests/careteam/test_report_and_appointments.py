import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from careteam.models import Appointment
from careteam.services import access_grant
from tests.conftest import login_with_second_factor
from tests.factories import DiaryEntryFactory, MedicationFactory

pytestmark = pytest.mark.django_db
D = datetime.timedelta(days=1)


@pytest.fixture
def shared(patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    return patient


def test_an_appointment_sets_the_default_range_of_the_review_and_the_report(client, shared, clinician):
    today = timezone.localdate()
    login_with_second_factor(client, clinician)
    client.post(
        reverse("careteam:add_appointment", kwargs={"patient_id": shared.pk}),
        {"date": (today - 40 * D).isoformat(), "note": "First visit"},
    )
    client.post(
        reverse("careteam:add_appointment", kwargs={"patient_id": shared.pk}), {"date": (today - 40 * D).isoformat()}
    )
    assert Appointment.objects.get().clinician == clinician  # once, however often it is sent
    review = client.get(reverse("careteam:patient", kwargs={"patient_id": shared.pk})).text
    assert f"{today - 40 * D:%-d %b %Y} to {today:%-d %b %Y}" in review
    report = client.get(reverse("careteam:report", kwargs={"patient_id": shared.pk})).text
    assert "(since the last appointment)" in report


def test_the_report_has_flags_treatment_changes_and_the_notes_meant_for_the_clinician(client, shared, clinician):
    today = timezone.localdate()
    DiaryEntryFactory(patient=shared, date=today - 2 * D, notes="Please ask about the spasms", note_for_clinician=True)
    DiaryEntryFactory(patient=shared, date=today - 3 * D, notes="Private thought", note_for_clinician=False)
    MedicationFactory(patient=shared, name="Baclofen", started_on=today - 10 * D)
    login_with_second_factor(client, clinician)
    page = client.get(reverse("careteam:report", kwargs={"patient_id": shared.pk}), {"range": "30"}).text
    assert "Pre-appointment report" in page
    assert "Please ask about the spasms" in page
    assert "Private thought" not in page
    assert "Started Baclofen" in page
    assert 'href="/static/css/print.css"' in page


def test_the_patient_marks_a_note_for_the_clinician_on_the_diary_page(client, patient):
    client.force_login(patient)
    client.post(reverse("symptoms:today"), {"pain": "5", "notes": "For Dr Who", "note_for_clinician": "on"})
    assert patient.diary_entries.get().note_for_clinician
    assert 'name="note_for_clinician" class="checkboxinput form-check-input" id="id_note_for_clinician" checked' in (
        client.get(reverse("symptoms:today")).text
    )


def test_a_patient_records_an_appointment_from_the_sharing_page(client, patient):
    client.force_login(patient)
    response = client.post(
        reverse("careteam:add_appointment", kwargs={"patient_id": patient.pk}),
        {"date": "2026-12-01", "note": "Pain clinic"},
    )
    assert response["Location"] == reverse("careteam:sharing")
    assert Appointment.objects.get().clinician is None
    page = client.get(reverse("careteam:sharing")).text
    assert "Tuesday 1 December 2026: Pain clinic" in page
    assert "None recorded yet." not in page


def test_an_absurd_appointment_date_is_refused(client, patient):
    client.force_login(patient)
    client.post(reverse("careteam:add_appointment", kwargs={"patient_id": patient.pk}), {"date": "0001-01-01"})
    client.post(reverse("careteam:add_appointment", kwargs={"patient_id": patient.pk}), {"date": "9999-01-01"})
    assert not Appointment.objects.exists()
