from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with an out-of-date security token (settings.CSRF_FAILURE_VIEW).

    Mostly a page left open while the user logged in or out in another tab, or a session that
    ended: nothing was saved, and the page says how to send it again, in the app's own layout.
    """
    return render(request, "403_csrf.html", status=403)
