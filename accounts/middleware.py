from django.utils import timezone

from .selectors import patient_time_zone


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
