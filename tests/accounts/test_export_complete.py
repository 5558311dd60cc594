"""The "everything" export holds every field of every model a patient owns.

The models and their fields come from the apps, not from a list kept by hand: a model that gains a
field, or a new model that belongs to a patient, fails here until the export writes it (or the
field joins LEFT_OUT below, with the reason).
"""

import csv
import datetime
import io
import json
import zipfile

from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from careteam.models import AccessLog, Appointment, CareAccess, ShareCode
from flags.models import DetectionSetting, Flag
from symptoms.models import DiaryEntry
from tests.factories import (
    ClinicianFactory,
    DiagnosticTestFactory,
    DiaryEntryFactory,
    FlagFactory,
    MedicationFactory,
    NeurostimulatorFactory,
    ProcedureFactory,
    TherapyFactory,
)
from treatments.models import MedicationAdherence, ProgrammingChange, TherapySession

# Fields deliberately not in the export, each with its reason.
LEFT_OUT = {
    ("accounts.User", "password"): "a hash, of no use to the patient and a risk in a file",
    ("accounts.User", "is_superuser"): "the site's administration, not the patient's record",
    ("accounts.User", "is_staff"): "the site's administration",
    ("accounts.User", "is_active"): "always yes for a patient who can download",
    ("flags.Flag", "care_team_note"): "the care team's own working note: the patient must not see it",
    ("careteam.ShareCode", "code"): "a live code in a file would let whoever holds the file join the care team",
    # The diary's own file (diary.csv) can be imported again; its record times are in diary-notes.csv.
}
# Models with a link to the user that are not the patient's record.
NOT_THE_RECORD = {
    "otp_totp.TOTPDevice": "a second factor (clinicians, staff, and patients who turn one on): its key is a secret",
    "admin.LogEntry": "the admin's own log of its edits; its user is the admin",
    "flags.PendingEvaluation": "a to-do for the worker (evaluate this patient's flags), not data about them",
    "reminders.PushSubscription": "a browser's push address and keys: the device's secret, not data about the patient",
}
# Where a model's fields are, and the column names that differ from the field names.
FILES = {
    "accounts.User": "profile.csv",
    "accounts.PatientProfile": "profile.csv",
    "symptoms.DiaryEntry": "diary.csv+diary-notes.csv",
    "treatments.Medication": "medications.csv",
    "treatments.MedicationDose": "medication-doses.csv",
    "treatments.MedicationAdherence": "medication-adherence.csv",
    "treatments.Therapy": "therapies.csv",
    "treatments.TherapySession": "therapy-sessions.csv",
    "treatments.Procedure": "procedures.csv",
    "treatments.Neurostimulator": "neurostimulators.csv",
    "treatments.ProgrammingChange": "programming-changes.csv",
    "treatments.DiagnosticTest": "diagnostic-tests.csv",
    "flags.Flag": "flags.csv",
    "flags.DetectionSetting": "detection-setting.csv",
    "careteam.CareAccess": "care-team.csv",
    "careteam.ShareCode": "share-codes.csv",
    "careteam.AccessLog": "access-log.csv",
    "careteam.Appointment": "appointments.csv",
    "assessments.Response": "questionnaires.csv",
    "assessments.Schedule": "questionnaire-schedules.csv",
    "assessments.SafetyAlert": "safety-alerts.csv",
}
COLUMN_NAMES = {
    ("accounts.User", "date_joined"): "joined",
    ("accounts.PatientProfile", "questions_for_clinic"): "questions_for_next_appointment",
    ("flags.Flag", "clinician_acknowledged_by"): "clinician",
    ("careteam.AccessLog", "at"): "when",
    ("careteam.AccessLog", "actor"): "who",
}


def _owner_links(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]


def owned_models() -> set[str]:
    """Every model linked to the user (or to a model so linked), the user's own model included."""
    owned = {User}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model not in owned and any(f.related_model in owned for f in _owner_links(model)):
                owned.add(model)
                changed = True
    return {m._meta.label for m in owned}


def test_every_model_a_patient_owns_has_a_file():
    assert owned_models() - set(NOT_THE_RECORD) == set(FILES)


def test_every_field_of_every_owned_model_is_in_the_export(client, patient):
    clinician = ClinicianFactory(first_name="Sam", last_name="Okafor")
    _fill_every_model(patient, clinician)
    client.force_login(patient)
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("export_all")).content))
    headers = {}
    for name in archive.namelist():
        if name.endswith(".csv"):
            reader = csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
            headers[name] = next(reader)
            assert list(reader), f"{name} has no row although every model has data"
    missing = []
    for label, files in FILES.items():
        columns = {c for f in files.split("+") for c in headers[f]}
        for field in apps.get_model(label)._meta.concrete_fields:
            if field.primary_key or (label, field.name) in LEFT_OUT:
                continue
            if field.is_relation and field.related_model is User and field.name in ("patient", "user"):
                continue  # the patient themself (a parent record, such as a dose's medication, is a column)
            if COLUMN_NAMES.get((label, field.name), field.name) not in columns:
                missing.append(f"{label}.{field.name}")
    assert missing == []
    readme = archive.read("README.txt").decode()
    for name in archive.namelist():
        assert name == "README.txt" or name.split(".")[0] in readme, name
    bundle = json.loads(archive.read("fhir.json"))
    assert bundle["resourceType"] == "Bundle"
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} >= {"Patient", "Observation", "Flag"}
    for name in archive.namelist():
        assert "Care team only: private" not in archive.read(name).decode(), name
    appointment = next(csv.DictReader(io.StringIO(archive.read("appointments.csv").decode())))
    assert appointment == {
        "date": "2026-10-20",
        "clinician": "Sam Okafor",
        "note": "Next review in 6 weeks",
        "created_at": appointment["created_at"],
    }
    (shared,) = [r for r in csv.DictReader(io.StringIO(archive.read("diary-notes.csv").decode())) if r["notes"]]
    assert shared["note_for_clinician"] == "yes"
    (consent,) = csv.DictReader(io.StringIO(archive.read("care-team.csv").decode()))
    assert consent["clinician"] == "Sam Okafor" and consent["status"] == "Active" and consent["granted_at"]


def _fill_every_model(patient: User, clinician: User) -> None:
    now = timezone.now()
    patient.first_name, patient.last_name, patient.last_login = "Ada", "Lind", now
    patient.save()
    profile = patient.patient_profile
    profile.onset_date = datetime.date(2024, 3, 1)
    profile.birth_year = 1982
    profile.affected_sites = ["right_hand"]
    profile.reminder_time = datetime.time(20, 0)
    profile.last_reminded_on = datetime.date(2026, 10, 1)
    profile.questions_for_clinic = "Can I drive?"
    profile.save()
    DiaryEntryFactory(patient=patient, date=datetime.date(2026, 10, 1), notes="Bad night", note_for_clinician=True)
    DiaryEntry.objects.filter(patient=patient).update(updated_at=now)
    medication = MedicationFactory(
        patient=patient, name="Baclofen", stopped_on=datetime.date(2026, 11, 1), stop_reason="side_effects"
    )
    MedicationAdherence.objects.create(medication=medication, date=datetime.date(2026, 10, 2), taken=True)
    therapy = TherapyFactory(patient=patient, provider="Clinic", notes="Weekly")
    TherapySession.objects.create(therapy=therapy, date=datetime.date(2026, 9, 8), note="Mirror box")
    ProcedureFactory(patient=patient, agent="Lidocaine", relief_days=10, relief_percent=50)
    device = NeurostimulatorFactory(patient=patient)
    ProgrammingChange.objects.create(device=device, date=datetime.date(2026, 8, 10), note="Amplitude up")
    DiagnosticTestFactory(patient=patient)
    FlagFactory(patient=patient, care_team_note="Care team only: private", clinician_acknowledged_by=clinician)
    Flag.objects.filter(patient=patient).update(clinician_acknowledged_at=now, notified_at=now)
    DetectionSetting.objects.create(
        patient=patient, level="sensitive", reason="New drug", changed_by=clinician, changed_at=now
    )
    CareAccess.objects.create(patient=patient, clinician=clinician, status="active", granted_at=now)
    ShareCode.objects.create(patient=patient, expires_at=now, used_at=now, used_by=clinician)
    AccessLog.objects.create(patient=patient, actor=clinician, action="viewed", what="the review")
    Appointment.objects.create(
        patient=patient, clinician=clinician, date=datetime.date(2026, 10, 20), note="Next review in 6 weeks"
    )
    from assessments.instruments import PHQ9
    from assessments.models import SafetyAlert
    from assessments.services import response_record, schedule_set

    answers = {item.key: 1 for item in PHQ9.items}
    response = response_record(
        patient=patient, code="phq9", answers=answers, completed_on=datetime.date(2026, 10, 3), recorded_by=patient
    )
    type(response).objects.filter(pk=response.pk).update(prefilled=["down"], site="right_hand")
    SafetyAlert.objects.filter(response=response).update(
        acknowledged_at=now, acknowledged_by=clinician, clinicians_emailed=1
    )
    schedule_set(patient=patient, code="peg", every_days=14, by=clinician)
