"""The treatment history as CSV (README, "Treatment CSV format")."""

import csv
import io

from accounts.models import User
from lib.spreadsheet import escape_formula

from . import selectors
from .models import MedicationAdherence

TREATMENT_COLUMNS = (
    "record",
    "name",
    "category",
    "start_date",
    "end_date",
    "dose",
    "frequency",
    "details",
    "stop_reason",
    "side_effects",
    "helped_rating",
    "relief_days",
    "relief_percent",
    "notes",
)


def _cell(value) -> object:
    """Free text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    return escape_formula(value) if isinstance(value, str) else value


def _iso(value) -> str:
    return value.isoformat() if value else ""


def treatment_rows(patient: User) -> list[dict]:
    """One row per medication dose period, therapy, session, procedure, device, programming change, test."""
    rows = []
    for med in selectors.medications(patient).order_by("started_on", "name"):
        doses = list(med.doses.all())
        for index, dose in enumerate(doses):
            last = index == len(doses) - 1
            rows.append(
                {
                    "record": "medication",
                    "name": med.name,
                    "category": med.get_drug_class_display(),
                    "start_date": _iso(dose.started_on),
                    "end_date": _iso(dose.stopped_on),
                    "dose": f"{dose.amount_text} {dose.unit}",
                    "frequency": dose.get_frequency_display(),
                    "details": "dose change" if index else "started",
                    "stop_reason": med.get_stop_reason_display() if last and med.stop_reason else "",
                    "side_effects": med.side_effects,
                    "helped_rating": med.helped_rating,
                    "notes": med.notes,
                }
            )
    for therapy in selectors.therapies(patient).order_by("started_on"):
        rows.append(
            {
                "record": "therapy",
                "name": therapy.name,
                "category": therapy.get_category_display(),
                "start_date": _iso(therapy.started_on),
                "end_date": _iso(therapy.ended_on),
                "details": therapy.provider,
                "helped_rating": therapy.helped_rating,
                "notes": therapy.notes,
            }
        )
        rows.extend(
            {"record": "therapy_session", "name": therapy.name, "start_date": _iso(s.date), "notes": s.note}
            for s in therapy.sessions.all()
        )
    for procedure in selectors.procedures(patient).order_by("performed_on"):
        rows.append(
            {
                "record": "procedure",
                "name": procedure.name,
                "category": procedure.get_kind_display(),
                "start_date": _iso(procedure.performed_on),
                "details": "; ".join(x for x in (procedure.agent, procedure.performed_by) if x),
                "helped_rating": procedure.helped_rating,
                "relief_days": procedure.relief_days,
                "relief_percent": procedure.relief_percent,
                "notes": procedure.notes,
            }
        )
    for device in selectors.devices(patient).order_by("implanted_on"):
        rows.append(
            {
                "record": "neurostimulator",
                "name": device.name,
                "category": device.get_device_type_display(),
                "start_date": _iso(device.implanted_on),
                "end_date": _iso(device.removed_on),
                "details": device.get_stage_display(),
                "helped_rating": device.helped_rating,
                "notes": device.notes,
            }
        )
        rows.extend(
            {"record": "programming_change", "name": device.name, "start_date": _iso(c.date), "notes": c.note}
            for c in device.programming_changes.all()
        )
    for test in selectors.diagnostic_tests(patient).order_by("performed_on"):
        rows.append(
            {
                "record": "diagnostic_test",
                "name": test.name,
                "start_date": _iso(test.performed_on),
                "details": test.result_summary,
                "notes": test.notes,
            }
        )
    return rows


def treatments_csv(patient: User) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TREATMENT_COLUMNS, lineterminator="\n", restval="")
    writer.writeheader()
    for row in treatment_rows(patient):
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return out.getvalue()


ADHERENCE_COLUMNS = ("date", "medication", "taken")


def adherence_csv(patient: User) -> str:
    """Every recorded adherence answer, oldest first (no row = not recorded)."""
    rows = (
        MedicationAdherence.objects.filter(medication__patient=patient)
        .order_by("date", "medication__name")
        .values_list("date", "medication__name", "taken")
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ADHERENCE_COLUMNS)
    writer.writerows((day.isoformat(), escape_formula(name), "yes" if taken else "no") for day, name, taken in rows)
    return out.getvalue()
