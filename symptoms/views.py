import datetime
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST, require_safe

from accounts.access import patient_required
from accounts.models import User
from accounts.selectors import local_today, patient_profile, patient_time_zone
from accounts.services import patient_profile_update
from lib.dates import EARLIEST_DATE
from lib.figures import days_in_words
from lib.forms import add_service_error
from lib.http import download, require_form_methods

from . import selectors, services
from .day_parts import day_parts
from .diary_csv import LineError, decode_csv_bytes, parse_diary_csv, write_diary_csv
from .forms import DiaryEntryForm, ImportDiaryForm, PickDayForm, QuickLogForm, copied_mark, values_to_copy
from .models import DETAIL_FIELDS, ENTRY_FIELDS, SCALE_FIELDS
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

    The page also shows the parts the apps above add (symptoms.day_parts): which current medications
    were taken that day (optional), saved with the entry.
    """
    if date < EARLIEST_DATE:
        raise Http404("Too far back.")
    entry = selectors.entry_for_date(patient, date)
    previous = None if entry else selectors.entry_before(patient, date)
    copying = copying_detail = False
    if request.method == "POST":
        form = DiaryEntryForm(request.POST)
        parts = day_parts(patient, date, request.POST)
        if form.is_valid() and all(part.form.is_valid() for part in parts):
            try:
                _entry, created = services.diary_day_save(
                    patient=patient, date=date, values=form.entry_values(), parts=parts
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                verb = "Saved" if created else "Updated"
                messages.success(request, f"{verb} your entry for {date:%A %-d %B}.")
                return redirect(_history_at(date))
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
        if copying and previous is not None:
            form.mark_copied(initial, previous.date)
        parts = day_parts(patient, date)
    today_date = local_today(patient)
    profile = patient_profile(patient)
    # The patient's own quick log: the detail items they chose, in their order, under the five measures.
    shown = [name for name in profile.quick_log_details if name in DETAIL_FIELDS]
    return render(
        request,
        "symptoms/day.html",
        {
            "quick_details": [(form[name], name in SCALE_FIELDS) for name in shown],
            "more_details": [(form[name], name in SCALE_FIELDS) for name in DETAIL_FIELDS if name not in shown],
            "quick_notes": profile.quick_notes,
            "one_screen": profile.quick_log_one_screen,
            # "Same as yesterday", beside Save: today's log, when yesterday was logged.
            "same_as_yesterday": (
                date == today_date and previous is not None and previous.date == date - datetime.timedelta(days=1)
            ),
            "form": form,
            "day_parts": parts,
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
            # When the entry the form shows was last changed: a day sent later from the phone tells
            # a change made elsewhere meanwhile from its own (send_from_phone).
            "seen_at": entry.updated_at.isoformat() if entry else "",
            "time_zone": patient_time_zone(patient).key,
        },
    )


def _history_at(date: datetime.date) -> str:
    return f"{reverse('symptoms:history')}#day-{date.isoformat()}"


# A phone's clock may be off; the age of its save (by its own clock) is what is trusted, up to this.
LONGEST_KEPT_ON_PHONE = datetime.timedelta(days=400)


@patient_required
@require_safe
def outbox_token(request: HttpRequest, patient: User) -> HttpResponse:
    """A fresh CSRF token, asked for just before entries kept on the phone are sent (static/js/outbox.js):
    the one in a page kept offline may be out of date. Also who is signed in, so that one patient's
    entries are never sent into another's diary."""
    return JsonResponse({"user": patient.pk, "csrf": get_token(request)})


@patient_required
@require_POST
def send_from_phone(request: HttpRequest, patient: User, date: datetime.date) -> HttpResponse:
    """Receive one day saved on the patient's phone (static/js/outbox.js), perhaps hours ago offline.

    The same form, validation and one-entry-per-day rule as the day's page; when the day was also
    changed elsewhere, the newer change wins and the answer says which was kept. `saved_at` and
    `sent_at` are the phone's clock (ms): only their difference, the save's age, is used.
    With `announce`, the answer is also a message on the next page (the form's own save).
    """
    if date < EARLIEST_DATE:
        raise Http404("Too far back.")
    form = DiaryEntryForm(request.POST)
    parts = day_parts(patient, date, request.POST)
    try:
        age_ms = int(request.POST["sent_at"]) - int(request.POST["saved_at"])
    except (KeyError, ValueError):
        return JsonResponse({"result": "invalid", "errors": ["The entry's time is missing."]}, status=400)
    age = min(max(datetime.timedelta(milliseconds=age_ms), datetime.timedelta(0)), LONGEST_KEPT_ON_PHONE)
    seen_at = parse_datetime(request.POST.get("seen_at", "") or "")
    if not (form.is_valid() and all(part.form.is_valid() for part in parts)):
        errors = [str(e) for e in form.non_field_errors()]
        errors += [f"{form[name].label}: {e}" for name in form.errors if name != "__all__" for e in form.errors[name]]
        errors += [str(e) for part in parts for field in part.form for e in field.errors]
        return JsonResponse({"result": "invalid", "errors": errors}, status=400)
    try:
        result = services.diary_entry_save_from_phone(
            patient=patient,
            date=date,
            values=form.entry_values(),
            saved_at=timezone.now() - age,
            seen_at=seen_at,
            parts=parts,
        )
    except ValidationError as error:
        return JsonResponse({"result": "invalid", "errors": error.messages}, status=400)
    message = _phone_save_message(result, date, saved_at=timezone.now() - age)
    if request.POST.get("announce"):
        (messages.warning if result.kind == "kept_other" else messages.success)(request, message)
    return JsonResponse({"result": result.kind, "message": message, "next": _history_at(date)})


def _phone_save_message(result: services.PhoneSaveResult, date: datetime.date, *, saved_at) -> str:
    day = f"{date:%A %-d %B}"
    if result.kind == "kept_other":
        other = timezone.localtime(result.other_at)
        mine = timezone.localtime(saved_at)
        return (
            f"Your entry for {day} saved on this phone at {mine:%H:%M} was not sent: the day was changed "
            f"elsewhere later, at {other:%H:%M} on {other:%-d %b}, and that newer entry is kept."
        )
    if result.kind == "same":
        return f"Your entry for {day} is saved."
    if result.replaced_newer_edit:
        other = timezone.localtime(result.other_at)
        return (
            f"Saved your entry for {day} from this phone. The day was also changed elsewhere, at "
            f"{other:%H:%M} on {other:%-d %b}; yours is newer and is the one kept."
        )
    return f"{'Saved' if result.kind == 'saved' else 'Updated'} your entry for {day}."


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
                f"Imported {days_in_words(result.total)}: {result.created} new, {result.updated} replaced.",
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


@patient_required
@require_form_methods
def quick_log(request: HttpRequest, patient: User) -> HttpResponse:
    """The patient shapes their daily log: which detail items show under the five measures (which
    always come first), in which order, and up to three quick notes as one-tap chips."""
    profile = patient_profile(patient)
    form = QuickLogForm(
        request.POST if request.method == "POST" else None,
        details=profile.quick_log_details,
        notes=profile.quick_notes,
        one_screen=profile.quick_log_one_screen,
    )
    if request.method == "POST" and form.is_valid():
        try:
            patient_profile_update(
                profile=profile,
                quick_log_details=form.details(),
                quick_notes=form.notes(),
                quick_log_one_screen=form.cleaned_data["one_screen"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your daily log is arranged.")
            return redirect("symptoms:today")
    return render(request, "symptoms/quick_log.html", {"form": form})
