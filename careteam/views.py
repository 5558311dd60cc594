import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST, require_safe

from accounts.access import clinician_required, patient_access_required, patient_required
from accounts.models import User
from accounts.selectors import data_version, local_today, subject_stamp
from accounts.typealias import AuthenticatedHttpRequest
from assessments.forms import ScheduleForm
from dashboard.ranges import PRESETS
from dashboard.selectors import dashboard, questionnaires
from lib.http import download, require_form_methods
from lib.pages import kept_key
from symptoms.selectors import history_page
from treatments import selectors as treatment_selectors

from . import selectors, services
from .export import full_export_zip
from .fhir import patient_bundle
from .forms import AppointmentForm, GrantForm, InviteForm, RedeemForm, SearchForm
from .models import CareAccess

# The patient's side


@patient_required
@require_safe
def export_all(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    """Everything the app holds about the patient, as a zip of CSV files (careteam.export: the full export
    lives at the top layer, since it reads every app)."""
    filename = f"crps-tracker-{patient.username}-{local_today(patient).isoformat()}.zip"
    return download(full_export_zip(patient), filename, "application/zip")


@patient_required
@require_safe
def sharing(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    codes = list(selectors.unused_share_codes(patient))
    new_code = request.session.pop("new_share_code", None)
    return render(
        request,
        "careteam/sharing.html",
        {
            "accesses": selectors.accesses_of_patient(patient),
            "appointments": selectors.appointments_of(patient),
            "log": selectors.access_log_for(patient),
            "grant_form": GrantForm(),
            "appointment_form": AppointmentForm(),
            # The code just made, unless it was cancelled (by stopping sharing) before this page showed.
            "new_code": new_code if new_code and any(c.code == new_code["code"] for c in codes) else None,
            "codes": codes,
        },
    )


@patient_required
@require_POST
def grant(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            access = services.access_grant(patient=patient, clinician_identifier=form.cleaned_data["clinician"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{access.clinician.display_name} can now see your diary.")
    else:
        messages.error(request, "Enter the clinician's username or e-mail address.")
    return redirect("careteam:sharing")


@patient_required
@require_POST
def create_code(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    code = services.share_code_create(patient=patient)
    request.session["new_share_code"] = {"code": code.code, "expires": code.expires_at.isoformat()}
    return redirect("careteam:sharing")


@patient_required
@require_POST
def cancel_code(request: AuthenticatedHttpRequest, patient: User, pk: int) -> HttpResponse:
    share = get_object_or_404(selectors.share_codes_of(patient), pk=pk)
    if services.share_code_cancel(share=share, by=patient):
        messages.success(request, f"The code {share.code} was cancelled; nobody can use it now.")
    else:
        messages.info(request, f"The code {share.code} no longer worked: it had been used or had expired.")
    return redirect("careteam:sharing")


def _codes_cancelled(count: int) -> str:
    if count == 0:
        return ""
    if count == 1:
        return " Your unused share code was cancelled too; make a new one when you need it."
    return f" Your {count} unused share codes were cancelled too; make a new one when you need it."


@patient_required
@require_form_methods
def revoke(request: AuthenticatedHttpRequest, patient: User, pk: int) -> HttpResponse:
    """Ask, then (on POST) stop sharing with a clinician, or decline their invitation."""
    access = get_object_or_404(selectors.accesses_of_patient(patient), pk=pk)
    name = access.clinician.display_name
    if request.method == "POST":
        cancelled = services.access_revoke(access=access, by=patient)
        messages.success(request, f"{name} no longer has access.{_codes_cancelled(cancelled)}")
        return redirect("careteam:sharing")
    if access.status not in (CareAccess.Status.ACTIVE, CareAccess.Status.INVITED):
        messages.info(request, f"{name} already cannot see your diary.")
        return redirect("careteam:sharing")
    return render(
        request,
        "careteam/revoke.html",
        {"access": access, "codes_waiting": selectors.unused_share_codes(patient).count()},
    )


@patient_required
@require_POST
def accept(request: AuthenticatedHttpRequest, patient: User, pk: int) -> HttpResponse:
    access = get_object_or_404(selectors.accesses_of_patient(patient), pk=pk)
    try:
        services.invite_accept(access=access)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{access.clinician.display_name} can now see your diary.")
    return redirect("careteam:sharing")


# The clinician's side


@clinician_required
@require_safe
def clinician_home(request: AuthenticatedHttpRequest, clinician: User) -> HttpResponse:
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    return render(
        request,
        "careteam/clinician_home.html",
        {
            "rows": selectors.triage(clinician, search=query),
            "search": search,
            "query": query,
            "redeem_form": RedeemForm(),
            "invite_form": InviteForm(),
        },
    )


@clinician_required
@require_POST
def redeem(request: AuthenticatedHttpRequest, clinician: User) -> HttpResponse:
    form = RedeemForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Enter the code the patient gave you.")
        access = services.share_code_redeem(clinician=clinician, code=form.cleaned_data["code"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("careteam:clinician_home")
    messages.success(request, f"You can now see {access.patient.display_name}'s diary.")
    return redirect("careteam:patient", patient_id=access.patient_id)


@clinician_required
@require_POST
def invite(request: AuthenticatedHttpRequest, clinician: User) -> HttpResponse:
    form = InviteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Enter the patient's username or e-mail address.")
        services.access_invite(clinician=clinician, patient_identifier=form.cleaned_data["patient"])
    except ValidationError:
        # Same answer whether or not the patient exists: the list of patients is nobody's business.
        pass
    messages.success(request, "If that patient has an account, they have been asked to share their diary with you.")
    return redirect("careteam:clinician_home")


# Each measure's panel on paper: at least as tall as the treatment lanes above it (print.css, charts.js).
REPORT_MEASURE_HEIGHT = 95


@patient_access_required("dashboard, flags, treatments and diary")
@require_safe
def patient_review(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    """The page's body is kept (lib.pages): the patient's data is read only when it has to be drawn again."""
    today = local_today(patient)
    kept = kept_key(request, patient.pk, data_version(patient), today, subject_stamp(patient))
    records = treatment_selectors.Records(patient)  # one read for the chart, the timeline and what is current

    def review_dashboard():
        last = selectors.last_appointment(patient, today=today)
        return dashboard(patient, selectors.since_last_appointment(request.GET, last), today=today, records=records)

    data = SimpleLazyObject(review_dashboard)
    answered = SimpleLazyObject(lambda: questionnaires(patient, today))

    def schedule_form():
        """How often each questionnaire is asked, in the form it is saved with (ids schedule-phq9, ...)."""
        return ScheduleForm(current=answered.record.every, auto_id="schedule-%s")

    return render(
        request,
        "careteam/patient_review.html",
        {
            "kept": kept,
            "subject": patient,
            "dash": data,
            "presets": PRESETS,
            "today": today,
            "history": SimpleLazyObject(lambda: selectors.treatment_history(patient, today=today, records=records)),
            "current": SimpleLazyObject(
                lambda: treatment_selectors.current_treatments(patient, today=today, records=records)
            ),
            "diary": SimpleLazyObject(lambda: history_page(patient, today=today, page=1)),
            "flags": SimpleLazyObject(lambda: data.flags),
            "appointments": selectors.appointments_of(patient),
            "appointment_form": AppointmentForm(initial={"date": today}),
            "questionnaires": answered,
            "schedule_form": SimpleLazyObject(schedule_form),
        },
    )


@patient_access_required("pre-appointment report")
@require_safe
def report(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    """A print-ready summary for the appointment: two A4 pages, read in a minute. Its body is kept (lib.pages)."""
    today = local_today(patient)
    kept = kept_key(request, patient.pk, data_version(patient), today, subject_stamp(patient))
    data = SimpleLazyObject(
        lambda: selectors.pre_appointment_report(
            patient, request.GET, today=today, measure_height=REPORT_MEASURE_HEIGHT
        )
    )
    return render(
        request,
        "careteam/report.html",
        {
            "kept": kept,
            "subject": patient,
            "report": data,
            "dash": SimpleLazyObject(lambda: data.dash),
            "today": today,
            "profile": SimpleLazyObject(lambda: data.profile),
        },
    )


@patient_access_required("recorded an appointment", action="changed")
@require_POST
def add_appointment(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    form = AppointmentForm(request.POST)
    if form.is_valid():
        try:
            services.appointment_add(
                patient=patient,
                date=form.cleaned_data["date"],
                clinician=request.user if request.user.is_clinician else None,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Appointment on {form.cleaned_data['date']:%-d %b %Y} recorded.")
    else:
        messages.error(request, "Enter the appointment date.")
    if request.user.is_clinician:
        return redirect("careteam:patient", patient_id=patient.pk)
    return redirect("careteam:sharing")


@patient_access_required("appointment deletion", action="changed")
@require_form_methods
def delete_appointment(request: AuthenticatedHttpRequest, patient: User, pk: int) -> HttpResponse:
    """Ask, then (on POST) delete an appointment the signed-in person recorded; any other is a 404."""
    appointment = get_object_or_404(selectors.appointments_deletable_by(request.user, patient), pk=pk)
    back = "careteam:sharing" if request.user.pk == patient.pk else "careteam:patient"
    back_args = {} if request.user.pk == patient.pk else {"patient_id": patient.pk}
    back_url = reverse(back, kwargs=back_args)
    if request.method == "POST":
        services.appointment_delete(appointment=appointment)
        messages.success(request, f"Appointment on {appointment.date:%-d %b %Y} deleted.")
        return redirect(back_url)
    return render(request, "careteam/appointment_delete.html", {"appointment": appointment, "back_url": back_url})


@patient_access_required("FHIR export", action="exported")
@require_safe
def fhir_export(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    body = json.dumps(patient_bundle(patient), indent=1)
    return download(body, f"crps-tracker-{patient.username}-fhir.json", "application/fhir+json")
