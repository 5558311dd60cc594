"""A bare page for monitors and for make bench-load's anchor: no database, no session, no template."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """'ok' when a worker can answer at all: Django's own cost for a request, and nothing of the app's.

    It reads neither the session nor the user, so a visitor's request touches no table and sets no
    cookie; it says nothing about the database or the broker (make bench-load times it beside the
    patients' pages on the same server).
    """
    response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
