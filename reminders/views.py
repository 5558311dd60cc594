import functools

from django import forms
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.access import patient_required
from accounts.models import User

from . import services

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
    if not isinstance(path, str):
        raise FileNotFoundError(f"The service worker's source {WORKER_SOURCE} is not among the static files.")
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


class SubscriptionForm(forms.Form):
    """A browser's push subscription, as PushSubscription.toJSON() gives it."""

    endpoint = forms.URLField(max_length=2000)
    p256dh = forms.RegexField(regex=r"^[A-Za-z0-9_-]{80,100}={0,2}$", max_length=200)
    auth = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,30}={0,2}$", max_length=100)


@patient_required
@require_POST
def push_subscribe(request: HttpRequest, patient: User) -> HttpResponse:
    """Turn notifications on for the browser that sends this (the profile's button, static/js/push.js)."""
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    services.push_subscription_save(patient=patient, **form.cleaned_data)
    return JsonResponse({"subscribed": True, "phones": services.push_phones(patient)})


@patient_required
@require_POST
def push_unsubscribe(request: HttpRequest, patient: User) -> HttpResponse:
    services.push_subscription_delete(patient=patient, endpoint=request.POST.get("endpoint", ""))
    return JsonResponse({"subscribed": False, "phones": services.push_phones(patient)})
