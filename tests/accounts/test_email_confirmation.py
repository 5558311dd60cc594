"""An address gets nothing but a confirmation link until its owner opens that link."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.services import CONFIRMATION_EMAILS_PER_HOUR
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
PROFILE = reverse("accounts:profile")


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/email/confirm/\S+/)", message.body).group(1)


def sign_up(client, email="carol@example.org"):
    return client.post(
        reverse("accounts:sign_up"),
        {
            "username": "carol",
            "email": email,
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
            "time_zone": "Europe/London",
        },
        follow=True,
    )


def test_sign_up_sends_a_link_and_the_address_counts_once_confirmed(client):
    page = sign_up(client)
    assert "We sent a link to carol@example.org" in page.text
    user = User.objects.get(username="carol")
    assert (user.email, user.email_confirmed) == ("carol@example.org", False)
    (message,) = mail.outbox
    assert message.to == ["carol@example.org"] and "carol's account" in message.body
    assert "Not confirmed yet" in client.get(PROFILE).text
    client.post(reverse("accounts:password_reset"), {"email": "carol@example.org"})
    assert len(mail.outbox) == 1  # no reset link to an unconfirmed address

    link = confirmation_link(message)
    assert "Confirm my address" in client.get(link).text
    user.refresh_from_db()
    assert not user.email_confirmed  # opening the link (as a mail scanner would) confirms nothing
    done = client.post(link, follow=True)
    assert "Thank you: carol@example.org is confirmed." in done.text
    user.refresh_from_db()
    assert user.email_confirmed
    assert "Not confirmed yet" not in client.get(PROFILE).text


def test_a_changed_address_needs_confirming_again_and_the_old_link_dies(client, password):
    patient = PatientFactory(username="dan", email="dan@example.org")
    client.force_login(patient)
    client.post(reverse("accounts:email_change"), {"email": "typo@exmaple.org", "password": password})
    patient.refresh_from_db()
    assert (patient.email, patient.email_confirmed) == ("typo@exmaple.org", False)
    first = confirmation_link(mail.outbox[-1])
    client.post(reverse("accounts:email_change"), {"email": "dan@example.com", "password": password})
    assert client.post(first).status_code == 400  # the typo's link no longer confirms anything
    patient.refresh_from_db()
    assert not patient.email_confirmed
    assert client.post(confirmation_link(mail.outbox[-1])).status_code == 302
    patient.refresh_from_db()
    assert (patient.email, patient.email_confirmed) == ("dan@example.com", True)


def test_a_forged_or_garbled_link_confirms_nothing(client):
    page = client.post(reverse("accounts:email_confirm", kwargs={"token": "not-a-token"}))
    assert page.status_code == 400 and "This link no longer works" in page.text


def test_the_link_can_be_sent_again_a_few_times_an_hour(client):
    sign_up(client)
    for _ in range(CONFIRMATION_EMAILS_PER_HOUR + 1):
        client.post(reverse("accounts:email_confirmation_resend"))
    assert len(mail.outbox) == CONFIRMATION_EMAILS_PER_HOUR
    page = client.post(reverse("accounts:email_confirmation_resend"), follow=True)
    assert "Several links were sent in the last hour" in page.text


def test_the_current_password_check_counts_towards_the_lockout(client, password):
    patient = PatientFactory(username="erin", email="erin@example.org")
    client.force_login(patient)
    for _ in range(5):
        client.post(reverse("accounts:email_change"), {"email": "x@example.org", "password": "guess"})
    client.logout()
    locked = client.post(reverse("login"), {"username": "erin", "password": password})
    assert "Too many attempts" in locked.text
