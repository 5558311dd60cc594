"""The patient and the care team each acknowledge a flag once, with their own note; neither locks the other out."""

import csv
import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from careteam.services import access_grant
from flags.models import Flag
from flags.services import flag_acknowledge, worsening_scan
from tests.conftest import TODAY, login_with_second_factor
from tests.factories import ClinicianFactory, FlagFactory

pytestmark = [pytest.mark.usefixtures("frozen_now"), pytest.mark.django_db]


@pytest.fixture
def flag(patient):
    return FlagFactory(patient=patient)


def test_the_patient_and_a_clinician_each_acknowledge_once_with_their_own_note(flag, patient, clinician):
    flag_acknowledge(flag=flag, by=patient, note=" Seen my GP ")
    flag_acknowledge(flag=flag, by=clinician, note="Reviewed, plan unchanged")
    flag.refresh_from_db()
    assert flag.patient_acknowledged_at and flag.patient_note == "Seen my GP"
    assert flag.clinician_acknowledged_at and flag.clinician_acknowledged_by == clinician
    assert flag.clinician_note == "Reviewed, plan unchanged"
    assert flag.clinician_acknowledged_at >= flag.patient_acknowledged_at


def test_a_repeat_by_the_same_side_changes_nothing(flag, patient, clinician):
    flag_acknowledge(flag=flag, by=clinician, note="First look")
    flag_acknowledge(flag=flag, by=patient, note="Mine")
    before = Flag.objects.values().get(pk=flag.pk)
    flag_acknowledge(flag=flag, by=patient, note="Double submit")
    flag_acknowledge(flag=flag, by=clinician, note="Double submit")
    colleague = ClinicianFactory(username="dr-no")
    returned = flag_acknowledge(flag=flag, by=colleague, note="A second clinician")
    assert Flag.objects.values().get(pk=flag.pk) == before  # the care team's first acknowledgement stands
    assert returned.clinician_acknowledged_by == clinician and returned.clinician_note == "First look"


def test_the_clinician_can_acknowledge_after_the_patient_and_both_are_shown(client, flag, patient, clinician):
    patient.first_name, patient.last_name = "Alex", "Demo"
    patient.save()
    clinician.first_name, clinician.last_name = "Sam", "Jones"
    clinician.save()
    access_grant(patient=patient, clinician_identifier=clinician.username)
    client.force_login(patient)
    client.post(reverse("flags:acknowledge", args=[flag.pk]), {"note": "Talked to my physio"})

    login_with_second_factor(client, clinician)
    review = reverse("careteam:patient", kwargs={"patient_id": patient.pk})
    page = " ".join(client.get(review).text.split())
    assert "Alex Demo (patient) acknowledged this on" in page and "“Talked to my physio”" in page
    assert 'name="note"' in page and "Note for the patient" in page  # the clinician's own form is still there
    response = client.post(
        reverse("careteam:acknowledge_flag", kwargs={"patient_id": patient.pk, "pk": flag.pk}),
        {"note": "Reviewed: keep the diary going"},
        follow=True,
    )
    page = " ".join(response.text.split())
    assert "Flag acknowledged." in page
    assert "Alex Demo (patient) acknowledged this on" in page and "“Talked to my physio”" in page
    assert "You acknowledged this on" in page and "“Reviewed: keep the diary going”" in page
    assert "Note for the patient" not in page  # once is enough

    colleague = ClinicianFactory(username="dr-no")
    access_grant(patient=patient, clinician_identifier=colleague.username)
    login_with_second_factor(client, colleague)
    page = " ".join(client.get(review).text.split())
    assert "Sam Jones (clinician) acknowledged this on" in page and "Note for the patient" not in page

    client.force_login(patient)
    changes = " ".join(client.get(reverse("flags:list")).text.split())
    assert "You acknowledged this on" in changes and "“Talked to my physio”" in changes
    assert "Sam Jones (your care team) acknowledged this on" in changes
    assert "“Reviewed: keep the diary going”" in changes


def test_the_patient_can_acknowledge_after_the_clinician(client, flag, patient, clinician):
    flag_acknowledge(flag=flag, by=clinician, note="Seen in clinic")
    client.force_login(patient)
    page = client.get(reverse("flags:list")).text
    assert "“Seen in clinic”" in page and reverse("flags:acknowledge", args=[flag.pk]) in page
    client.post(reverse("flags:acknowledge", args=[flag.pk]), {"note": "Thanks"})
    flag.refresh_from_db()
    assert flag.patient_note == "Thanks" and flag.clinician_note == "Seen in clinic"


def test_a_flag_acknowledged_by_the_clinician_only_is_kept_when_its_evidence_goes(worsening_patient, clinician):
    (flag,) = worsening_scan(patient=worsening_patient).created
    flag_acknowledge(flag=flag, by=clinician)
    worsening_patient.diary_entries.filter(date__gt=TODAY - datetime.timedelta(days=21)).update(pain=3)
    assert worsening_scan(patient=worsening_patient).removed == 0
    flag.refresh_from_db()
    assert flag.resolved_on == TODAY


def test_the_full_export_has_both_acknowledgements(client, flag, patient, clinician):
    clinician.first_name = "Sam"
    clinician.save()
    flag_acknowledge(flag=flag, by=patient, note="Mine")
    flag_acknowledge(flag=flag, by=clinician, note="Theirs")
    client.force_login(patient)
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("export_all")).content))
    (row,) = csv.DictReader(io.StringIO(archive.read("flags.csv").decode()))
    assert row["patient_note"] == "Mine" and row["patient_acknowledged_at"]
    assert row["clinician_note"] == "Theirs" and row["clinician_acknowledged_at"]
    assert row["clinician"] == clinician.display_name


def test_a_note_too_long_is_kept_as_typed_with_the_reason_and_nothing_is_acknowledged(client, flag, patient, clinician):
    """The boxes have no browser maxlength (which cut a pasted note without a word): the server refuses
    a long note, shows it again to shorten, and acknowledges nothing until it fits."""
    long_note = "Talked to my physio about the new exercises." * 50  # 2,200 characters
    client.force_login(patient)
    assert 'maxlength="2000"' not in client.get(reverse("flags:list")).text
    response = client.post(reverse("flags:acknowledge", args=[flag.pk]), {"note": long_note})
    assert response.status_code == 400
    page = response.text
    assert "at most 2000 characters (it has 2200)" in page
    assert long_note.strip() in page and "Pain: sustained rise" in page  # the note as typed, the flag named
    assert 'action="' + reverse("flags:acknowledge", args=[flag.pk]) + '"' in page
    flag.refresh_from_db()
    assert flag.patient_acknowledged_at is None

    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    url = reverse("careteam:acknowledge_flag", kwargs={"patient_id": patient.pk, "pk": flag.pk})
    assert 'maxlength="2000"' not in client.get(reverse("careteam:patient", kwargs={"patient_id": patient.pk})).text
    page = client.post(url, {"note": long_note}).text
    assert "at most 2000 characters (it has 2200)" in page and long_note.strip() in page
    assert "Note for the patient" in page and f'action="{url}"' in page
    flag.refresh_from_db()
    assert flag.clinician_acknowledged_at is None
    client.post(url, {"note": long_note[:1999]})
    flag.refresh_from_db()
    assert flag.clinician_note == long_note[:1999].strip()
