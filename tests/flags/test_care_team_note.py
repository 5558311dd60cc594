"""A clinician's note on a flag says that the patient will read it; a care-team-only note never reaches the patient."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from careteam.services import access_grant
from flags.models import Flag
from flags.services import flag_acknowledge
from tests.conftest import TODAY, login_with_second_factor
from tests.factories import ClinicianFactory, DiaryEntryFactory, FlagFactory

pytestmark = [pytest.mark.usefixtures("frozen_now"), pytest.mark.django_db]
PRIVATE = "Query CRPS spread, discuss at MDT"


@pytest.fixture
def flag(patient):
    # Open, recent, and with a diary behind it: on the dashboard, the Changes page and the report.
    for days_ago in range(20):
        DiaryEntryFactory(patient=patient, date=TODAY - datetime.timedelta(days=days_ago), pain=8)
    return FlagFactory(patient=patient, date=TODAY - datetime.timedelta(days=5))


@pytest.fixture
def acknowledged(flag, patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    return flag_acknowledge(flag=flag, by=clinician, note="Seen: plan unchanged", care_team_note=f"  {PRIVATE} ")


def review_url(patient):
    return reverse("careteam:patient", kwargs={"patient_id": patient.pk})


def acknowledge_url(patient, flag):
    return reverse("careteam:acknowledge_flag", kwargs={"patient_id": patient.pk, "pk": flag.pk})


def test_the_clinicians_box_says_the_patient_will_see_the_note(client, flag, patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    page = " ".join(client.get(review_url(patient)).text.split())
    assert "Note for the patient</label>" in page and "The patient will see this note." in page
    assert 'name="care_team_note"' in page and "Care-team-only note</label>" in page


def test_a_clinician_keeps_a_care_team_only_note(client, flag, patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    response = client.post(
        acknowledge_url(patient, flag), {"note": "Seen: plan unchanged", "care_team_note": PRIVATE}, follow=True
    )
    flag.refresh_from_db()
    assert (flag.clinician_note, flag.care_team_note) == ("Seen: plan unchanged", PRIVATE)
    page = " ".join(response.text.split())
    assert "“Seen: plan unchanged” (the patient sees this note)" in page
    assert f"Care-team-only note, not shown to the patient: “{PRIVATE}”" in page


def test_another_clinician_with_access_sees_it(client, acknowledged, patient):
    colleague = ClinicianFactory(username="dr-colleague")
    access_grant(patient=patient, clinician_identifier=colleague.username)
    login_with_second_factor(client, colleague)
    assert PRIVATE in client.get(review_url(patient)).text


def test_a_clinician_without_access_gets_a_404(client, acknowledged, patient):
    stranger = ClinicianFactory(username="dr-stranger")
    login_with_second_factor(client, stranger)
    assert client.get(review_url(patient)).status_code == 404
    response = client.post(acknowledge_url(patient, acknowledged), {"note": "x", "care_team_note": "y"})
    assert response.status_code == 404
    assert Flag.objects.get(pk=acknowledged.pk).care_team_note == PRIVATE


def test_the_patient_never_sees_it(client, acknowledged, patient):
    assert acknowledged.care_team_note == PRIVATE  # stored, stripped
    client.force_login(patient)
    pages = {
        "dashboard": reverse("dashboard:patient"),
        "changes": reverse("flags:list"),
        "report": reverse("careteam:report", kwargs={"patient_id": patient.pk}),
        # The patient may open the review page of their own diary, where clinicians read the note.
        "review": reverse("careteam:patient", kwargs={"patient_id": patient.pk}),
        "fhir": reverse("careteam:fhir", kwargs={"patient_id": patient.pk}),
        "diary csv": reverse("symptoms:export"),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert PRIVATE not in response.content.decode(), name
    changes = client.get(reverse("flags:list")).text
    assert "Seen: plan unchanged" in changes  # the note for the patient is there
    assert "Care-team-only" not in changes and "(the patient sees this note)" not in changes
    # The flag's own page (a refused note, shown again to shorten).
    refused = client.post(reverse("flags:acknowledge", args=[acknowledged.pk]), {"note": "x" * 2001})
    assert refused.status_code == 400 and "Pain: sustained rise" in refused.text
    assert PRIVATE not in refused.text and "care_team_note" not in refused.text
    # Everything the patient can download.
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("export_all")).content))
    assert archive.namelist()
    for name in archive.namelist():
        assert PRIVATE not in archive.read(name).decode(), name
    assert "Seen: plan unchanged" in archive.read("flags.csv").decode()


def test_a_patient_cannot_write_one(client, flag, patient):
    client.force_login(patient)
    client.post(reverse("flags:acknowledge", args=[flag.pk]), {"note": "Mine", "care_team_note": "Sneaky"})
    flag.refresh_from_db()
    assert flag.patient_note == "Mine" and flag.care_team_note == ""
    flag_acknowledge(flag=flag, by=patient, note="Again", care_team_note="Sneaky")  # nor through the service
    flag.refresh_from_db()
    assert flag.care_team_note == ""


def test_a_refused_note_keeps_both_notes_as_typed(client, flag, patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    too_long = "Discuss at MDT. " * 130  # 2,080 characters
    response = client.post(acknowledge_url(patient, flag), {"note": "For the patient", "care_team_note": too_long})
    assert response.status_code == 400
    page = response.text
    assert "at most 2000 characters" in page
    assert too_long.strip() in page and ">For the patient</textarea>" in page
    assert "The patient will see this note." in page
    flag.refresh_from_db()
    assert flag.clinician_acknowledged_at is None and flag.care_team_note == ""
