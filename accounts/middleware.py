import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from .selectors import patient_time_zone
from .two_factor import needs_second_factor, second_factor_required

RENEWED_AT = "renewed_at"  # when the session's end was last moved on (seconds since the epoch)


class PatientTimezoneMiddleware:
    """Show times in the signed-in patient's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_patient:
            timezone.activate(patient_time_zone(user))
        else:
            timezone.deactivate()
        return self.get_response(request)


class TwoFactorMiddleware:
    """Clinicians, staff (the admin), and patients who turned it on, must pass their second factor before
    anything else, the admin's pages included."""

    OPEN_PREFIXES = ("/accounts/2fa/", "/logout/", "/static/", "/favicon.ico")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not request.path.startswith(self.OPEN_PREFIXES):
            required = needs_second_factor(user)
            if required:
                target = "accounts:two_factor_verify" if required == "verify" else "accounts:two_factor_setup"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class SessionPolicyMiddleware:
    """Sessions end after inactivity; sooner for clinicians, who see many patients' data, and for staff.

    The end is moved on at login and then at most once a minute (SESSION_RENEW_SECONDS), not on every
    page: a page then writes nothing to the session table (three queries fewer). A session ends between
    a minute before its inactivity limit and the limit, after the last page; never later.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            renew_session(request.session, request.user)
        return self.get_response(request)


def renew_session(session, user, *, force: bool = False) -> None:
    """Move the session's end on to the user's inactivity limit from now, if it was last moved a minute
    ago or more (or `force`). Also at login (accounts.apps), so a first page writes nothing either."""
    seconds = settings.CLINICIAN_SESSION_SECONDS if second_factor_required(user) else settings.PATIENT_SESSION_SECONDS
    now = int(time.time())
    stale = now - session.get(RENEWED_AT, 0) >= settings.SESSION_RENEW_SECONDS
    if force or stale or session.get("_session_expiry") != seconds:
        session.set_expiry(seconds)
        session[RENEWED_AT] = now


def renew_at_login(sender, request, user, **kwargs) -> None:
    renew_session(request.session, user, force=True)
