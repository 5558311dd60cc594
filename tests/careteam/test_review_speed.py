"""The clinician's review: a fixed number of queries however long the history, and kept fragments
that are never stale (dashboard.selectors.Dashboard.digest, careteam.selectors.TreatmentHistory)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from careteam.services import access_grant
from symptoms.models import DiaryEntry
from tests.conftest import login_with_second_factor
from tests.factories import (
    DiaryEntryFactory,
    MedicationFactory,
    NeurostimulatorFactory,
    ProcedureFactory,
    TherapyFactory,
    add_years_of_care,
)

pytestmark = pytest.mark.django_db
D = datetime.timedelta(days=1)
# Session, user, second factor, the access check and its log, the dashboard's reads (tests/dashboard), the
# treatment records read once for the chart, the timeline and what is current, the diary of the timeline's
# windows, the history page, appointments.
QUERIES = 25


def review(client, patient, **params):
    return client.get(reverse("careteam:patient", kwargs={"patient_id": patient.pk}), params)


def test_the_review_asks_as_many_queries_for_5_years_as_for_a_month(
    client, patient, clinician, django_assert_num_queries
):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    today = timezone.localdate()
    for d in range(30):
        DiaryEntryFactory(patient=patient, date=today - d * D)
    MedicationFactory(patient=patient, started_on=today - 20 * D)
    ProcedureFactory(patient=patient, performed_on=today - 10 * D)
    TherapyFactory(patient=patient, started_on=today - 25 * D)
    NeurostimulatorFactory(patient=patient, implanted_on=today - 15 * D)
    review(client, patient)
    with django_assert_num_queries(QUERIES) as month:
        review(client, patient)
    add_years_of_care(patient, today)
    with django_assert_num_queries(QUERIES) as years:
        review(client, patient, range="all")
    assert len(month.captured_queries) == len(years.captured_queries)


def test_the_kept_timeline_follows_every_edit(client, patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    today = timezone.localdate()
    block = today - 13 * D
    for offset in range(1, 8):
        DiaryEntryFactory(patient=patient, date=block - offset * D, pain=6)
        DiaryEntryFactory(patient=patient, date=block + offset * D, pain=8)
    procedure = ProcedureFactory(patient=patient, performed_on=block, helped_rating=3)
    assert "pain 2.0 higher" in review(client, patient).text
    assert "pain 2.0 higher" in review(client, patient).text  # kept
    # A diary day in the block's window, changed without a signal or a timestamp: the response follows.
    DiaryEntry.objects.filter(patient=patient, date__gt=block).update(pain=4)
    assert "pain 2.0 lower" in review(client, patient).text
    type(procedure).objects.filter(pk=procedure.pk).update(helped_rating=9)
    assert "helped 9/10" in review(client, patient).text
