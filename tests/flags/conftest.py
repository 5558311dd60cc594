import datetime

import pytest

from tests.conftest import TODAY
from tests.factories import DiaryEntryFactory, PatientFactory


@pytest.fixture(autouse=True)
def _broker_breaker_closed():
    """Each test meets the broker afresh: a failed publish in one test must not skip the next one's."""
    from flags.scheduling import reset_breaker

    reset_breaker()
    yield
    reset_breaker()


def forget_broker_connections():
    """Celery opens its broker connections once; a test that points it at another broker drops them."""
    from crps_tracker.celery import app
    from flags.scheduling import reset_breaker

    app.close()
    app._pool = None
    app.amqp._producer_pool = None
    reset_breaker()


def make_worsening(patient, *, measure="pain", onset_days_ago=20, before=3, after=7, days=160):
    """A calm diary that worsens `onset_days_ago` days before TODAY (bulk, no evaluation queued)."""
    from symptoms.models import DiaryEntry

    entries = []
    for days_ago in range(days, -1, -1):
        day = TODAY - datetime.timedelta(days=days_ago)
        level = after if days_ago < onset_days_ago else before + (days_ago % 3 == 0)
        entries.append(DiaryEntryFactory.build(patient=patient, date=day, **{measure: level}))
    DiaryEntry.objects.bulk_create(entries)


@pytest.fixture
def worsening_patient(db):
    patient = PatientFactory(username="worse", email="worse@example.org")
    make_worsening(patient)
    return patient
