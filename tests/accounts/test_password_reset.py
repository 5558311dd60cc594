"""A forgotten password: a one-use link by e-mail, no hint of which addresses have accounts, no inbox flooding."""

import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import RESET_EMAILS_PER_HOUR
from accounts.models import EmailSent
from tests.factories import ClinicianFactory, PatientFactory

RESET = reverse("accounts:password_reset")
NEW = "a-brand-new-Passphrase-7"


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)


def test_a_patient_chooses_a_new_password_from_the_e_mailed_link(client, db, password):
    patient = PatientFactory(username="carol", email="Carol@Example.org")
    login_page = client.get(reverse("login")).text
    assert f'href="{RESET}"' in login_page

    response = client.post(RESET, {"email": "carol@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_sent")
    (message,) = mail.outbox
    assert message.to == ["Carol@Example.org"] and "carol" in message.body

    form = client.get(link_in(message), follow=True)
    assert "Choose a new password" in form.text
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert "Your new password is set" in done.text

    patient.refresh_from_db()
    assert patient.check_password(NEW) and not patient.check_password(password)
    logged_in = client.post(reverse("login"), {"username": "carol", "password": NEW}, follow=True)
    assert logged_in.redirect_chain[-1][0] == reverse("dashboard:patient")


def test_the_link_works_once(client, db):
    PatientFactory(username="carol", email="carol@example.org")
    client.post(RESET, {"email": "carol@example.org"})
    link = link_in(mail.outbox[0])
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    again = client.get(link, follow=True)
    assert "This link no longer works" in again.text
    assert "new_password1" not in again.text


def test_an_unknown_address_looks_the_same_and_sends_nothing(client, db):
    PatientFactory(username="carol", email="carol@example.org")
    response = client.post(RESET, {"email": "nobody@example.org"}, follow=True)
    assert "If that address belongs to an account" in response.text
    assert mail.outbox == []


def test_one_address_gets_at_most_three_e_mails_an_hour(client, db):
    PatientFactory(username="carol", email="carol@example.org")
    for _ in range(RESET_EMAILS_PER_HOUR + 2):
        response = client.post(RESET, {"email": " CAROL@example.org"})
        assert response["Location"] == reverse("accounts:password_reset_sent")
    assert len(mail.outbox) == RESET_EMAILS_PER_HOUR
    PatientFactory(username="dave", email="dave@example.org")
    client.post(RESET, {"email": "dave@example.org"})
    assert mail.outbox[-1].to == ["dave@example.org"]  # another address is not held up


def test_a_clinician_still_needs_the_second_factor_after_a_reset(client, db):
    clinician = ClinicianFactory(username="dr-reset", email="dr@example.org")
    TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    client.post(RESET, {"email": "dr@example.org"})
    form = client.get(link_in(mail.outbox[0]), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    response = client.post(reverse("login"), {"username": "dr-reset", "password": NEW}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_verify"))


@pytest.mark.parametrize(
    "who",
    [
        {"is_staff": True},  # clinic staff: the admin opens every diary, and has no second factor
        {"is_superuser": True},
        {"email_confirmed": False},  # an address nobody confirmed may be a stranger's
    ],
)
def test_no_link_for_staff_or_unconfirmed_addresses(client, db, who):
    PatientFactory(username="carol", email="carol@example.org", **who)
    response = client.post(RESET, {"email": "carol@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_sent")
    assert mail.outbox == []


def test_no_link_for_a_clinician_without_a_second_factor_yet(client, db):
    ClinicianFactory(username="dr-new", email="new@clinic.example")  # whoever holds the inbox could enrol
    client.post(RESET, {"email": "new@clinic.example"})
    assert mail.outbox == []


def test_the_hour_is_counted_in_the_database_and_passes(client, db):
    PatientFactory(username="carol", email="carol@example.org")
    with time_machine.travel("2026-11-24 09:00Z", tick=False):
        for _ in range(RESET_EMAILS_PER_HOUR + 1):
            client.post(RESET, {"email": "carol@example.org"})
    assert len(mail.outbox) == RESET_EMAILS_PER_HOUR
    assert EmailSent.objects.count() == RESET_EMAILS_PER_HOUR
    with time_machine.travel("2026-11-24 10:01Z", tick=False):
        client.post(RESET, {"email": "carol@example.org"})
    assert len(mail.outbox) == RESET_EMAILS_PER_HOUR + 1
    assert EmailSent.objects.count() == 1  # the old hour's rows are gone


def test_a_new_password_from_the_link_lifts_a_lockout(client, db, password):
    PatientFactory(username="carol", email="carol@example.org")
    for _ in range(5):
        client.post(reverse("login"), {"username": "carol", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "carol", "password": password})
    assert "Too many attempts" in locked.text
    client.post(RESET, {"email": "carol@example.org"})
    form = client.get(link_in(mail.outbox[0]), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    response = client.post(reverse("login"), {"username": "carol", "password": NEW}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard:patient")
