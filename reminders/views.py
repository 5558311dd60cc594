import functools

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

THEME_COLOUR = "#1f5f8b"  # the icon's blue (static/img/favicon.svg)
WORKER_SOURCE = "js/sw.js"


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: what the phone needs to install the app and open it at today's log.

    Built here rather than kept as a static file, so that the icons' addresses are the hashed ones
    the static storage serves in production.
    """
    body = {
        "id": "/",
        "name": "CRPS Tracker",
        "short_name": "CRPS diary",
        "description": "Your daily CRPS diary: log today in a tap, also without a connection.",
        "start_url": reverse("symptoms:today"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("img/icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("img/icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("img/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
        "shortcuts": [{"name": "Log today", "url": reverse("symptoms:today")}],
    }
    response = JsonResponse(body, content_type="application/manifest+json", json_dumps_params={"indent": 1})
    response["Cache-Control"] = "no-cache"
    return response


@functools.cache
def _worker_source() -> bytes:
    path = finders.find(WORKER_SOURCE)
    with open(path, "rb") as source:
        return source.read()


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, a static file (static/js/sw.js) served from the root so that its scope
    covers the whole app. The browser checks it for a new version on every visit (no-cache)."""
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the worker shows for a page it cannot fetch without a connection: no health data, so it
    is kept on the phone for anyone."""
    response = render(request, "reminders/offline.html", {"offline_page": True})
    # Kept by the worker, not by the browser's HTTP cache.
    response["Cache-Control"] = "no-store, private"
    return response
