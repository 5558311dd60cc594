from django.http import HttpResponse
from django.utils.http import content_disposition_header


def download(content: str | bytes, filename: str, content_type: str) -> HttpResponse:
    """A file download of health data: never cached, any filename encoded safely."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response
