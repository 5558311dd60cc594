from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from accounts.access import patient_required
from accounts.models import User
from accounts.selectors import data_version, local_today, subject_stamp
from accounts.typealias import AuthenticatedHttpRequest
from flags.selectors import patient_flags
from lib.pages import kept_key

from .ranges import PRESETS
from .selectors import dashboard, questionnaires


@patient_required
@require_safe
def patient_dashboard(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    """The page's body is kept (lib.pages): the diary is read only when it has to be drawn again."""
    today = local_today(patient)
    kept = kept_key(request, patient.pk, data_version(patient), today, subject_stamp(patient))
    data = SimpleLazyObject(lambda: dashboard(patient, request.GET, today=today))
    return render(
        request,
        "dashboard/patient.html",
        {
            "kept": kept,
            "dash": data,
            "flags": SimpleLazyObject(lambda: patient_flags(data.open_flags)),
            "presets": PRESETS,
            "today": today,
            "subject": patient,
            "own": True,
            "questionnaires": SimpleLazyObject(lambda: questionnaires(patient, today)),
        },
    )
