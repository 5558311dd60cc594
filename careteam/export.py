"""A patient's full data export: every CSV the app can write about them, a FHIR bundle, in one zip.

Every field of every model a patient owns is in one of the CSVs, under its own name (or a named
alias), except the few the README below and tests/accounts/test_export_complete.py list as left out.
"""

import csv
import datetime
import io
import json
import zipfile

from django.db import models

from accounts.models import PatientProfile, User
from lib.spreadsheet import escape_formula
from symptoms.diary_csv import LIST_SEPARATOR, write_diary_csv
from symptoms.selectors import entries_for_export
from treatments.treatment_csv import adherence_csv, treatments_csv


def full_export_zip(patient: User) -> bytes:
    diary = io.StringIO()
    write_diary_csv(entries_for_export(patient), diary)
    files = {
        "README.txt": README,
        "profile.csv": _profile_csv(patient),
        "diary.csv": diary.getvalue(),
        "diary-notes.csv": _diary_notes_csv(patient),
        "treatments.csv": treatments_csv(patient),
        "medication-adherence.csv": adherence_csv(patient),
        "flags.csv": _flags_csv(patient),
        "access-log.csv": _access_log_csv(patient),
        **{name: _records_csv(patient, name) for name in RECORDS},
    }
    from .fhir import patient_bundle

    files["fhir.json"] = json.dumps(patient_bundle(patient), indent=1, ensure_ascii=False)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


README = """\
Your CRPS Tracker record: everything you entered, and everything recorded about you that you may see.

Each .csv file opens in a spreadsheet. Dates are YYYY-MM-DD; times are ISO 8601 in UTC; an empty
cell means "not recorded"; lists are separated by ";"; free text that a spreadsheet would run as a
formula starts with an apostrophe.

profile.csv                 your account and profile: name, e-mail, time zone, condition, reminders,
                            your questions for the next appointment
diary.csv                   your symptom diary, one row a day (the same file as "Export diary":
                            it can be imported again)
diary-notes.csv             for each diary day: its note, whether you put it in your clinician's
                            report (note_for_clinician), when it was first saved and last changed
treatments.csv              your treatment history in one readable table (as "Export treatments")
medications.csv             each medicine as you entered it; medication-doses.csv: each dose period
medication-adherence.csv    for each day you answered: whether you took each medicine
therapies.csv               therapies; therapy-sessions.csv: each session and its note
procedures.csv              procedures (nerve blocks and others) with their relief
neurostimulators.csv        stimulators; programming-changes.csv: each programming change
diagnostic-tests.csv        diagnostic tests and their results
appointments.csv            appointments your clinicians recorded, with their notes and who recorded each
care-team.csv               your consents: each clinician who asked for or has access, status, since when
share-codes.csv             share codes you made: when, until when, used by whom (not the code itself)
flags.csv                   changes the app noticed, with your and your clinician's acknowledgements
detection-setting.csv       how closely the app watches your diary for a worsening, if your care team chose it, and why
access-log.csv              who opened or exported your data, and every change of consent
questionnaires.csv          each questionnaire you answered (PEG, PHQ-9, GAD-7, CRPS Severity Score symptoms)
                            or skipped, and your clinicians' examinations and Budapest checklists: answers
                            (item=value), score, who recorded it
questionnaire-schedules.csv how often each questionnaire is asked, if you or your clinician changed it
safety-alerts.csv           the times a mood answer asked your care team to check on you, and who acknowledged it
fhir.json                   the same record as a FHIR R4 Bundle (a standard format for health records)

Left out: your password (stored only as a hash) and the care team's own working notes on flags.
"""

# One CSV a model: its file name, the model, the patient's rows (a filter), and its columns,
# each a field of the model (foreign keys give the related record's name).
RECORDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "medications.csv": (
        "treatments.Medication",
        "patient",
        (
            "name",
            "drug_class",
            "started_on",
            "stopped_on",
            "stop_reason",
            "side_effects",
            "helped_rating",
            "notes",
            "created_at",
            "updated_at",
        ),
    ),
    "medication-doses.csv": (
        "treatments.MedicationDose",
        "medication__patient",
        ("medication", "amount", "unit", "frequency", "started_on", "stopped_on"),
    ),
    "therapies.csv": (
        "treatments.Therapy",
        "patient",
        (
            "category",
            "modalities",
            "provider",
            "started_on",
            "ended_on",
            "helped_rating",
            "notes",
            "created_at",
            "updated_at",
        ),
    ),
    "therapy-sessions.csv": ("treatments.TherapySession", "therapy__patient", ("therapy", "date", "note")),
    "procedures.csv": (
        "treatments.Procedure",
        "patient",
        (
            "kind",
            "block_type",
            "side",
            "agent",
            "performed_on",
            "performed_by",
            "relief_days",
            "relief_percent",
            "helped_rating",
            "notes",
            "created_at",
            "updated_at",
        ),
    ),
    "neurostimulators.csv": (
        "treatments.Neurostimulator",
        "patient",
        ("device_type", "stage", "implanted_on", "removed_on", "helped_rating", "notes", "created_at", "updated_at"),
    ),
    "programming-changes.csv": ("treatments.ProgrammingChange", "device__patient", ("device", "date", "note")),
    "diagnostic-tests.csv": (
        "treatments.DiagnosticTest",
        "patient",
        ("kind", "performed_on", "result_summary", "helped_rating", "notes", "created_at", "updated_at"),
    ),
    "appointments.csv": ("careteam.Appointment", "patient", ("date", "clinician", "note", "created_at")),
    "care-team.csv": (
        "careteam.CareAccess",
        "patient",
        ("clinician", "status", "created_at", "granted_at", "ended_at"),
    ),
    # The code itself is left out: a live one in a file would let whoever holds the file join the care team.
    "share-codes.csv": ("careteam.ShareCode", "patient", ("created_at", "expires_at", "used_at", "used_by")),
    "questionnaires.csv": (
        "assessments.Response",
        "patient",
        (
            "completed_on",
            "instrument",
            "version",
            "score",
            "skipped",
            "answers",
            "prefilled",
            "site",
            "recorded_by",
            "recorded_at",
        ),
    ),
    "questionnaire-schedules.csv": (
        "assessments.Schedule",
        "patient",
        ("instrument", "every_days", "changed_by", "changed_at"),
    ),
    "safety-alerts.csv": (
        "assessments.SafetyAlert",
        "patient",
        (
            "answered_on",
            "item_answer",
            "total",
            "response",
            "raised_at",
            "clinicians_emailed",
            "acknowledged_at",
            "acknowledged_by",
        ),
    ),
    "detection-setting.csv": ("flags.DetectionSetting", "patient", ("level", "reason", "changed_by", "changed_at")),
}


def _records_csv(patient: User, name: str) -> str:
    from django.apps import apps

    label, owner, columns = RECORDS[name]
    model = apps.get_model(label)
    related = [c for c in columns if model._meta.get_field(c).is_relation]
    rows = model.objects.filter(**{owner: patient}).order_by("pk")
    if related:
        rows = rows.select_related(*related)
    return _csv(columns, ([_cell(row, column) for column in columns] for row in rows))


def _cell(row: models.Model, name: str) -> object:
    """A field's value as the pages show it: choices by their label, a person by name, a record by its name."""
    field = row._meta.get_field(name)
    value = getattr(row, name)
    if value is None:
        return ""
    if isinstance(value, User):
        return value.display_name
    if isinstance(value, models.Model):
        return getattr(value, "name", str(value))
    if isinstance(value, list):
        labels = dict(field.base_field.choices or ()) if hasattr(field, "base_field") else {}
        return LIST_SEPARATOR.join(str(labels.get(v, v)) for v in value)
    if getattr(field, "choices", None):
        return getattr(row, f"get_{name}_display")()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (datetime.date, datetime.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, dict):  # a questionnaire's answers: item=value, in the items' order
        return LIST_SEPARATOR.join(f"{key}={answer}" for key, answer in value.items())
    return value


def _diary_notes_csv(patient: User) -> str:
    from symptoms.models import DiaryEntry

    columns = ("date", "notes", "note_for_clinician", "created_at", "updated_at")
    rows = DiaryEntry.objects.filter(patient=patient).order_by("date").only(*columns)
    return _csv(columns, ([_cell(row, column) for column in columns] for row in rows))


def _csv(header: tuple[str, ...], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([escape_formula(c) if isinstance(c, str) else c for c in row] for row in rows)
    return out.getvalue()


def _profile_csv(patient: User) -> str:
    """The account and the profile: who, where (time zone), the condition, the settings, the questions."""
    profile = PatientProfile.objects.filter(user=patient).first() or PatientProfile(user=patient)
    return _csv(
        (
            "username",
            "first_name",
            "last_name",
            "email",
            "joined",
            "time_zone",
            "birth_year",
            "affected_sites",
            "onset_date",
            "reminder_enabled",
            "reminder_time",
            "reminder_channel",
            "email_flags",
            "flag_channel",
            "quick_log_details",
            "quick_notes",
            "quick_log_one_screen",
            "questions_for_next_appointment",
            "role",
            "email_confirmed",
            "last_login",
            "last_reminded_on",
            "created_at",
            "updated_at",
        ),
        [
            (
                patient.username,
                patient.first_name,
                patient.last_name,
                patient.email,
                patient.date_joined.isoformat(),
                profile.time_zone,
                profile.birth_year or "",
                LIST_SEPARATOR.join(profile.affected_sites),
                profile.onset_date.isoformat() if profile.onset_date else "",
                "yes" if profile.reminder_enabled else "no",
                profile.reminder_time.strftime("%H:%M") if profile.reminder_time else "",
                profile.get_reminder_channel_display(),
                "yes" if profile.email_flags else "no",
                profile.get_flag_channel_display(),
                LIST_SEPARATOR.join(profile.quick_log_details),
                LIST_SEPARATOR.join(profile.quick_notes),
                "yes" if profile.quick_log_one_screen else "no",
                profile.questions_for_clinic,
                patient.get_role_display(),
                "yes" if patient.email_confirmed else "no",
                patient.last_login.isoformat() if patient.last_login else "",
                profile.last_reminded_on.isoformat() if profile.last_reminded_on else "",
                profile.created_at.isoformat() if profile.created_at else "",
                profile.updated_at.isoformat() if profile.updated_at else "",
            )
        ],
    )


def _flags_csv(patient: User) -> str:
    from flags.models import Flag

    return _csv(
        (
            "date",
            "measure",
            "kind",
            "reason",
            "resolved_on",
            "patient_acknowledged_at",
            "patient_note",
            "clinician_acknowledged_at",
            "clinician",
            "clinician_note",
            *FLAG_EVIDENCE,
        ),
        (
            (
                f.date.isoformat(),
                f.measure,
                f.kind,
                f.reason,
                f.resolved_on.isoformat() if f.resolved_on else "",
                f.patient_acknowledged_at.isoformat() if f.patient_acknowledged_at else "",
                f.patient_note,
                f.clinician_acknowledged_at.isoformat() if f.clinician_acknowledged_at else "",
                f.clinician_acknowledged_by.display_name if f.clinician_acknowledged_by else "",
                f.clinician_note,
                *(_cell(f, name) for name in FLAG_EVIDENCE),
            )
            for f in Flag.objects.filter(patient=patient).select_related("clinician_acknowledged_by").order_by("date")
        ),
    )


# The evidence behind a flag, as the review shows it. Never care_team_note: the care team's own note.
FLAG_EVIDENCE = (
    "baseline_mean",
    "baseline_days",
    "recent_mean",
    "recent_days",
    "window_days",
    "change",
    "threshold",
    "notified_at",
    "created_at",
)


def _access_log_csv(patient: User) -> str:
    from .models import AccessLog

    return _csv(
        ("when", "who", "action", "what"),
        (
            (e.at.isoformat(), e.actor.username if e.actor else "(deleted account)", e.action, e.what)
            for e in AccessLog.objects.filter(patient=patient).select_related("actor").order_by("at")
        ),
    )
