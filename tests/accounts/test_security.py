import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import base32_secret, in_fours
from careteam.services import access_grant
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def log_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_setup_page_writes_the_secret_in_groups_of_four(client, clinician):
    log_in(client, clinician.username)
    setup = client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    secret = base32_secret(device)
    groups = "".join(f"<span>{secret[start : start + 4]}</span>" for start in range(0, len(secret), 4))
    assert f'<code class="totp-secret">{groups}</code>' in setup.text
    assert in_fours("ABCDEFGHIJ") == ["ABCD", "EFGH", "IJ"]  # a short last group is kept


def test_a_clinician_must_enrol_a_second_factor_before_seeing_anything(client, clinician, patient):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    log_in(client, clinician.username)
    review = reverse("careteam:patient", kwargs={"patient_id": patient.pk})
    response = client.get(review)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor_setup"))
    setup = client.get(reverse("accounts:two_factor_setup"))
    assert "data:image/svg+xml;base64," in setup.text
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    wrong = client.post(
        reverse("accounts:two_factor_setup"), {"token": "000000" if code(device) != "000000" else "111111"}
    )
    assert "did not match" in wrong.text
    # django-otp slows down retries after a wrong code (1 s, then 2 s, ...): wait it out.
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):
        device.refresh_from_db()
        client.post(reverse("accounts:two_factor_setup") + f"?next={review}", {"token": code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(review).status_code == 200


def test_an_enrolled_user_enters_a_code_at_each_login(client, clinician):
    device = TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    log_in(client, clinician.username)
    response = client.get(reverse("careteam:clinician_home"), {"q": "a b", "start": "2026-01-01"})
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    # The whole address comes back after the code, every parameter of it.
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == ["/care/clinician/?q=a+b&start=2026-01-01"]
    assert "Enter the 6 digits" in client.post(reverse("accounts:two_factor_verify"), {"token": "12ab"}).text
    response = client.post(reverse("accounts:two_factor_verify") + "?next=/care/clinician/", {"token": code(device)})
    assert response["Location"] == "/care/clinician/"
    assert client.get(reverse("careteam:clinician_home")).status_code == 200


@pytest.mark.parametrize("drift", [0, 1], ids=["clock-right", "clock-a-step-out"])
def test_a_code_used_a_moment_ago_is_refused_and_said_so(client, clinician, drift):
    device = TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True, drift=drift)
    with time_machine.travel("2026-11-24 09:00:05Z", tick=False):
        token = code(device)
        log_in(client, clinician.username)
        assert client.post(reverse("accounts:two_factor_verify"), {"token": token}).status_code == 302
        client.post(reverse("logout"))
        log_in(client, clinician.username)  # on a second device, within the same 30 seconds
        again = client.post(reverse("accounts:two_factor_verify"), {"token": token})
    assert "has just been used" in again.text and "did not match" not in again.text
    with time_machine.travel("2026-11-24 09:00:20Z", tick=False):
        wrong = "000000" if token != "000000" else "111111"
        assert "did not match" in client.post(reverse("accounts:two_factor_verify"), {"token": wrong}).text


def test_a_code_sent_while_retries_are_slowed_down_says_how_long_to_wait(client, clinician):
    device = TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    url = reverse("accounts:two_factor_verify")
    with time_machine.travel("2026-11-24 09:00:05Z", tick=False) as clock:
        right = code(device)
        wrong = "000000" if right != "000000" else "111111"
        log_in(client, clinician.username)
        assert "did not match" in client.post(url, {"token": wrong}).text
        # django-otp now refuses every code for 1 s, the right one too: say so, not "did not match".
        refused = client.post(url, {"token": right})
        assert refused.status_code == 200
        assert "Too many wrong codes in a row: wait 1 second, then enter the newest code." in refused.text
        assert "did not match" not in refused.text
        clock.shift(1.5)
        assert "did not match" in client.post(url, {"token": wrong}).text
        clock.shift(0.5)
        assert "wait 2 seconds" in client.post(url, {"token": right}).text
        clock.shift(1.2)
        assert "wait 1 second," in client.post(url, {"token": right}).text  # 0.3 s left, rounded up
        clock.shift(0.5)
        assert client.post(url, {"token": right})["Location"] == reverse("home")


def test_enrolling_says_how_long_to_wait_too(client, patient):
    client.force_login(patient)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=patient)
    device.throttle_increment()
    device.throttle_increment()
    device.throttle_increment()  # three wrong codes: 4 s
    response = client.post(reverse("accounts:two_factor_setup"), {"token": code(device)})
    assert "wait 4 seconds" in response.text
    device.refresh_from_db()
    assert not device.confirmed


def test_seconds_to_wait_follows_django_otps_doubling(clinician):
    from accounts.two_factor import seconds_to_wait, wait_message

    device = TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    with time_machine.travel("2026-11-24 09:00:00Z", tick=False) as clock:
        assert seconds_to_wait(device) == 0
        for _ in range(5):
            device.throttle_increment()
        assert seconds_to_wait(device) == 16
        clock.shift(10.2)
        assert seconds_to_wait(device) == 6
        clock.shift(6)
        assert seconds_to_wait(device) == 0
    assert wait_message(1) == "Too many wrong codes in a row: wait 1 second, then enter the newest code."
    assert wait_message(16).startswith("Too many wrong codes in a row: wait 16 seconds")


def test_the_next_parameter_cannot_send_people_elsewhere(client, clinician):
    device = TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    log_in(client, clinician.username)
    response = client.post(
        reverse("accounts:two_factor_verify") + "?next=https://evil.example/", {"token": code(device)}
    )
    assert response["Location"] == reverse("home")


def test_a_patient_may_opt_in(client, patient):
    client.force_login(patient)
    assert client.get(reverse("symptoms:today")).status_code == 200  # no second factor needed
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=patient)
    client.post(reverse("accounts:two_factor_setup"), {"token": code(device)})
    client.post(reverse("logout"))
    log_in(client, patient.username)
    assert client.get(reverse("symptoms:today"))["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_five_wrong_passwords_lock_the_account(client, patient):
    for _ in range(5):
        log_in(client, patient.username, "wrong-password")
    response = log_in(client, patient.username)  # even the right password, for an hour
    assert response.status_code in (403, 429)
    assert "locked for an hour" in response.text
    assert client.get(reverse("symptoms:today")).status_code == 302


def test_sessions_end_after_inactivity_sooner_for_clinicians(client, patient, clinician, settings):
    from tests.conftest import login_with_second_factor

    client.force_login(patient)
    client.get(reverse("symptoms:today"))
    assert client.session.get_expiry_age() == settings.PATIENT_SESSION_SECONDS
    login_with_second_factor(client, clinician)
    client.get(reverse("careteam:clinician_home"))
    assert client.session.get_expiry_age() == settings.CLINICIAN_SESSION_SECONDS == 30 * 60


def test_a_session_is_moved_on_at_most_once_a_minute(client, patient):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(patient)  # the end moved on at login
        client.get(reverse("symptoms:today"))
        key = client.session.session_key
        first = Session.objects.get(pk=key).expire_date
        traveller.shift(30)
        client.get(reverse("symptoms:today"))
        assert Session.objects.get(pk=key).expire_date == first  # not written again within the minute
        traveller.shift(31)
        client.get(reverse("symptoms:today"))
        assert Session.objects.get(pk=key).expire_date - first == datetime.timedelta(seconds=61)


def test_the_session_key_changes_when_the_second_factor_is_passed(client, clinician):
    device = TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    log_in(client, clinician.username)
    before = client.session.session_key
    client.post(reverse("accounts:two_factor_verify"), {"token": code(device)})
    assert client.session.session_key != before
    assert client.get(reverse("careteam:clinician_home")).status_code == 200  # still logged in, and verified
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=before).exists()  # the old key opens nothing


def test_wrong_passwords_on_the_deletion_form_lock_the_account(client, patient):
    client.force_login(patient)
    for _ in range(5):
        wrong = client.post(reverse("accounts:delete"), {"password": "guess", "confirm": "DELETE"})
    assert "locked for an hour" in wrong.text
    right = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "DELETE"})
    assert right.status_code in (403, 429) and "locked for an hour" in right.text
    patient.refresh_from_db()  # still there
    client.logout()
    assert "locked for an hour" in log_in(client, patient.username).text


def test_wrong_passwords_on_the_password_change_form_lock_the_account(client, patient):
    client.force_login(patient)
    new = {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"}
    for _ in range(5):
        client.post(reverse("accounts:password_change"), {"old_password": "guess", **new})
    right = client.post(reverse("accounts:password_change"), {"old_password": PASSWORD, **new})
    assert right.status_code in (403, 429) and "locked for an hour" in right.text
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)  # unchanged


def test_the_password_change_form_still_works_with_the_right_password(client, patient):
    client.force_login(patient)
    new = "another-long-passphrase"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == "/accounts/password/done/"
    patient.refresh_from_db()
    assert patient.check_password(new)


def test_deleting_the_account_removes_its_login_records_and_every_session(client, patient, other_patient):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.models import Session
    from django.test import Client

    phone = Client()
    log_in(phone, patient.username)  # a session on another device, and an access log row
    log_in(Client(), other_patient.username)
    assert AccessLog.objects.filter(username=patient.username).exists()
    log_in(client, patient.username)
    seen = {"username": patient.username, "ip_address": "127.0.0.1", "user_agent": "x"}
    AccessAttempt.objects.create(**seen, failures_since_start=1)  # a wrong guess since (a success clears them)
    AccessFailureLog.objects.create(**seen)  # kept when AXES_ENABLE_ACCESS_FAILURE_LOG is on
    sessions_before = Session.objects.count()
    client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "DELETE"})
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert not model.objects.filter(username=patient.username).exists(), model
    assert AccessLog.objects.filter(username=other_patient.username).exists()  # others' records stay
    assert Session.objects.count() == sessions_before - 2  # this device's and the phone's; the other user's stays
    assert phone.get(reverse("symptoms:today")).status_code == 302
