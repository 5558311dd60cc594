"""Push reminders in Debian's Chromium: the profile's switch, and a reminder that arrives at the test's
own push endpoint, is shown by the service worker, and opens today's log when tapped."""

import datetime

import pytest

from accounts.models import PatientProfile
from reminders.models import PushSubscription
from reminders.push import new_vapid_keys
from reminders.reminders import send_due_reminders
from tests.factories import PatientFactory
from tests.reminders.push_endpoint import Browser, PushService

pytestmark = pytest.mark.browser


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()


@pytest.fixture
def vapid(settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = new_vapid_keys()
    return settings


def test_the_profile_offers_notifications_in_one_tap(session, vapid):
    PatientFactory(username="chooser", profile__reminder_enabled=True)
    session.log_in("chooser")
    session.goto("/accounts/profile/")
    page = session.page
    button = page.get_by_role("button", name="Turn on notifications on this phone")
    button.wait_for()
    assert page.get_by_label("Send it").locator("option").all_inner_texts() == [
        "By e-mail",
        "As a notification on my phone",
        "Both",
    ]
    session.axe("profile with notifications")
    session.screenshot("push-01-profile")
    if session.label == "phone":
        session.assert_big_enough_to_tap(".push-actions .btn:not([hidden])", 1)


def test_a_push_reminder_arrives_and_opens_todays_log(phone, vapid, push_service):
    patient = PatientFactory(
        username="reminded",
        profile__reminder_enabled=True,
        profile__reminder_channel=PatientProfile.Channel.PUSH,
        profile__reminder_time=datetime.time(0, 0),  # due whenever the test runs
    )
    browser = Browser()  # the keys the phone's browser would hold for its subscription
    PushSubscription.objects.create(
        patient=patient, endpoint=push_service.endpoint("phone"), p256dh=browser.p256dh, auth=browser.auth
    )
    phone.context.grant_permissions(["notifications"], origin=phone.base)
    phone.log_in("reminded")
    phone.goto("/accounts/profile/")
    page = phone.page
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    assert send_due_reminders() == 1
    (request,) = push_service.received
    notice = browser.decrypt(request["body"])
    assert notice["body"] == "Time to log today"

    # What the phone's push service would hand the worker: shown as a notification...
    (worker,) = phone.context.service_workers
    worker.evaluate("notice => self.showNotice(notice)", notice)
    shown = worker.evaluate(
        "self.registration.getNotifications()"
        ".then(ns => ns.map(n => ({title: n.title, body: n.body, url: n.data.url})))"
    )
    assert shown == [{"title": "CRPS Tracker", "body": "Time to log today", "url": "/diary/today/"}]
    # ... and its tap opens today's log.
    worker.evaluate("url => self.openTarget(url)", shown[0]["url"])
    page.wait_for_url("**/diary/today/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Today")


def test_a_notice_can_open_only_the_apps_own_pages(phone):
    PatientFactory(username="safe")
    phone.log_in("safe")
    phone.goto("/dashboard/")
    page = phone.page
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    (worker,) = phone.context.service_workers
    worker.evaluate("url => self.openTarget(url)", "https://elsewhere.example/phish")
    page.wait_for_url("**/diary/today/")
