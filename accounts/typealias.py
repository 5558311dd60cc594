"""Types for requests whose user is known to be signed in.

`login_required` and the decorators of accounts.access let a view run only for a signed-in user, but
django-stubs types `request.user` as `User | AnonymousUser` everywhere. A view behind one of them takes
an `AuthenticatedHttpRequest` instead (as healthchecks' hc/lib/typealias.py does); this is a type for
the checker only, never instantiated.
"""

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
