"""Double submits on consent and appointments: one record, no error (real concurrent transactions)."""

import datetime

import pytest

from careteam.models import Appointment, CareAccess
from careteam.services import access_grant, appointment_add
from tests.conftest import needs, run_at_once, uses_postgresql
from tests.factories import ClinicianFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_grant_sent_eight_times_at_once_makes_one_access():
    needs(uses_postgresql(), "needs PostgreSQL (DATABASE_URL) for real concurrent transactions")
    for _ in range(5):  # a race is not lost every time: give it several chances
        patient, clinician = PatientFactory(), ClinicianFactory()
        errors = run_at_once(
            lambda who, whom: access_grant(patient=who, clinician_identifier=whom), [(patient, clinician.username)] * 8
        )
        assert errors == []
        assert CareAccess.objects.filter(patient=patient, clinician=clinician).count() == 1


def test_an_appointment_sent_four_times_at_once_is_one_appointment():
    needs(uses_postgresql(), "needs PostgreSQL (DATABASE_URL) for real concurrent transactions")
    patient = PatientFactory()
    day = datetime.date(2026, 12, 1)
    errors = run_at_once(lambda: appointment_add(patient=patient, date=day, note="Pain clinic"), [()] * 4)
    assert errors == []
    assert Appointment.objects.filter(patient=patient).count() == 1


def test_one_appointment_a_day_also_when_the_clinician_who_recorded_it_has_gone():
    patient, clinician = PatientFactory(), ClinicianFactory()
    day = datetime.date(2026, 12, 1)
    first = appointment_add(patient=patient, date=day, clinician=clinician, note="Recorded by the clinic")
    clinician.delete()  # the appointment stays, its clinician now empty
    assert appointment_add(patient=patient, date=day, note="Mine").pk == first.pk
    assert Appointment.objects.filter(patient=patient).count() == 1
