import datetime
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.access import patient_required
from accounts.models import User
from accounts.selectors import local_today
from lib.figures import days
from lib.forms import add_service_error
from lib.http import download, require_form_methods
from treatments import selectors as treatment_selectors
from treatments import services as treatment_services
from treatments.forms import AdherenceForm

from . import selectors, services
from .diary_csv import EARLIEST_DATE, LineError, decode_csv_bytes, parse_diary_csv, write_diary_csv
from .forms import DiaryEntryForm, ImportDiaryForm, PickDayForm, copied_mark, values_to_copy
from .models import ENTRY_FIELDS
from .vocabulary import MEASURES

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ERRORS_SHOWN = 50


@patient_required
@require_form_methods
def today(request: HttpRequest, patient: User) -> HttpResponse:
    return _day(request, patient, local_today(patient))


@patient_required
@require_form_methods
def day(request: HttpRequest, patient: User, date: datetime.date) -> HttpResponse:
    # The form always posts to its own date, so a save sent just after midnight
    # still lands on the day the patient was logging.
    if date == local_today(patient) and request.method != "POST":
        return redirect("symptoms:today")
    if date > local_today(patient):
        messages.info(request, "That day has not come yet; here is today instead.")
        return redirect("symptoms:today")
    return _day(request, patient, date)


def _day(request: HttpRequest, patient: User, date: datetime.date) -> HttpResponse:
    """Log or edit one day. Saving a day that already has an entry edits that entry.

    The page also asks which current medications were taken that day (optional).
    """
    if date < EARLIEST_DATE:
        raise Http404("Too far back.")
    entry = selectors.entry_for_date(patient, date)
    previous = None if entry else selectors.entry_before(patient, date)
    medications = treatment_selectors.current_medications(patient, on=date)
    recorded = {m.pk: m.recorded for m in medications if m.recorded is not None}
    copying = copying_detail = False
    if request.method == "POST":
        form = DiaryEntryForm(request.POST)
        adherence = AdherenceForm(request.POST, medications=medications, recorded=recorded)
        if form.is_valid() and adherence.is_valid():
            try:
                with transaction.atomic():
                    _entry, created = services.diary_entry_save(patient=patient, date=date, values=form.entry_values())
                    if medications:
                        treatment_services.adherence_record(patient=patient, day=date, taken=adherence.taken())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                verb = "Saved" if created else "Updated"
                messages.success(request, f"{verb} your entry for {date:%A %-d %B}.")
                return redirect(f"{reverse('symptoms:history')}#day-{date.isoformat()}")
    else:
        copying = previous is not None and request.GET.get("start") == "previous"
        copying_detail = copying and request.GET.get("detail") == "yes"
        if copying:
            # The five numbers; the detail only on a second, explicit choice. Each copied field says so.
            initial = values_to_copy(previous, detail=copying_detail)
        elif entry is not None:
            initial = {name: getattr(entry, name) for name in ENTRY_FIELDS}
            initial["note_for_clinician"] = entry.note_for_clinician
        else:
            initial = {}
        form = DiaryEntryForm(initial=initial)
        if copying:
            form.mark_copied(initial, previous.date)
        adherence = AdherenceForm(medications=medications, recorded=recorded)
    today_date = local_today(patient)
    return render(
        request,
        "symptoms/day.html",
        {
            "form": form,
            "adherence": adherence,
            "date": date,
            "entry": entry,
            "previous": previous,
            "copying": copying,
            "copying_detail": copying_detail,
            "copied_headline": [m.label.lower() for m in MEASURES if m.name in form.copied],
            "copied_mark": copied_mark(form.copied_on) if form.copied_on else "",
            "is_today": date == today_date,
            "yesterday": today_date - datetime.timedelta(days=1),
            "pick_form": PickDayForm(initial={"date": date}),
            "today": today_date,
            "scale_points": range(11),
        },
    )


@patient_required
@require_safe
def go_to_day(request: HttpRequest, patient: User) -> HttpResponse:
    form = PickDayForm(request.GET)
    if not form.is_valid():
        messages.error(request, "Choose a date to log or edit.")
        return redirect("symptoms:today")
    return redirect("symptoms:day", date=form.cleaned_data["date"])


@patient_required
@require_form_methods
def delete(request: HttpRequest, patient: User, date: datetime.date) -> HttpResponse:
    entry = selectors.entry_for_date(patient, date)
    if entry is None:
        raise Http404("No entry for that day.")
    if request.method == "POST":
        services.diary_entry_delete(entry=entry)
        messages.success(request, f"Deleted your entry for {date:%A %-d %B %Y}.")
        return redirect("symptoms:history")
    return render(request, "symptoms/delete.html", {"entry": entry})


@patient_required
@require_safe
def history(request: HttpRequest, patient: User) -> HttpResponse:
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    page = selectors.history_page(patient, today=local_today(patient), page=page_number)
    return render(request, "symptoms/history.html", {"page": page})


@patient_required
@require_form_methods
def import_diary(request: HttpRequest, patient: User) -> HttpResponse:
    bound = request.method == "POST"
    form = ImportDiaryForm(request.POST if bound else None, request.FILES if bound else None)
    errors: list[LineError] = []
    if getattr(request, "upload_too_large", False):  # lib.uploads stopped reading it
        errors = [TOO_LARGE]
        form = ImportDiaryForm()
    elif request.method == "POST" and form.is_valid():
        text, errors = _decode_upload(form.cleaned_data["file"])
        if not errors:
            parsed = parse_diary_csv(text, today=local_today(patient))
            errors = parsed.errors
        if not errors:
            try:
                result = services.diary_import(patient=patient, rows=parsed.rows, columns=parsed.columns)
            except ValidationError as error:
                errors = [LineError(0, message) for message in error.messages]
        if not errors:
            messages.success(
                request,
                f"Imported {days(result.total)}: {result.created} new, {result.updated} replaced.",
            )
            return redirect("symptoms:history")
    return render(
        request,
        "symptoms/import.html",
        {
            "form": form,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "more_errors": max(0, len(errors) - MAX_ERRORS_SHOWN),
        },
        status=413 if errors == [TOO_LARGE] else 200,
    )


TOO_LARGE = LineError(0, f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")


def _decode_upload(upload) -> tuple[str, list[LineError]]:
    if upload.size > MAX_IMPORT_BYTES:
        return "", [TOO_LARGE]
    return decode_csv_bytes(upload.read())


@patient_required
@require_safe
def export_diary(request: HttpRequest, patient: User) -> HttpResponse:
    out = io.StringIO()
    write_diary_csv(selectors.entries_for_export(patient), out)
    filename = f"crps-diary-{patient.username}-{local_today(patient).isoformat()}.csv"
    # With a byte order mark, so that Excel reads the file as UTF-8 (accents and dashes in notes);
    # the import takes it off again.
    return download("\ufeff" + out.getvalue(), filename, "text/csv; charset=utf-8")
