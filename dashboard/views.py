from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.access import patient_required
from accounts.models import User
from accounts.selectors import local_today
from flags.selectors import patient_flags

from .ranges import PRESETS
from .selectors import dashboard


@patient_required
@require_safe
def patient_dashboard(request: HttpRequest, patient: User) -> HttpResponse:
    today = local_today(patient)
    data = dashboard(patient, request.GET, today=today)
    return render(
        request,
        "dashboard/patient.html",
        {
            "dash": data,
            "flags": patient_flags(data.open_flags),
            "presets": PRESETS,
            "today": today,
            "subject": patient,
            "own": True,
        },
    )
