"""Turning notifications on and off for a browser: /push/subscribe/ and /push/unsubscribe/."""

import pytest
from django.urls import reverse

from reminders.models import PushSubscription
from tests.conftest import login_with_second_factor
from tests.factories import ClinicianFactory

from .push_endpoint import Browser

ENDPOINT = "https://push.example.net/send/abc123"


def subscription(endpoint=ENDPOINT):
    browser = Browser()
    return {"endpoint": endpoint, "p256dh": browser.p256dh, "auth": browser.auth}


def test_a_patient_turns_notifications_on_and_off(patient_client, patient):
    response = patient_client.post(reverse("reminders:push_subscribe"), subscription())
    assert response.json() == {"subscribed": True, "phones": 1}
    assert PushSubscription.objects.get().patient == patient
    again = patient_client.post(reverse("reminders:push_subscribe"), subscription())  # the same browser again
    assert again.json()["phones"] == 1
    off = patient_client.post(reverse("reminders:push_unsubscribe"), {"endpoint": ENDPOINT})
    assert off.json() == {"subscribed": False, "phones": 0}
    assert not PushSubscription.objects.exists()


def test_a_shared_phone_moves_to_the_patient_now_signed_in(client, patient, other_patient):
    client.force_login(patient)
    client.post(reverse("reminders:push_subscribe"), subscription())
    client.force_login(other_patient)
    client.post(reverse("reminders:push_subscribe"), subscription())
    assert PushSubscription.objects.get().patient == other_patient


def test_one_cannot_turn_off_anothers_subscription(client, patient, other_patient):
    client.force_login(patient)
    client.post(reverse("reminders:push_subscribe"), subscription())
    client.force_login(other_patient)
    client.post(reverse("reminders:push_unsubscribe"), {"endpoint": ENDPOINT})
    assert PushSubscription.objects.get().patient == patient


@pytest.mark.parametrize(
    "bad", [{"endpoint": "javascript:alert(1)"}, {"p256dh": "short"}, {"auth": "not base64!"}, {"endpoint": ""}]
)
def test_a_bad_subscription_is_refused(patient_client, bad):
    response = patient_client.post(reverse("reminders:push_subscribe"), {**subscription(), **bad})
    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


def test_only_a_patient_may_subscribe(client, db):
    assert client.post(reverse("reminders:push_subscribe"), subscription()).status_code == 302
    login_with_second_factor(client, ClinicianFactory())
    assert client.post(reverse("reminders:push_subscribe"), subscription()).status_code == 404


def test_subscribing_is_a_post(patient_client):
    assert patient_client.get(reverse("reminders:push_subscribe")).status_code == 405


def test_the_profile_offers_notifications_only_with_vapid_keys(patient_client, settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "", ""
    assert b"Turn on notifications" not in patient_client.get(reverse("accounts:profile")).content
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "BPUBLIC", "private"
    page = patient_client.get(reverse("accounts:profile")).content.decode()
    assert "Turn on notifications on this phone" in page
    assert 'data-key="BPUBLIC"' in page and "private" not in page.split("data-key")[1][:40]
