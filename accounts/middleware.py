from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from .selectors import patient_time_zone
from .two_factor import needs_second_factor, second_factor_required


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
    """Sessions end after inactivity; sooner for clinicians, who see many patients' data, and for staff."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            shorter = second_factor_required(user)
            seconds = settings.CLINICIAN_SESSION_SECONDS if shorter else settings.PATIENT_SESSION_SECONDS
            request.session.set_expiry(seconds)
        return self.get_response(request)
