"""The data version (accounts.data_version): every change to what a patient's pages show raises it, the
database itself does it whatever wrote the change, and every table of a patient's data is watched."""

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from accounts.models import User
from accounts.selectors import data_version
from careteam.models import Appointment, CareAccess
from tests.conftest import uses_postgresql
from tests.factories import (
    ClinicianFactory,
    DiagnosticTestFactory,
    DiaryEntryFactory,
    FlagFactory,
    MedicationDoseFactory,
    MedicationFactory,
    NeurostimulatorFactory,
    PatientFactory,
    ProcedureFactory,
    TherapyFactory,
)
from treatments.models import MedicationAdherence, ProgrammingChange, TherapySession

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 2)

# A patient's rows that no page of theirs shows, so that writing them keeps the kept pages: the access
# log (written by every clinician's view of the review), share codes (the sharing page is never kept)
# and the queue of evaluations waiting for a worker.
NOT_SHOWN = {
    "careteam_accesslog",
    "careteam_sharecode",
    "flags_pendingevaluation",
    "accounts_dataversion",
    "reminders_pushsubscription",  # a browser's push address and keys: no page shows them
}


def watched_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE %s", ["%_data_version_%"]
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                ["%_data_version_%"],
            )
        return {row[0] for row in cursor.fetchall()}


def reaches_a_user(model, seen=()) -> bool:
    for field in model._meta.concrete_fields:
        if (
            field.is_relation
            and field.related_model not in seen
            and (field.related_model is User or reaches_a_user(field.related_model, (*seen, model)))
        ):
            return True
    return model is User


def test_every_table_of_a_patients_data_is_watched_or_named_as_never_shown():
    ours = [app for app in apps.get_app_configs() if Path(app.path).parent == Path(settings.BASE_DIR)]
    assert {"accounts", "symptoms", "treatments", "flags", "assessments", "careteam"} <= {app.label for app in ours}
    tables = {model._meta.db_table for app in ours for model in app.get_models() if reaches_a_user(model)}
    assert tables - NOT_SHOWN == watched_tables()


def rises(patient, change) -> int:
    before = data_version(patient)
    change()
    return data_version(patient) - before


def test_each_kind_of_change_raises_the_version_of_its_patient_and_no_one_elses():
    patient, other = PatientFactory(), PatientFactory()
    clinician = ClinicianFactory()
    entry = DiaryEntryFactory(patient=patient, date=DAY, pain=5)
    medication = MedicationFactory(patient=patient)
    dose = medication.doses.get()
    therapy = TherapyFactory(patient=patient)
    device = NeurostimulatorFactory(patient=patient)
    others = data_version(other)
    made = [
        lambda: DiaryEntryFactory(patient=patient, date=DAY + datetime.timedelta(days=1)),
        lambda: MedicationFactory(patient=patient),
        lambda: MedicationDoseFactory(medication=medication, started_on=DAY),
        lambda: MedicationAdherence.objects.create(medication=medication, date=DAY, taken=True),
        lambda: TherapyFactory(patient=patient, started_on=DAY),
        lambda: TherapySession.objects.create(therapy=therapy, date=DAY),
        lambda: ProcedureFactory(patient=patient, performed_on=DAY),
        lambda: NeurostimulatorFactory(patient=patient, implanted_on=DAY),
        lambda: ProgrammingChange.objects.create(device=device, date=DAY, note="lower amplitude"),
        lambda: DiagnosticTestFactory(patient=patient),
        lambda: FlagFactory(patient=patient),
        lambda: Appointment.objects.create(patient=patient, date=DAY),
        lambda: CareAccess.objects.create(patient=patient, clinician=clinician),
    ]
    for make in made:
        assert rises(patient, make) >= 1
    # Changed without a signal or a timestamp, and deleted, down the foreign keys too.
    assert rises(patient, lambda: type(entry).objects.filter(pk=entry.pk).update(pain=6)) == 1
    assert rises(patient, lambda: type(dose).objects.filter(pk=dose.pk).update(amount=20)) == 1
    assert rises(patient, lambda: type(device).objects.filter(pk=device.pk).update(removed_on=DAY)) == 1
    assert rises(patient, lambda: User.objects.filter(pk=patient.pk).update(first_name="Ann")) == 1
    assert (
        rises(
            patient,
            lambda: patient.patient_profile.__class__.objects.filter(user=patient).update(time_zone="Europe/Paris"),
        )
        == 1
    )
    assert rises(patient, lambda: medication.delete()) >= 1
    assert rises(patient, lambda: entry.delete()) == 1
    assert data_version(other) == others


def test_a_bulk_write_raises_the_version_once_per_statement_on_postgresql():
    patient = PatientFactory()
    entries = [DiaryEntryFactory.build(patient=patient, date=DAY - datetime.timedelta(days=d)) for d in range(50)]
    raised = rises(patient, lambda: type(entries[0]).objects.bulk_create(entries))
    assert raised == (1 if uses_postgresql() else 50)


def test_a_patient_with_no_change_yet_is_at_version_0_and_the_number_only_grows():
    patient = PatientFactory()
    start = data_version(patient)  # the sign-up's profile already raised it
    DiaryEntryFactory(patient=patient, date=DAY)
    assert data_version(patient) > start >= 0
    assert data_version(User(pk=2**62)) == 0
