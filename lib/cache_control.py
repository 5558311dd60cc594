"""Health pages are never kept in a browser's or a proxy's cache."""

from django.http import HttpRequest, HttpResponse


class PrivateNoStoreMiddleware:
    """Every answer to a signed-in user gets `Cache-Control: no-store, private` unless the view set its own.

    A shared computer's back button or disk cache would otherwise show the last patient's diary to
    the next person. Static files are served by WhiteNoise before this runs, with their own headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
        return response
