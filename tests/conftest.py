import datetime
import os
import zoneinfo

import pytest
import time_machine

from .factories import PASSWORD, ClinicianFactory, PatientFactory

# In CI (CRPS_REQUIRE_SERVICES=1) a test that cannot reach PostgreSQL, Redis or the
# browser fails instead of skipping, so a green run means they were really used.
REQUIRE_SERVICES = os.environ.get("CRPS_REQUIRE_SERVICES") == "1"

# "Now" for tests that pin the clock: Tuesday 24 November 2026, 12:00 in London.
NOW = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
TODAY = NOW.date()


def needs(condition: bool, reason: str) -> None:
    """Skip (locally) or fail (in CI) when a service the test needs is missing."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (CRPS_REQUIRE_SERVICES=1 turns this skip into a failure)")
    pytest.skip(reason)


def run_at_once(target, arguments: list[tuple]) -> list[Exception]:
    """Call `target` in one thread per argument tuple, all released together; the errors raised."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(arguments))
    errors = []

    def run(*args):
        try:
            barrier.wait(timeout=10)
            target(*args)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def uses_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test starts with no rendered fragments (a patient's id may be used again on SQLite)."""
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture
def frozen_now():
    """Pin the clock to NOW (ticking, so timestamps still advance)."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def patient(db):
    return PatientFactory(username="alice")


@pytest.fixture
def other_patient(db):
    return PatientFactory(username="bob")


@pytest.fixture
def clinician(db):
    return ClinicianFactory(username="dr-who")


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


@pytest.fixture
def password():
    return PASSWORD


def login_with_second_factor(client, user):
    """Log in as someone who has passed two-factor authentication (clinicians must)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
