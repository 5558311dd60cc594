# ruff: noqa: RUF001  (the wording on screen writes a range of days with an en dash)
"""The clinician's review shows each treatment's response in its own window, in neutral words."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from careteam.services import access_grant
from tests.conftest import login_with_second_factor
from tests.factories import DiaryEntryFactory, MedicationFactory, ProcedureFactory

pytestmark = pytest.mark.django_db
D = datetime.timedelta(days=1)


def test_the_review_names_each_window_and_shows_the_relief_recorded(client, patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    today = timezone.localdate()
    block = today - 13 * D
    for offset in range(1, 8):
        DiaryEntryFactory(patient=patient, date=block - offset * D, pain=6)
        DiaryEntryFactory(patient=patient, date=block + offset * D, pain=8)
    ProcedureFactory(patient=patient, performed_on=block, helped_rating=3, relief_days=4, relief_percent=50)
    MedicationFactory(patient=patient, name="Baclofen", started_on=today - 6 * D)
    login_with_second_factor(client, clinician)
    review = client.get(reverse("careteam:patient", kwargs={"patient_id": patient.pk})).text
    assert "Recorded after it: 50 % relief for 4 days; helped 3/10." in review
    assert "Days 1–7 after the block against the 7 days before: pain 2.0 higher (clinically important difference)" in (
        review
    )
    ready = (today - 6 * D + 42 * D).strftime("%-d %b %Y")
    assert (
        "Too early to tell: this compares days 15–42 after starting against the 14 days before, "
        f"so it can be read from {ready}." in review
    )
    assert "worsening" not in review[review.index('id="treatments-heading"') :]
