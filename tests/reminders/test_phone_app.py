"""The files a phone needs to install the app: the manifest, the service worker and the offline page."""

import json

from tests.factories import PatientFactory


def test_the_manifest_opens_the_app_at_todays_log(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert (body["start_url"], body["display"], body["scope"]) == ("/diary/today/", "standalone", "/")
    assert [icon["sizes"] for icon in body["icons"]] == ["192x192", "512x512", "512x512"]
    assert body["icons"][-1]["purpose"] == "maskable"


def test_the_worker_is_the_static_file_served_from_the_root(client, db, settings):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"  # a new version is picked up on the next visit
    assert b'importScripts("/static/js/outbox.js")' in response.content
    policy = response["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_every_page_links_the_manifest_and_registers_the_worker_from_a_file(client, db):
    patient = PatientFactory(username="phone")
    client.force_login(patient)
    page = client.get("/diary/today/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'data-worker="/sw.js"' in page and f'data-patient="{patient.pk}"' in page
    assert "<script>" not in page  # no inline script: the strict CSP stays


def test_a_visitor_is_not_named_to_the_worker(client, db):
    page = client.get("/login/").content.decode()
    assert 'data-worker="/sw.js"' in page and "data-patient" not in page


def test_the_offline_page_holds_no_health_data(client, db):
    patient = PatientFactory(username="offline")
    client.force_login(patient)
    response = client.get("/offline/")
    assert response.status_code == 200
    assert b"No connection" in response.content and b"Log today" in response.content
