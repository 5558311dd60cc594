"""Read-only pages answer HEAD as they answer GET (monitors and link checkers send HEAD)."""

import datetime

import pytest
from django.urls import reverse

from careteam.services import access_grant
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.usefixtures("frozen_now")


def test_head_on_read_only_pages_is_a_200_without_a_body(client, patient, clinician):
    client.force_login(patient)
    for name in ("treatments:overview", "dashboard:patient", "symptoms:history", "careteam:sharing"):
        response = client.head(reverse(name))
        assert response.status_code == 200, name
        assert response.content == b"", name
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    for url in (reverse("careteam:clinician_home"), reverse("careteam:patient", kwargs={"patient_id": patient.pk})):
        assert client.head(url).status_code == 200, url


def test_head_is_still_refused_where_get_is_a_404(client, patient, other_patient):
    client.force_login(patient)
    assert client.head(reverse("careteam:patient", kwargs={"patient_id": other_patient.pk})).status_code == 404


def test_head_on_pages_with_a_form_answers_as_get_and_changes_nothing(client, patient):
    from symptoms.models import DiaryEntry
    from tests.conftest import TODAY

    client.force_login(patient)
    for name in ("symptoms:today", "accounts:profile", "treatments:medication_new", "symptoms:import"):
        response = client.head(reverse(name))
        assert response.status_code == 200, name
        assert response.content == b"", name
    yesterday = TODAY - datetime.timedelta(days=1)
    assert client.head(reverse("symptoms:day", kwargs={"date": yesterday})).status_code == 200
    today = client.head(reverse("symptoms:day", kwargs={"date": TODAY}))
    assert today.status_code == 302 and today["Location"] == reverse("symptoms:today")  # as GET does
    assert not DiaryEntry.objects.filter(patient=patient).exists()
