import pytest

from reminders.push import new_vapid_keys

from .push_endpoint import PushService


@pytest.fixture
def vapid(settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = new_vapid_keys()
    settings.VAPID_SUBJECT = "mailto:clinic@example.org"
    return settings


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()
