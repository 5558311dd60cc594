"""The questionnaires: the patient's forms and the safety message; the clinician's examination, checklist,
schedules and acknowledgement of a safety alert (each through the one access check, and logged)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.access import patient_access_required, patient_required
from accounts.models import User
from accounts.selectors import local_today
from accounts.typealias import AuthenticatedHttpRequest
from lib.http import require_form_methods

from . import selectors, services
from .forms import ChecklistForm, ExaminationForm, InstrumentForm, ScheduleForm
from .instruments import (
    BUDAPEST,
    CSS_SIGNS,
    CSS_SYMPTOMS,
    INSTRUMENTS,
    PATIENT_INSTRUMENTS,
    SAFETY_ITEM,
    needs_safety_path,
)
from .models import SafetyAlert

logger = logging.getLogger(__name__)


def _patient_instrument(code: str):
    instrument = INSTRUMENTS.get(code)
    if instrument is None or instrument.who != "patient":
        raise Http404("No such questionnaire.")
    return instrument


@patient_required
@require_form_methods
def overview(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    """What is due, every questionnaire with its latest score, and how often each is asked."""
    current = selectors.schedules(patient)
    form = ScheduleForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        for code, days in form.cleaned_data.items():
            if days != current[code]:
                services.schedule_set(patient=patient, code=code, every_days=days, by=patient)
        messages.success(request, "How often you are asked is saved.")
        return redirect("assessments:overview")
    today = local_today(patient)
    latest = {s.instrument.code: s for s in selectors.summaries(patient)}
    return render(
        request,
        "assessments/overview.html",
        {
            "due": selectors.due(patient, today),
            "answered": [(i, latest.get(i.code)) for i in PATIENT_INSTRUMENTS],
            "css": selectors.css_scores(patient),
            "schedule_form": form,
        },
    )


def _self_harm_answer(code: str, data) -> int:
    """PHQ-9 item 9 as answered in `data` (1-3), or 0: not answered, "not at all", or not this questionnaire."""
    instrument, item = SAFETY_ITEM
    if code != instrument:
        return 0
    value = data.get(item, "")
    return int(value) if value in ("1", "2", "3") else 0


def crisis_context() -> dict:
    return {"crisis_message": settings.CRISIS_MESSAGE, "crisis_contacts": settings.CRISIS_CONTACTS}


@patient_required
@require_form_methods
def answer(request: AuthenticatedHttpRequest, patient: User, code: str) -> HttpResponse:
    """One questionnaire. A PHQ-9 answer of thoughts of self-harm is answered at once, in this response, with
    the safety message: before anything else, and even when the answers could not be saved."""
    instrument = _patient_instrument(code)
    today = local_today(patient)
    suggestions = selectors.css_suggestions(patient, today) if instrument is CSS_SYMPTOMS else {}
    form = InstrumentForm(instrument, request.POST or None, suggestions=suggestions)
    if request.method == "POST" and not form.is_valid() and (worry := _self_harm_answer(code, request.POST)):
        # Left incomplete, but item 9 answered above "not at all": the safety path all the same.
        try:
            services.safety_alert_raise(patient=patient, answered_on=today, item_answer=worry)
        except DatabaseError:
            logger.exception("Could not raise a safety alert for an incomplete PHQ-9")
            return render(request, "assessments/safety.html", {"saved": False, **crisis_context()})
        return render(request, "assessments/safety.html", {"saved": True, "incomplete": True, **crisis_context()})
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        safety = needs_safety_path(code, answers)
        try:
            response = services.response_record(
                patient=patient,
                code=code,
                answers=answers,
                completed_on=today,
                recorded_by=patient,
                prefilled=form.prefilled,
            )
        except DatabaseError:
            if not safety:
                raise
            logger.exception("Could not save a PHQ-9 with a safety answer")
            return render(request, "assessments/safety.html", {"saved": False, **crisis_context()})
        if safety:
            return render(request, "assessments/safety.html", {"saved": True, **crisis_context()})
        band = instrument.band(response.score)
        messages.success(
            request,
            f"{instrument.short} saved: {response.score:g} of {instrument.score_max:g}{f' ({band})' if band else ''}.",
        )
        return redirect("assessments:overview")
    return render(
        request,
        "assessments/answer.html",
        {"instrument": instrument, "form": form, **(crisis_context() if code == "phq9" else {})},
    )


@patient_required
@require_POST
def skip(request: AuthenticatedHttpRequest, patient: User, code: str) -> HttpResponse:
    instrument = _patient_instrument(code)
    services.response_skip(patient=patient, code=code, today=local_today(patient))
    messages.info(request, f"{instrument.short} skipped: it will be asked again at its next turn.")
    return redirect("dashboard:patient" if request.POST.get("next") == "dashboard" else "assessments:overview")


# The clinician's side, on the patient's review


def _care_team_only(request: AuthenticatedHttpRequest) -> None:
    """A clinician's record: the patient passes the access check for their own data, but never writes one."""
    if not request.user.is_clinician:
        raise Http404("For the care team.")


def _review(patient: User) -> HttpResponse:
    return redirect("careteam:patient", patient_id=patient.pk)


def _clinician_record(request: AuthenticatedHttpRequest, patient: User, form, saved: str) -> HttpResponse:
    """A clinician's dated record (`form`, an ExaminationForm or ChecklistForm): shown, or saved and back to
    the review with `saved` said, or shown again with what is missing."""
    _care_team_only(request)
    if request.method == "POST" and form.is_valid():
        services.response_record(
            patient=patient,
            code=form.instrument.code,
            answers=form.answers(),
            completed_on=form.cleaned_data["date"],
            recorded_by=request.user,
            site=form.cleaned_data.get("site", ""),
        )
        messages.success(request, saved)
        return _review(patient)
    date = form["date"].value()
    shown = date.isoformat() if hasattr(date, "isoformat") else (date or "")
    context = {"subject": patient, "form": form, "instrument": form.instrument, "date_value": shown}
    return render(request, "assessments/clinician_form.html", context)


@patient_access_required("recorded a CRPS Severity Score examination", action="changed")
@require_form_methods
def examination(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    form = ExaminationForm(CSS_SIGNS, request.POST or None, today=local_today(patient))
    return _clinician_record(request, patient, form, "Examination recorded.")


@patient_access_required("recorded the Budapest criteria", action="changed")
@require_form_methods
def checklist(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    form = ChecklistForm(BUDAPEST, request.POST or None, today=local_today(patient))
    return _clinician_record(request, patient, form, "Budapest checklist recorded.")


@patient_access_required("changed how often questionnaires are asked", action="changed")
@require_POST
def clinician_schedule(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    _care_team_only(request)
    current = selectors.schedules(patient)
    form = ScheduleForm(request.POST, current=current)
    if not form.is_valid():
        messages.error(request, "Choose how often each questionnaire is asked.")
        return _review(patient)
    try:
        for code, days in form.cleaned_data.items():
            if days != current[code]:
                services.schedule_set(patient=patient, code=code, every_days=days, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _review(patient)
    messages.success(request, "How often the questionnaires are asked is saved.")
    return _review(patient)


@patient_access_required("acknowledged a safety alert", action="changed")
@require_POST
def acknowledge_alert(request: AuthenticatedHttpRequest, patient: User, pk: int) -> HttpResponse:
    _care_team_only(request)
    alert = get_object_or_404(SafetyAlert.objects.filter(patient=patient), pk=pk)
    services.alert_acknowledge(alert=alert, by=request.user)
    messages.success(request, "Safety alert acknowledged.")
    return _review(patient)


@require_safe
def crisis(request: HttpRequest) -> HttpResponse:
    """The crisis resources alone, for anyone: linked from every PHQ-9 form."""
    return render(request, "assessments/safety.html", {"saved": None, **crisis_context()})
