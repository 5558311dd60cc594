"""A patient's full data export: every CSV the app can write about them, in one zip."""

import csv
import io
import zipfile

from accounts.models import User
from symptoms.diary_csv import LIST_SEPARATOR, escape_formula, write_diary_csv
from symptoms.selectors import entries_for_export
from treatments.treatment_csv import adherence_csv, treatments_csv


def full_export_zip(patient: User) -> bytes:
    diary = io.StringIO()
    write_diary_csv(entries_for_export(patient), diary)
    files = {
        "profile.csv": _profile_csv(patient),
        "diary.csv": diary.getvalue(),
        "treatments.csv": treatments_csv(patient),
        "medication-adherence.csv": adherence_csv(patient),
        "flags.csv": _flags_csv(patient),
        "access-log.csv": _access_log_csv(patient),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _csv(header: tuple[str, ...], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([escape_formula(c) if isinstance(c, str) else c for c in row] for row in rows)
    return out.getvalue()


def _profile_csv(patient: User) -> str:
    """The account and the profile: who, where (time zone), the condition, the settings, the questions."""
    from .models import PatientProfile

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
            "email_flags",
            "questions_for_next_appointment",
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
                "yes" if profile.email_flags else "no",
                profile.questions_for_clinic,
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
            )
            for f in Flag.objects.filter(patient=patient).select_related("clinician_acknowledged_by").order_by("date")
        ),
    )


def _access_log_csv(patient: User) -> str:
    from careteam.models import AccessLog

    return _csv(
        ("when", "who", "action", "what"),
        (
            (e.at.isoformat(), e.actor.username if e.actor else "(deleted account)", e.action, e.what)
            for e in AccessLog.objects.filter(patient=patient).select_related("actor").order_by("at")
        ),
    )
