"""The one access check for patient data.

Every view that shows or changes a patient's health data gets that patient through
here. A patient may reach only their own diary; anything else is a 404, so that
the existence of another person's data is never revealed.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from .models import User


def patient_for_request(request: HttpRequest) -> User:
    """The patient whose diary this request may see, or 404."""
    user = request.user
    if not user.is_authenticated or not user.is_patient:
        raise Http404("No diary here.")
    return user


def patient_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in first; then pass the patient (from `patient_for_request`) to the view."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return view(request, patient_for_request(request), *args, **kwargs)

    return wrapper
