"""Reminders and flag notices by push, e-mail or both: sent to a push endpoint of the test's own,
which decrypts them with the subscription's keys."""

import base64
import datetime
import json
import zoneinfo

import pytest
import time_machine
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core import mail

from accounts.models import PatientProfile
from flags.services import flag_notify
from reminders.models import PushSubscription
from reminders.reminders import send_due_reminders
from tests.factories import DiaryEntryFactory, FlagFactory, PatientFactory

from .push_endpoint import Browser

EVENING = datetime.datetime(2026, 11, 24, 20, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
Channel = PatientProfile.Channel


def subscribed(patient, push_service, name="phone"):
    browser = Browser()
    PushSubscription.objects.create(
        patient=patient, endpoint=push_service.endpoint(name), p256dh=browser.p256dh, auth=browser.auth
    )
    return browser


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def assert_signed_by_the_servers_vapid_key(request, settings, push_service):
    """The Authorization header is a VAPID JWT for the push service's origin, signed with our key."""
    scheme, _, rest = request["headers"]["authorization"].partition(" ")
    assert scheme == "vapid"
    parts = dict(part.strip().split("=", 1) for part in rest.split(","))
    assert parts["k"] == settings.VAPID_PUBLIC_KEY
    header, claims, signature = parts["t"].split(".")
    body = json.loads(b64decode(claims))
    assert body["aud"] == f"http://127.0.0.1:{push_service.server.server_port}"
    assert body["sub"] == "mailto:clinic@example.org"
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64decode(settings.VAPID_PUBLIC_KEY))
    raw = b64decode(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged


@pytest.mark.django_db
def test_the_daily_reminder_goes_by_push_encrypted_and_without_health_data(vapid, push_service):
    patient = PatientFactory(username="pushed", profile__reminder_enabled=True, profile__reminder_channel=Channel.PUSH)
    DiaryEntryFactory(patient=patient, date=EVENING.date() - datetime.timedelta(days=1), pain=9, notes="Secret")
    browser = subscribed(patient, push_service)
    with time_machine.travel(EVENING):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0  # once a day
    (request,) = push_service.received
    assert request["headers"]["content-encoding"] == "aes128gcm"
    assert b"Time to log" not in request["body"]  # encrypted on the way
    assert browser.decrypt(request["body"]) == {
        "title": "CRPS Tracker",
        "body": "Time to log today",
        "url": "/diary/today/",
        "tag": "reminder",
    }
    assert_signed_by_the_servers_vapid_key(request, vapid, push_service)
    assert mail.outbox == []  # push only, as chosen


@pytest.mark.django_db
def test_both_sends_the_email_too_and_email_alone_sends_no_push(vapid, push_service):
    both = PatientFactory(
        username="both",
        email="both@example.org",
        profile__reminder_enabled=True,
        profile__reminder_channel=Channel.BOTH,
    )
    by_mail = PatientFactory(username="mail", email="mail@example.org", profile__reminder_enabled=True)
    subscribed(both, push_service, "both")
    subscribed(by_mail, push_service, "mail")
    with time_machine.travel(EVENING):
        assert send_due_reminders() == 2
    assert [r["path"] for r in push_service.received] == ["/push/both"]
    assert sorted(m.to[0] for m in mail.outbox) == ["both@example.org", "mail@example.org"]


@pytest.mark.django_db
def test_an_expired_subscription_is_removed(vapid, push_service):
    patient = PatientFactory(username="gone", profile__reminder_enabled=True, profile__reminder_channel=Channel.PUSH)
    subscribed(patient, push_service)
    push_service.status = 410
    with time_machine.travel(EVENING):
        assert send_due_reminders() == 0
    assert not PushSubscription.objects.exists()


@pytest.mark.django_db
def test_a_push_service_error_keeps_the_subscription(vapid, push_service):
    patient = PatientFactory(username="flaky", profile__reminder_enabled=True, profile__reminder_channel=Channel.PUSH)
    subscribed(patient, push_service)
    push_service.status = 500
    with time_machine.travel(EVENING):
        send_due_reminders()
    assert PushSubscription.objects.count() == 1


@pytest.mark.django_db
def test_without_vapid_keys_nothing_is_pushed(settings, push_service):
    settings.VAPID_PRIVATE_KEY = ""
    patient = PatientFactory(username="nokeys", profile__reminder_enabled=True, profile__reminder_channel=Channel.PUSH)
    subscribed(patient, push_service)
    with time_machine.travel(EVENING):
        assert send_due_reminders() == 0
    assert push_service.received == []


@pytest.mark.django_db
def test_a_new_flag_is_told_by_push_without_health_data(vapid, push_service):
    patient = PatientFactory(username="flagged", profile__email_flags=True, profile__flag_channel=Channel.PUSH)
    browser = subscribed(patient, push_service)
    flag = FlagFactory(patient=patient, date=datetime.date(2026, 11, 20))
    flag_notify(flag)
    flag_notify(flag)  # told once
    (request,) = push_service.received
    assert browser.decrypt(request["body"]) == {
        "title": "CRPS Tracker",
        "body": "Something changed in your diary",
        "url": "/flags/",
        "tag": "flag",
    }
    flag.refresh_from_db()
    assert flag.notified_at is not None
    assert mail.outbox == []
