"""The clinician's review: a fixed number of queries however long the history, and a kept body that is
never stale (lib.pages, accounts.data_version)."""

import datetime
import re

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
# windows, the history page, appointments, the data version, the questionnaires (responses, open safety
# alerts, schedules).
QUERIES = 30  # ... and the worsening-detection setting (flags/_sensitivity.html)
# A kept body: session, user, second factor, the access check, the patient, the data version, the log line
# in its transaction (begin, insert, commit).
KEPT = 9


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
    review(client, patient)  # the session's first write
    with django_assert_num_queries(QUERIES) as month:
        review(client, patient, range="90")
    with django_assert_num_queries(KEPT):  # asked again, nothing changed: the kept body
        review(client, patient, range="90")
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


def csrf_token(page: str) -> str:
    """The token of the page's last form (the appointment form, in the kept body; the menu's is drawn anew)."""
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[-1]


def test_a_kept_reviews_forms_post_and_a_new_login_gets_a_body_with_its_own_token(patient, clinician):
    from django.test import Client

    from careteam.models import Appointment

    access_grant(patient=patient, clinician_identifier=clinician.username)
    client = login_with_second_factor(Client(enforce_csrf_checks=True), clinician)
    first = review(client, patient).text
    kept = review(client, patient).text
    assert csrf_token(kept) == csrf_token(first)  # the same body, kept with its token
    url = reverse("careteam:add_appointment", kwargs={"patient_id": patient.pk})
    today = timezone.localdate()
    answer = client.post(url, {"date": today - 3 * D, "csrfmiddlewaretoken": csrf_token(kept)})
    assert answer.status_code == 302 and Appointment.objects.filter(patient=patient).count() == 1
    # A new login rotates the CSRF secret: the body is drawn again with a token that posts.
    client.logout()
    login_with_second_factor(client, clinician)
    again = review(client, patient).text
    answer = client.post(url, {"date": today - 2 * D, "csrfmiddlewaretoken": csrf_token(again)})
    assert answer.status_code == 302 and Appointment.objects.filter(patient=patient).count() == 2


def test_a_kept_review_is_a_404_once_the_patient_stops_sharing(client, patient, clinician):
    from careteam.models import CareAccess
    from careteam.services import access_revoke

    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    DiaryEntryFactory(patient=patient, date=timezone.localdate(), pain=7)
    assert review(client, patient).status_code == 200
    assert review(client, patient).status_code == 200  # kept
    access_revoke(access=CareAccess.objects.get(patient=patient, clinician=clinician), by=patient)
    assert review(client, patient).status_code == 404
