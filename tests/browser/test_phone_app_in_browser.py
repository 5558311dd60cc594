"""The app on the phone, in Debian's Chromium: installable (manifest and service worker), and a day
logged without a connection that arrives once and intact."""

import json

import pytest

from tests.factories import PatientFactory

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
