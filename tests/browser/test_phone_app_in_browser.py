"""The app on the phone, in Debian's Chromium: installable (manifest and service worker), and a day
logged without a connection that arrives once and intact."""

import datetime
import json

import pytest
from django.utils import timezone

from accounts.selectors import local_today
from symptoms.models import DiaryEntry
from tests.factories import DiaryEntryFactory, PatientFactory

pytestmark = pytest.mark.browser


def worker_registration(page) -> dict:
    return page.evaluate(
        "async () => { const r = await navigator.serviceWorker.ready;"
        " return {scope: r.scope, script: r.active && r.active.scriptURL, state: r.active && r.active.state}; }"
    )


def wait_until_controlled(page):
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_the_app_is_installable_with_its_manifest_and_worker(session):
    PatientFactory(username="installer")
    session.log_in("installer")
    session.goto("/diary/today/")
    page = session.page
    cdp = session.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == session.base + "/manifest.webmanifest"
    assert manifest["errors"] == [], manifest["errors"]
    body = json.loads(manifest["data"])
    assert body["name"] == "CRPS Tracker"
    assert body["start_url"] == "/diary/today/"
    assert body["display"] == "standalone"
    assert body["theme_color"] == "#1f5f8b"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in body["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in body["icons"]:  # each icon is there, a PNG of its size
        response = session.context.request.get(session.base + icon["src"])
        assert response.ok and response.headers["content-type"] == "image/png", icon
        width = int.from_bytes(response.body()[16:20], "big")
        assert f"{width}x{width}" == icon["sizes"], icon

    registration = worker_registration(page)
    assert registration == {"scope": session.base + "/", "script": session.base + "/sw.js", "state": "activated"}
    # Chromium's own verdict: nothing stops the install but the test's browser context itself, which
    # Playwright makes an incognito one (where no app is ever installed).
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in errors] == ["in-incognito"], errors
    session.screenshot("phone-01-installable-today")


def kept_offline(page) -> bool:
    """Whether the worker keeps today's log for offline use yet."""
    return page.evaluate("async () => !!(await caches.open('crps-today-v1').then(c => c.match('/diary/today/')))")


def wait_until(page, condition: str):
    """Wait until the async JavaScript `condition` (an expression) is true, at most 10 s."""
    met = page.evaluate(
        f"async () => {{ for (let i = 0; i < 200; i++) {{ if (await ({condition})) return true;"
        " await new Promise(r => setTimeout(r, 50)); } return false; }"
    )
    assert met, condition


def open_today_ready_for_offline(session):
    session.goto("/diary/today/")
    wait_until_controlled(session.page)
    wait_until(session.page, "caches.open('crps-today-v1').then(c => c.match('/diary/today/'))")


def assert_nothing_of_the_diary_kept(page):
    """What the worker keeps after logout: at most the static files of the login page (no health data)."""
    kept = page.evaluate(
        "async () => { const urls = []; for (const name of await caches.keys()) {"
        " const cache = await caches.open(name); for (const r of await cache.keys()) urls.push(name + ' ' + r.url); }"
        " return urls; }"
    )
    assert all(" " in url and "/static/" in url and "crps-shell" in url for url in kept), kept


def tap(page, label, value):
    measure = page.locator("[data-scale]", has=page.get_by_label(label, exact=True))
    measure.get_by_role("button", name=value, exact=True, include_hidden=True).click()


def outbox_entries(page) -> list:
    return page.evaluate("DiaryOutbox.all()")


def test_a_day_logged_offline_arrives_once_and_intact(session):
    patient = PatientFactory(username="offline")
    session.log_in("offline")
    open_today_ready_for_offline(session)
    page = session.page
    session.context.set_offline(True)
    page.reload()  # no connection: the worker's copy of today's log
    assert page.get_by_role("heading", level=1).inner_text().startswith("Today")
    assert page.locator(".pick-day").is_hidden()  # another day needs the server
    for label, value in (("Pain", "6"), ("Spasms", "3"), ("Mood", "4")):
        tap(page, label, value)
    page.get_by_label("Notes").fill("No signal on the bus")
    page.get_by_role("button", name="Save today").click()
    state = page.locator("#outbox-state")
    state.get_by_text("Saved on this phone").wait_for()
    assert "it will be sent when you are online" in state.inner_text()
    session.axe("today, saved on the phone")
    session.screenshot("phone-02-saved-offline")
    assert not DiaryEntry.objects.filter(patient=patient).exists()

    page.reload()  # still offline: the entry is still there, and says so
    state.get_by_text("Saved on this phone").wait_for()
    assert page.get_by_label("Pain", exact=True).input_value() == "6"
    assert page.get_by_label("Notes").input_value() == "No signal on the bus"

    session.context.set_offline(False)  # the page sends it as the connection returns
    page.locator("#phone-status .alert-success").wait_for()
    assert "Saved your entry" in page.locator("#phone-status").inner_text()
    state.get_by_role("link", name="Show the day as it is saved now").wait_for()
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.date == local_today(patient)
    assert (entry.pain, entry.spasms, entry.swelling, entry.mood) == (6, 3, None, 4)
    assert entry.notes == "No signal on the bus"
    assert outbox_entries(page) == []
    page.reload()
    page.reload()
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    session.screenshot("phone-03-sent")


def test_the_same_day_logged_offline_on_two_pages_is_saved_once_as_last_saved(phone):
    patient = PatientFactory(username="twopages")
    phone.log_in("twopages")
    open_today_ready_for_offline(phone)
    first = phone.page
    second = phone.context.new_page()
    second.goto(phone.base + "/diary/today/")
    wait_until_controlled(second)
    phone.context.set_offline(True)
    tap(first, "Pain", "3")
    first.get_by_role("button", name="Save today").click()
    first.locator("#outbox-state").get_by_text("Saved on this phone").wait_for()
    tap(second, "Pain", "8")
    second.get_by_label("Notes").fill("Later, on the other page")
    second.get_by_role("button", name="Save today").click()
    second.locator("#outbox-state").get_by_text("Saved on this phone").wait_for()
    (kept,) = outbox_entries(first)  # one entry a day on the phone too: the later save
    assert ["pain", "8"] in kept["fields"] and ["notes", "Later, on the other page"] in kept["fields"]

    phone.context.set_offline(False)  # both pages are told; one of them sends, once
    wait_until(first, "DiaryOutbox.all().then(all => all.length === 0)")
    first.reload()
    second.reload()
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.pain, entry.notes) == (8, "Later, on the other page")
    assert outbox_entries(second) == []
    second.close()


def test_a_newer_change_made_elsewhere_wins_and_the_patient_is_told(phone):
    patient = PatientFactory(username="elsewhere")
    phone.log_in("elsewhere")
    open_today_ready_for_offline(phone)
    page = phone.page
    phone.context.set_offline(True)
    page.reload()
    tap(page, "Pain", "5")
    page.get_by_role("button", name="Save today").click()
    page.locator("#outbox-state").get_by_text("Saved on this phone").wait_for()
    # The phone's save was on the bus ten minutes ago; since then, on the computer at home, the same
    # day was logged.
    page.evaluate("DiaryOutbox.all().then(([r]) => { r.savedAt -= 10 * 60 * 1000; return DiaryOutbox.save(r); })")
    DiaryEntryFactory(patient=patient, date=local_today(patient), pain=2, notes="From the computer")

    phone.context.set_offline(False)
    warning = page.locator("#phone-status .alert-warning")
    warning.wait_for()
    assert "was changed elsewhere later" in warning.inner_text()
    assert "that newer entry is kept" in warning.inner_text()
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.pain, entry.notes) == (2, "From the computer")
    assert outbox_entries(page) == []
    phone.axe("today, a newer change kept")
    phone.screenshot("phone-04-newer-kept")
    page.get_by_role("link", name="Show the day as it is saved now").click()
    page.wait_for_load_state()
    assert page.get_by_label("Pain", exact=True).input_value() == "2"


def test_the_phones_save_wins_over_an_older_change_and_says_so(phone):
    patient = PatientFactory(username="older")
    phone.log_in("older")
    open_today_ready_for_offline(phone)  # the form shows no entry yet
    page = phone.page
    DiaryEntryFactory(patient=patient, date=local_today(patient), pain=2)  # logged elsewhere, ten minutes ago
    DiaryEntry.objects.filter(patient=patient).update(updated_at=timezone.now() - datetime.timedelta(minutes=10))
    phone.context.set_offline(True)
    tap(page, "Pain", "7")
    page.get_by_role("button", name="Save today").click()
    page.locator("#outbox-state").get_by_text("Saved on this phone").wait_for()
    phone.context.set_offline(False)
    notice = page.locator("#phone-status .alert-success")
    notice.wait_for()
    assert "yours is newer and is the one kept" in notice.inner_text()
    assert DiaryEntry.objects.get(patient=patient).pain == 7


def test_a_stale_token_never_drops_an_entry(phone):
    patient = PatientFactory(username="stale")
    phone.log_in("stale")
    open_today_ready_for_offline(phone)
    page = phone.page
    phone.context.set_offline(True)
    page.reload()  # a kept page: its CSRF token is the one of when it was kept
    # Meanwhile the token changes (a login elsewhere rotates it).
    page.evaluate("document.querySelector('[name=csrfmiddlewaretoken]').value = 'out-of-date'")
    phone.context.set_offline(False)
    tap(page, "Pain", "4")
    page.get_by_role("button", name="Save today").click()  # back online, but the page is the kept one
    page.wait_for_url("**/diary/#day-*")
    assert "Saved your entry" in page.get_by_role("status").first.inner_text()
    assert DiaryEntry.objects.get(patient=patient).pain == 4


def test_logging_out_sends_what_waits_or_asks_before_deleting_it(phone):
    patient = PatientFactory(username="leaving")
    phone.log_in("leaving")
    open_today_ready_for_offline(phone)
    page = phone.page
    phone.context.set_offline(True)
    tap(page, "Pain", "6")
    page.get_by_role("button", name="Save today").click()
    page.locator("#outbox-state").get_by_text("Saved on this phone").wait_for()

    # Offline, the entry cannot be sent: the patient is asked, and says no.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    with page.expect_event("dialog"):
        page.get_by_role("button", name="Log out").click()
    assert asked and "only on this phone" in asked[0]
    assert len(outbox_entries(page)) == 1
    assert "/diary/today/" in page.url

    # Online, logging out sends it first, then empties the phone.
    page.evaluate("window.removeEventListener('online', DiaryPhone.sendWaiting)")
    phone.context.set_offline(False)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/")
    assert DiaryEntry.objects.get(patient=patient).pain == 6
    assert outbox_entries(page) == []
    assert_nothing_of_the_diary_kept(page)


def test_logging_out_offline_and_agreeing_leaves_nothing_on_the_phone(phone):
    PatientFactory(username="agrees")
    phone.log_in("agrees")
    open_today_ready_for_offline(phone)
    page = phone.page
    phone.context.set_offline(True)
    tap(page, "Pain", "6")
    page.get_by_role("button", name="Save today").click()
    page.locator("#outbox-state").get_by_text("Saved on this phone").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Log out").click()
    page.get_by_text("Nothing of your diary is kept on this phone any more").wait_for()
    assert outbox_entries(page) == []
    assert page.evaluate("caches.keys()") == []
    phone.screenshot("phone-05-logged-out-offline")


def test_a_save_that_does_not_get_through_on_a_weak_signal_is_kept_and_sent_later(phone):
    """The phone says it is online, but the post never reaches the server: the worker keeps the entry."""
    patient = PatientFactory(username="weak")
    phone.log_in("weak")
    open_today_ready_for_offline(phone)
    page = phone.page
    lost = []

    def drop_posts(route):
        if route.request.method == "POST":
            lost.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    phone.context.route("**/diary/**", drop_posts)  # the form's post, and the outbox's sends
    tap(page, "Pain", "7")
    page.get_by_role("button", name="Save today").click()
    page.wait_for_url("**/diary/today/")
    page.locator("#outbox-state").get_by_text("Saved on this phone").wait_for()
    assert lost and not DiaryEntry.objects.filter(patient=patient).exists()
    assert page.get_by_label("Pain", exact=True).input_value() == "7"
    phone.screenshot("phone-06-weak-signal-kept")

    phone.context.unroute("**/diary/**")
    page.reload()  # the next page sends it
    # (the page sends it, or the worker's background sync does, whichever comes first: once)
    wait_until(page, "DiaryOutbox.all().then(all => all.length === 0)")
    assert DiaryEntry.objects.get(patient=patient).pain == 7
    # The posts this test dropped are the only errors the page may have seen (whether the console reports
    # a post the service worker made depends on which of the two sent it first; the session's end checks
    # that nothing else was logged).
    phone.console_errors[:] = [e for e in phone.console_errors if "ERR_INTERNET_DISCONNECTED" not in e]
