"""The acknowledgement given before there was one per side moves to the side of whoever gave it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import ClinicianFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("flags", "0001_initial")]
AFTER = [("flags", "0004_remove_single_acknowledgement")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_an_existing_acknowledgement_moves_to_the_side_of_whoever_gave_it():
    old = migrate(BEFORE)
    try:
        Flag = old.get_model("flags", "Flag")
        patient, clinician = PatientFactory(), ClinicianFactory()  # accounts is not migrated back
        at = timezone.now()

        def old_flag(measure, acknowledged_by_id=None, note=""):
            return Flag.objects.create(
                patient_id=patient.pk, measure=measure, date=datetime.date(2026, 10, 1), kind="sustained",
                baseline_mean=4, baseline_days=30, recent_mean=7, recent_days=7, window_days=7, change=3, threshold=2,
                acknowledged_at=at if note else None, acknowledged_by_id=acknowledged_by_id, acknowledgement_note=note,
            ).pk  # fmt: skip

        by_patient = old_flag("pain", patient.pk, "Seen my GP")
        by_clinician = old_flag("mood", clinician.pk, "Reviewed")
        by_nobody = old_flag("spasms")
        by_gone = old_flag("swelling", None, "Left the clinic")  # the clinician's account has been deleted

        Flag = migrate(AFTER).get_model("flags", "Flag")
        flags = Flag.objects.in_bulk()
        assert (flags[by_patient].patient_acknowledged_at, flags[by_patient].patient_note) == (at, "Seen my GP")
        assert flags[by_patient].clinician_acknowledged_at is None
        clinician_side = flags[by_clinician]
        assert clinician_side.clinician_acknowledged_at == at and clinician_side.clinician_note == "Reviewed"
        assert clinician_side.clinician_acknowledged_by_id == clinician.pk
        assert clinician_side.patient_acknowledged_at is None
        assert flags[by_nobody].patient_acknowledged_at is None and flags[by_nobody].clinician_acknowledged_at is None
        assert flags[by_gone].clinician_acknowledged_at == at and flags[by_gone].clinician_note == "Left the clinic"

        Flag = migrate(BEFORE).get_model("flags", "Flag")  # and back
        assert Flag.objects.get(pk=by_clinician).acknowledged_by_id == clinician.pk
        assert Flag.objects.get(pk=by_patient).acknowledgement_note == "Seen my GP"
    finally:
        # Back to the newest migrations, not to AFTER: later tests (a real worker) use this database, and
        # they need every column the models have (flags 0005 and on).
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
