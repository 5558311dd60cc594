"""Kept pages: the key under which a page's rendered body is kept in the "pages" cache (settings.CACHES).

A page that shows one patient's data keeps its body under a key made of who asks, what they asked
(path and query string), the patient's data version (accounts.data_version) and their today. A request
whose key is kept reads one number instead of the diary, the treatments and the flags, and renders
nothing; any edit raises the version, so a kept body is never stale and nothing has to forget one.

Kept bodies hold forms, and a form's CSRF token is only good with the secret it was masked with: the key
has the secret too (hashed with the rest), so a new secret (a new login) makes a new key.
"""

import hashlib

from django.http import HttpRequest
from django.middleware.csrf import get_token


def kept_key(request: HttpRequest, *parts: object) -> str:
    """The key of this request's kept page, with `parts` (at least the patient, their data version read
    before anything else of theirs, and their today)."""
    get_token(request)  # the secret the kept forms' tokens are masked with, made now if there was none
    asked = (request.path, sorted(request.GET.lists()))
    who = (request.user.pk, request.META["CSRF_COOKIE"])
    return hashlib.sha256(repr((who, asked, parts)).encode()).hexdigest()
