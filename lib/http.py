from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

# A page with a form: GET shows it, POST sends it, and HEAD answers as GET does (monitors and link
# checkers send HEAD). Read-only pages use Django's require_safe.
require_form_methods = require_http_methods(["GET", "HEAD", "POST"])


def download(content: str | bytes, filename: str, content_type: str) -> HttpResponse:
    """A file download of health data: never cached, any filename encoded safely."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


def site_url(name: str, **kwargs) -> str:
    """The full address of a page, for e-mails sent where there is no request (settings.SITE_URL)."""
    return settings.SITE_URL + reverse(name, kwargs=kwargs or None)
