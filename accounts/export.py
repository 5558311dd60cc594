"""A patient's full data export: every CSV the app can write about them, in one zip."""

import csv
import io
import zipfile

from accounts.models import User
from symptoms.diary_csv import escape_formula, write_diary_csv
from symptoms.selectors import entries_for_export
from treatments.treatment_csv import adherence_csv, treatments_csv


def full_export_zip(patient: User) -> bytes:
    diary = io.StringIO()
    write_diary_csv(entries_for_export(patient), diary)
    files = {
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
