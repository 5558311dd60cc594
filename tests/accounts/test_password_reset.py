"""A forgotten password: a one-use link by e-mail, no hint of which addresses have accounts, no inbox flooding."""

import json
import logging
import os
import re
import smtplib
import uuid

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from redis import Redis

from accounts.forms import RESET_EMAILS_PER_HOUR
from accounts.models import EmailSent
from accounts.tasks import send_password_reset
from crps_tracker.celery import app as celery_app
from tests.conftest import needs
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


REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL")


@pytest.fixture
def unconsumed_queue():
    """Tasks go to the real Redis broker, on a queue of this test's own that no worker reads."""
    needs(bool(REDIS_URL), "needs a Redis broker (REDIS_URL)")
    queue = f"crps-test-{uuid.uuid4().hex[:8]}"
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url", "task_default_queue")}
    celery_app.conf.update(task_always_eager=False, broker_url=REDIS_URL, task_default_queue=queue)
    _reset_connections()
    redis = Redis.from_url(REDIS_URL)
    yield lambda: [json.loads(m)["headers"] for m in redis.lrange(queue, 0, -1)]
    redis.delete(queue)
    celery_app.conf.update(saved)
    _reset_connections()


def test_every_address_gets_the_same_work_in_the_request_and_the_link_comes_from_a_task(
    client, db, unconsumed_queue, django_assert_num_queries
):
    """So the page's timing does not tell which addresses have accounts."""
    PatientFactory(username="carol", email="carol@example.org")
    for address in ("carol@example.org", "nobody@example.org"):
        with django_assert_num_queries(3):  # the hourly limit: clear old rows, count, record this one
            response = client.post(RESET, {"email": address})
        assert response["Location"] == reverse("accounts:password_reset_sent")
    assert mail.outbox == []  # nothing was sent during either request
    queued = unconsumed_queue()
    assert [h["task"] for h in queued] == ["accounts.tasks.send_password_reset"] * 2
    assert sorted(h["argsrepr"] for h in queued) == ["('carol@example.org',)", "('nobody@example.org',)"]

    assert send_password_reset.run("nobody@example.org") == 0
    assert send_password_reset.run("carol@example.org") == 1  # what the worker does
    form = client.get(link_in(mail.outbox[0]), follow=True)
    assert "Choose a new password" in form.text


def test_with_the_broker_down_the_link_is_sent_during_the_request(client, db, caplog):
    PatientFactory(username="carol", email="carol@example.org")
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:6399/0")  # nothing listens
    _reset_connections()
    try:
        with caplog.at_level(logging.ERROR, logger="accounts.services"):
            response = client.post(RESET, {"email": "carol@example.org"})
    finally:
        celery_app.conf.update(saved)
        _reset_connections()
    assert response["Location"] == reverse("accounts:password_reset_sent")
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]
    assert "Could not queue a password reset e-mail" in caplog.text


def _reset_connections():
    """Forget pooled broker connections, so the next send uses the broker configured now."""
    celery_app.close()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("the relay hung up")


@pytest.mark.parametrize("broker", ["none (tasks run in the web process)", "down"])
def test_a_mail_relay_failure_answers_as_an_unknown_address_does(client, db, settings, caplog, broker):
    """A 500 for known addresses only would tell which addresses have accounts."""
    settings.MAILERS = {"default": {"BACKEND": "tests.accounts.test_password_reset.FailingEmailBackend"}}
    PatientFactory(username="carol", email="carol@example.org")
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url")}
    if broker == "down":
        celery_app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:6399/0")  # nothing listens
        _reset_connections()
    try:
        with caplog.at_level(logging.ERROR, logger="accounts.services"):
            known = client.post(RESET, {"email": "carol@example.org"})
            unknown = client.post(RESET, {"email": "nobody@example.org"})
    finally:
        celery_app.conf.update(saved)
        _reset_connections()
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_sent")
    assert "Could not send a password reset e-mail" in caplog.text
