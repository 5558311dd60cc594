from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from accounts.access import patient_required
from accounts.models import User
from accounts.selectors import local_today
from accounts.typealias import AuthenticatedHttpRequest
from lib.forms import add_service_error
from lib.http import download, require_form_methods

from . import selectors, services
from .forms import (
    DiagnosticTestForm,
    DoseChangeForm,
    MedicationForm,
    MedicationStartForm,
    NeurostimulatorForm,
    ProcedureForm,
    ProgrammingChangeForm,
    StopForm,
    TherapyForm,
    TherapySessionForm,
)
from .models import (
    DiagnosticTest,
    Medication,
    Neurostimulator,
    PatientItem,
    Procedure,
    ProgrammingChange,
    Therapy,
    TherapySession,
)
from .treatment_csv import treatments_csv
from .vocabulary import ProcedureKind


@dataclass(frozen=True)
class Kind:
    """One kind of record with the generic add / view / edit / delete pages."""

    model: type[PatientItem]
    form: type
    noun: str
    has_response: bool
    date_field: str


RECORD_KINDS = {
    "therapy": Kind(Therapy, TherapyForm, "therapy", True, "started_on"),
    "procedure": Kind(Procedure, ProcedureForm, "procedure", True, "performed_on"),
    "device": Kind(Neurostimulator, NeurostimulatorForm, "neurostimulator", True, "implanted_on"),
    "diagnostic": Kind(DiagnosticTest, DiagnosticTestForm, "diagnostic test", False, "performed_on"),
}
# Records that belong to a parent record: (parent kind, child name) -> (model, form, parent field)
CHILDREN = {
    ("therapy", "sessions"): (TherapySession, TherapySessionForm, "therapy"),
    ("device", "programming"): (ProgrammingChange, ProgrammingChangeForm, "device"),
}


def own[P: PatientItem](model: type[P], patient: User, pk: int) -> P:
    """The patient's own record, or 404 (another patient's record looks like no record)."""
    return get_object_or_404(model._default_manager.filter(patient=patient), pk=pk)


def _bound(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@patient_required
@require_safe
def overview(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    today = local_today(patient)
    kind = request.GET.get("kind")
    if kind not in selectors.TIMELINE_KINDS:
        kind = None
    records = selectors.Records(patient)  # one read for the timeline and what is current
    timeline = selectors.timeline(patient, today=today, kind=kind, records=records)
    return render(
        request,
        "treatments/overview.html",
        {
            "current": selectors.current_treatments(patient, today=today, records=records),
            "events": selectors.with_responses(patient, timeline, today=today),
            "kinds": selectors.TIMELINE_KINDS,
            "kind": kind,
            "kind_label": selectors.TIMELINE_KINDS[kind] if kind else "",
            "today": today,
        },
    )


@patient_required
@require_safe
def export(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    filename = f"crps-treatments-{patient.username}-{local_today(patient).isoformat()}.csv"
    return download(treatments_csv(patient), filename, "text/csv; charset=utf-8")


# Medications


@patient_required
@require_form_methods
def medication_new(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    today = local_today(patient)
    form = MedicationStartForm(_bound(request), today=today, initial={"started_on": today})
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            medication, created = services.medication_start(patient=patient, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            duplicate = getattr(error, "medication", None)  # the same medicine, already recorded
        else:
            messages.success(request, f"{'Recorded' if created else 'Already recorded'}: {medication.name}.")
            return redirect("treatments:medication", medication.pk)
    context = {"form": form, "title": "Started a new medication", "duplicate": duplicate}
    return render(request, "treatments/form.html", context)


@patient_required
@require_safe
def medication_detail(request: AuthenticatedHttpRequest, patient: User, pk: int) -> HttpResponse:
    medication = get_object_or_404(selectors.medications(patient), pk=pk)
    today = local_today(patient)
    doses = list(medication.doses.all())
    responses = selectors.medication_responses(patient, medication, today=today)
    return render(
        request,
        "treatments/medication.html",
        {"medication": medication, "doses": doses, "responses": responses, "today": today},
    )


@patient_required
@require_form_methods
def medication_edit(request: AuthenticatedHttpRequest, patient: User, pk: int) -> HttpResponse:
    medication = own(Medication, patient, pk)
    title = f"Edit {medication.name}"  # as saved: a refused form has already changed the instance in memory
    form = MedicationForm(_bound(request), instance=medication, today=local_today(patient))
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            services.medication_update(medication=medication, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            duplicate = getattr(error, "medication", None)  # the same medicine, recorded for that time
        else:
            messages.success(request, f"Saved {medication.name}.")
            return redirect("treatments:medication", medication.pk)
    context = {"form": form, "title": title, "duplicate": duplicate}
    return render(request, "treatments/form.html", context)


@patient_required
@require_form_methods
def medication_dose(request: AuthenticatedHttpRequest, patient: User, pk: int) -> HttpResponse:
    medication = own(Medication, patient, pk)
    today = local_today(patient)
    current = medication.doses.order_by("-started_on").first()
    initial: dict[str, object] = {"changed_on": today}
    if current:
        initial.update(amount=current.amount_text, unit=current.unit, frequency=current.frequency)
    form = DoseChangeForm(_bound(request), today=today, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dose = services.medication_change_dose(medication=medication, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{medication.name}: now {dose} from {dose.started_on:%-d %b %Y}.")
            return redirect("treatments:medication", medication.pk)
    intro = f"Current dose: {current}, since {current.started_on:%-d %b %Y}." if current else ""
    return render(
        request, "treatments/form.html", {"form": form, "title": f"Change dose: {medication.name}", "intro": intro}
    )


@patient_required
@require_form_methods
def medication_stop(request: AuthenticatedHttpRequest, patient: User, pk: int) -> HttpResponse:
    medication = own(Medication, patient, pk)
    today = local_today(patient)
    form = StopForm(
        _bound(request), today=today, initial={"stopped_on": today, "side_effects": medication.side_effects}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.medication_stop(medication=medication, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Stopped {medication.name} on {medication.stopped_on:%-d %b %Y}.")
            return redirect("treatments:overview")
    return render(request, "treatments/form.html", {"form": form, "title": f"Stop {medication.name}"})


@patient_required
@require_form_methods
def medication_delete(request: AuthenticatedHttpRequest, patient: User, pk: int) -> HttpResponse:
    return _delete(request, own(Medication, patient, pk), "treatments:overview")


# Therapies, procedures, neurostimulators, diagnostic tests


def _save(request: HttpRequest, form) -> tuple[models.Model, bool] | None:
    """Save a posted, valid form's record through the service: (record, created), or None with
    the reasons on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return services.item_save(form.instance)
    except ValidationError as error:
        add_service_error(form, error)
        return None


def _kind(name: str) -> Kind:
    try:
        return RECORD_KINDS[name]
    except KeyError:
        raise Http404("No such kind of record.") from None


@patient_required
@require_form_methods
def item_new(request: AuthenticatedHttpRequest, patient: User, kind: str) -> HttpResponse:
    spec = _kind(kind)
    today = local_today(patient)
    initial: dict[str, object] = {spec.date_field: today}
    if kind == "procedure" and request.GET.get("kind") in ProcedureKind.values:
        initial["kind"] = request.GET["kind"]
    form = spec.form(_bound(request), today=today, initial=initial, instance=spec.model(patient=patient))
    if saved := _save(request, form):
        item, created = saved
        messages.success(request, f"{'Recorded' if created else 'Already recorded'}: {item}.")
        return redirect(f"treatments:{kind}", item.pk)
    return render(request, "treatments/form.html", {"form": form, "title": f"Add a {spec.noun}"})


@patient_required
@require_safe
def item_detail(request: AuthenticatedHttpRequest, patient: User, kind: str, pk: int) -> HttpResponse:
    spec = _kind(kind)
    item = own(spec.model, patient, pk)
    today = local_today(patient)
    start = getattr(item, spec.date_field)
    window = selectors.item_window(item, today=today) if spec.has_response and start <= today else None
    response = selectors.response_for(patient, window, today=today) if window else None
    return render(
        request,
        f"treatments/{kind}.html",
        {"item": item, "kind": kind, "response": response, "today": today, "planned": start > today},
    )


@patient_required
@require_form_methods
def item_edit(request: AuthenticatedHttpRequest, patient: User, kind: str, pk: int) -> HttpResponse:
    spec = _kind(kind)
    item = own(spec.model, patient, pk)
    form = spec.form(_bound(request), instance=item, today=local_today(patient))
    if _save(request, form):
        messages.success(request, f"Saved {item}.")
        return redirect(f"treatments:{kind}", item.pk)
    return render(request, "treatments/form.html", {"form": form, "title": f"Edit {item}"})


@patient_required
@require_form_methods
def item_delete(request: AuthenticatedHttpRequest, patient: User, kind: str, pk: int) -> HttpResponse:
    return _delete(request, own(_kind(kind).model, patient, pk), "treatments:overview")


def _child_spec(kind: str, child: str) -> tuple:
    """(model, form, parent field) of a child kind, e.g. a therapy's sessions, or 404."""
    try:
        return CHILDREN[(kind, child)]
    except KeyError:
        raise Http404("No such record.") from None


@patient_required
@require_form_methods
def child_new(request: AuthenticatedHttpRequest, patient: User, kind: str, pk: int, child: str) -> HttpResponse:
    parent = own(_kind(kind).model, patient, pk)
    model, form_class, parent_field = _child_spec(kind, child)
    today = local_today(patient)
    form = form_class(_bound(request), today=today, initial={"date": today}, instance=model(**{parent_field: parent}))
    if _save(request, form):
        messages.success(request, f"Recorded for {parent}.")
        return redirect(f"treatments:{kind}", parent.pk)
    noun = "session" if child == "sessions" else "programming change"
    return render(request, "treatments/form.html", {"form": form, "title": f"Add a {noun}: {parent}"})


@patient_required
@require_form_methods
def child_delete(
    request: AuthenticatedHttpRequest, patient: User, kind: str, pk: int, child: str, child_pk: int
) -> HttpResponse:
    parent = own(_kind(kind).model, patient, pk)
    model, _form, parent_field = _child_spec(kind, child)
    item = get_object_or_404(model.objects.filter(**{parent_field: parent}), pk=child_pk)
    return _delete(request, item, f"treatments:{kind}", parent.pk)


def _delete(request: HttpRequest, item: models.Model, next_view: str, *args) -> HttpResponse:
    if request.method == "POST":
        label = str(item)
        services.item_delete(item)
        messages.success(request, f"Deleted: {label}.")
        return redirect(next_view, *args)
    return render(request, "treatments/delete.html", {"item": item})
