import io
import zipfile

import pytest
from django.urls import reverse

from accounts.models import User
from careteam.models import AccessLog, CareAccess
from careteam.services import access_grant
from symptoms.models import DiaryEntry
from tests.conftest import login_with_second_factor
from tests.factories import PASSWORD, DiaryEntryFactory, FlagFactory, MedicationFactory
from treatments.models import Medication

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_deleting_the_account_removes_all_its_data(client, patient, clinician):
    DiaryEntryFactory(patient=patient)
    MedicationFactory(patient=patient)
    access_grant(patient=patient, clinician_identifier=clinician.username)
    client.force_login(patient)
    refused = client.post(reverse("accounts:delete"), {"password": "wrong", "confirm": "delete"})
    assert "That is not your password." in refused.text and "Type DELETE in capitals" in refused.text
    assert User.objects.filter(pk=patient.pk).exists()
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "DELETE"})
    assert response["Location"] == reverse("login")
    assert not User.objects.filter(pk=patient.pk).exists()
    assert not DiaryEntry.objects.exists() and not Medication.objects.exists()
    assert not CareAccess.objects.exists() and not AccessLog.objects.exists()
    assert User.objects.filter(pk=clinician.pk).exists()


def test_the_full_export_holds_flags_and_the_access_log(client, patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    client.force_login(patient)
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("export_all")).content))
    assert {"flags.csv", "access-log.csv"} <= set(archive.namelist())
    assert "granted" in archive.read("access-log.csv").decode()


def test_script_in_notes_and_names_is_shown_as_text_everywhere(client, patient, clinician):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    DiaryEntryFactory(patient=patient, date=today, notes=SCRIPT, note_for_clinician=True)
    MedicationFactory(patient=patient, name=SCRIPT[:100], started_on=today - datetime.timedelta(days=3))
    patient.first_name = SCRIPT[:150]
    patient.save()
    FlagFactory(
        patient=patient,
        date=today,
        patient_note=SCRIPT,
        patient_acknowledged_at=timezone.now(),
        clinician_note=SCRIPT,
        clinician_acknowledged_at=timezone.now(),
        clinician_acknowledged_by=clinician,
    )
    access_grant(patient=patient, clinician_identifier=clinician.username)
    client.force_login(patient)
    pages = [
        reverse(n)
        for n in ("symptoms:today", "symptoms:history", "treatments:overview", "flags:list", "dashboard:patient")
    ]
    texts = [client.get(url).text for url in pages]
    login_with_second_factor(client, clinician)
    for name in ("careteam:patient", "careteam:report"):
        texts.append(client.get(reverse(name, kwargs={"patient_id": patient.pk})).text)
    texts.append(client.get(reverse("careteam:clinician_home")).text)
    for text in texts:
        assert "<script>alert" not in text
        assert "<img src=x" not in text  # escaped in HTML, \u003C-escaped inside the chart's JSON
    assert any("&lt;script&gt;alert" in text for text in texts)


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("symptoms:today", {"pain": "9" * 400}),
        ("symptoms:today", {"notes": "x" * 100_000}),
        ("symptoms:today", {"pain": ["1", "2"], "spasm_episodes": "1e9"}),
        ("treatments:medication_new", {"name": "x" * 1000, "amount": "1e40", "started_on": "2026-13-45"}),
        ("treatments:procedure_new", {"kind": "x" * 50, "relief_days": "-1"}),
        ("careteam:grant", {"clinician": "x" * 10_000}),
        ("accounts:profile", {"time_zone": "../../etc/passwd", "onset_date": "0000-00-00"}),
    ],
)
def test_input_that_does_not_belong_gets_a_clear_answer_never_a_500(client, patient, url_name, data):
    client.force_login(patient)
    response = client.post(reverse(url_name), data)
    assert response.status_code in (200, 302)
    assert not DiaryEntry.objects.exists() and not Medication.objects.exists()
