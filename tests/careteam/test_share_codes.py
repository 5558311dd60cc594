"""A patient's unused share codes: listed on the Sharing page, cancelled by hand, and cancelled when the
patient stops sharing with anyone (whoever holds a code cannot be known). Stopping is asked first."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from careteam.models import AccessLog, CareAccess, ShareCode
from careteam.services import access_grant, share_code_create
from tests.conftest import login_with_second_factor
from tests.factories import ClinicianFactory

pytestmark = pytest.mark.django_db
SHARING = reverse("careteam:sharing")
NOT_VALID = "That code is not valid: it may have expired (after 7 days) or been used already."


def redeem(client, clinician, code):
    login_with_second_factor(client, clinician)
    return client.post(reverse("careteam:redeem"), {"code": code}, follow=True)


def test_a_removed_clinician_cannot_get_back_in_with_an_unused_code(client, patient, clinician):
    """The reviewer's steps: share by username, make a code, stop sharing; the code must not work."""
    clinician.first_name, clinician.last_name = "Sam", "Rivera"
    clinician.save()
    client.force_login(patient)
    client.post(reverse("careteam:grant"), {"clinician": clinician.username})
    client.post(reverse("careteam:create_code"))
    code = ShareCode.objects.get().code
    access = CareAccess.objects.get()
    response = client.post(reverse("careteam:revoke", args=[access.pk]), follow=True)
    assert (
        "Sam Rivera no longer has access. Your unused share code was cancelled too; make a new one when you need it."
        in response.text
    )
    assert "Codes not used yet" not in response.text
    assert f"<strong>{code}</strong>" not in response.text  # not shown as the code just made either
    assert f"Share code cancelled: {code}, on stopping sharing with Sam Rivera" in response.text  # the log
    response = redeem(client, clinician, code)
    assert NOT_VALID in response.text
    assert "You can now see" not in response.text
    assert client.get(reverse("careteam:patient", kwargs={"patient_id": patient.pk})).status_code == 404
    assert list(CareAccess.objects.values_list("status", flat=True)) == ["revoked"]
    assert AccessLog.objects.filter(action="code_cancelled", actor=patient).count() == 1


def test_stopping_cancels_every_unused_code_and_says_how_many(client, patient, clinician):
    access = access_grant(patient=patient, clinician_identifier=clinician.username)
    codes = [share_code_create(patient=patient).code for _ in range(2)]
    used = share_code_create(patient=patient)
    share_code_create(patient=patient)
    other_dr = ClinicianFactory(username="dr-other")
    redeem(client, other_dr, used.code)  # spent: stays as it was
    ShareCode.objects.filter(patient=patient, used_at__isnull=True).exclude(code__in=codes).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )  # expired already: nothing to cancel
    client.force_login(patient)
    response = client.post(reverse("careteam:revoke", args=[access.pk]), follow=True)
    assert "Your 2 unused share codes were cancelled too" in response.text
    for code in codes:
        assert NOT_VALID in redeem(client, ClinicianFactory(), code).text
    used.refresh_from_db()
    assert used.used_by == other_dr
    assert CareAccess.objects.get(clinician=other_dr).status == "active"


def test_stopping_without_codes_says_nothing_about_codes(client, patient, clinician):
    access = access_grant(patient=patient, clinician_identifier=clinician.username)
    client.force_login(patient)
    response = client.post(reverse("careteam:revoke", args=[access.pk]), follow=True)
    assert "no longer has access." in response.text
    assert "cancelled" not in response.text
    assert not AccessLog.objects.filter(action="code_cancelled").exists()


def test_declining_an_invitation_leaves_the_codes_alone(client, patient, clinician):
    """Declining ends nobody's access: the code the patient made for someone else still works."""
    login_with_second_factor(client, clinician)
    client.post(reverse("careteam:invite"), {"patient": patient.username})
    code = share_code_create(patient=patient)
    client.force_login(patient)
    response = client.post(reverse("careteam:revoke", args=[CareAccess.objects.get().pk]), follow=True)
    assert "cancelled" not in response.text
    assert "You can now see" in redeem(client, ClinicianFactory(), code.code).text


def test_stop_sharing_asks_first(client, patient, clinician):
    clinician.first_name, clinician.last_name = "Sam", "Rivera"
    clinician.save()
    access = access_grant(patient=patient, clinician_identifier=clinician.username)
    client.force_login(patient)
    url = reverse("careteam:revoke", args=[access.pk])
    assert f'href="{url}"' in client.get(SHARING).text  # Stop sharing leads to the question
    page = client.get(url)
    assert page.status_code == 200
    assert "Stop sharing your diary with Sam Rivera?" in page.text
    assert f'href="{SHARING}"' in page.text  # Keep sharing
    assert f'href="{SHARING}" aria-current="page">Sharing' in page.text  # still under Sharing in the menu
    assert client.head(url).status_code == 200
    access.refresh_from_db()
    assert access.status == "active"  # asking changed nothing
    client.post(url)
    access.refresh_from_db()
    assert access.status == "revoked"
    # Back to the question after it was answered: the Sharing page says so.
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == SHARING
    assert "Sam Rivera already cannot see your diary." in response.text


def test_the_question_mentions_the_codes_that_would_be_cancelled(client, patient, clinician):
    access = access_grant(patient=patient, clinician_identifier=clinician.username)
    client.force_login(patient)
    url = reverse("careteam:revoke", args=[access.pk])
    assert "share code" not in client.get(url).text
    share_code_create(patient=patient)
    assert "Your unused share code will stop working too." in client.get(url).text


def test_the_sharing_page_lists_unused_codes_with_a_cancel_button_each(client, patient):
    with time_machine.travel(datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC), tick=True):
        waiting = share_code_create(patient=patient)
        used = share_code_create(patient=patient)
        expired = ShareCode.objects.create(patient=patient, expires_at=timezone.now() - datetime.timedelta(hours=1))
        redeem(client, ClinicianFactory(), used.code)
        client.force_login(patient)
        page = client.get(SHARING).text
        assert waiting.code in page
        assert "expires 8 Oct 2026" in page
        assert f'Cancel code<span class="visually-hidden"> {waiting.code}</span>' in page
        assert reverse("careteam:cancel_code", args=[waiting.pk]) in page
        assert used.code not in page and expired.code not in page


def test_cancelling_a_code_stops_it_and_is_logged(client, patient, clinician):
    code = share_code_create(patient=patient)
    client.force_login(patient)
    response = client.post(reverse("careteam:cancel_code", args=[code.pk]), follow=True)
    assert f"The code {code.code} was cancelled; nobody can use it now." in response.text
    assert f'action="{reverse("careteam:cancel_code", args=[code.pk])}"' not in response.text
    assert "Share code cancelled" in response.text  # in the access log on the same page
    assert AccessLog.objects.filter(action="code_cancelled", actor=patient).count() == 1
    assert NOT_VALID in redeem(client, clinician, code.code).text
    assert not CareAccess.objects.exists()
    # Cancelling again (a second tap, the back button) changes nothing and logs nothing more.
    client.force_login(patient)
    response = client.post(reverse("careteam:cancel_code", args=[code.pk]), follow=True)
    assert response.status_code == 200
    assert AccessLog.objects.filter(action="code_cancelled").count() == 1


def test_cancelling_another_patients_code_is_a_404(client, patient, other_patient, clinician):
    theirs = share_code_create(patient=other_patient)
    client.force_login(patient)
    assert client.post(reverse("careteam:cancel_code", args=[theirs.pk])).status_code == 404
    assert "You can now see" in redeem(client, clinician, theirs.code).text


def test_a_code_can_be_cancelled_only_by_post(client, patient):
    code = share_code_create(patient=patient)
    client.force_login(patient)
    assert client.get(reverse("careteam:cancel_code", args=[code.pk])).status_code == 405
    code.refresh_from_db()
    assert code.expires_at > timezone.now()
