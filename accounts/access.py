"""The one access check for patient data.

Every view that shows or changes a patient's health data gets that patient through here:

- `patient_required`: the signed-in patient's own data;
- `clinician_required`: a clinician's own pages (no patient's data without the check below);
- `patient_access_required`: a patient named in the URL, seen by that patient themselves or by a
  clinician the patient has granted access (careteam.CareAccess, active now). Each clinician view
  is written to the patient's access log.

Anyone else gets a 404, so that the existence of another person's data is never revealed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse

from .models import User
from .typealias import AuthenticatedHttpRequest


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


def clinician_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the clinician's own pages (their patient list, redeeming a code): pass the clinician on."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_clinician:
            raise Http404("For clinicians.")
        return view(request, request.user, *args, **kwargs)

    return wrapper


LARGEST_ID = 2**63 - 1  # the largest primary key a database here can hold


@dataclass
class CareTeamRules:
    """Whether a clinician may see a patient now, and how their access is written to the patient's log.
    Consent and the access log are careteam's: it fills these in at start-up (careteam/apps.py), so that
    this check, which every app's views use, never imports an app above it. Until then nobody but the
    patient sees anything."""

    can_see: Callable[[User, int], bool]
    log: Callable[..., object]


def _nobody(clinician: User, patient_id: int) -> bool:
    return False


def _unwritable(**kwargs) -> object:
    raise ImproperlyConfigured("A clinician's access must be logged: install careteam.")


care_team = CareTeamRules(can_see=_nobody, log=_unwritable)


def viewable_patient(viewer: User, patient_id: int) -> User:
    """The patient `patient_id` if `viewer` may see their data now, else 404."""
    if viewer.is_patient and viewer.pk == patient_id:
        return viewer
    if not 0 < patient_id <= LARGEST_ID:
        raise Http404("No such patient.")  # SQLite cannot even compare an integer past 64 bits
    if viewer.is_clinician and care_team.can_see(viewer, patient_id):
        patient = User.objects.filter(pk=patient_id, role=User.Role.PATIENT).select_related("patient_profile").first()
        if patient is not None:
            return patient
    raise Http404("No such patient.")


def _disclosed_or_done(request: HttpRequest, response: HttpResponse, action: str) -> bool:
    """Whether to log: a page or file that answered (not a HEAD, nor a 4xx); for a change, only one done,
    which redirects (a form shown, or refused and shown again, changed nothing)."""
    if request.method == "HEAD" or response.status_code >= 400:
        return False
    if action == "changed":
        return request.method != "GET" and 300 <= response.status_code < 400
    return True


def patient_access_required(what: str, action: str = "viewed") -> Callable:
    """For views of one patient named by `patient_id` in the URL: check, log, pass the patient on."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: AuthenticatedHttpRequest, patient_id: int, *args, **kwargs) -> HttpResponse:
            patient = viewable_patient(request.user, patient_id)
            # Logged once the view has answered, and only what it disclosed or did: not a HEAD (no
            # body), nor a refused method, a 404 inside the view or a form it refused with a 4xx. In one
            # transaction with what the view changed: no change without its log line.
            with transaction.atomic():
                response = view(request, patient, *args, **kwargs)
                if request.user.pk != patient.pk and _disclosed_or_done(request, response, action):
                    care_team.log(patient=patient, actor=request.user, action=action, what=what)
            return response

        return wrapper

    return decorator
