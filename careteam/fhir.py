"""A patient's data as an HL7 FHIR R4 Bundle (JSON). Pure functions over plain rows.

Patient; diary measures as Observations (pain with LOINC 72514-3, the others with this app's
own code system), and the detail ratings and CRPS signs of each day (codes: docs/fhir.md);
medication dose periods as MedicationStatements; procedures, therapies and stimulator implants as
Procedures; diagnostic tests as DiagnosticReports; flags as Flags; the questionnaires and clinical
assessments as Questionnaires, QuestionnaireResponses and their scores as Observations
(careteam/fhir_questionnaires.py).
"""

import datetime
import uuid

from django.utils import timezone

from accounts.models import User
from accounts.selectors import local_today
from flags.models import Flag
from flags.selectors import flags_with_now, now_sentence
from symptoms.models import DiaryEntry
from symptoms.signs import DETAIL_MEASURE_FIELDS, DETAIL_MEASURES, SIGN_FIELDS, SIGNS, Sign
from symptoms.vocabulary import MEASURES, LimbTemperature, SkinColour, Sweating
from treatments import selectors as treatment_selectors
from treatments.medicines import RXNORM_SYSTEM, find_medicine

APP_SYSTEM = "https://crps-tracker.example/fhir"
MEASURE_SYSTEM = f"{APP_SYSTEM}/CodeSystem/diary-measure"
# The CRPS signs of the diary (symptoms.signs), one code per sign: docs/fhir.md.
SIGN_SYSTEM = f"{APP_SYSTEM}/CodeSystem/crps-sign"
# The scores of the questionnaires and assessments that have no LOINC code (CSS, its parts, PEG, Budapest):
# docs/fhir.md. Each instrument's Questionnaire is at QUESTIONNAIRE_BASE/<instrument code>.
ASSESSMENT_SYSTEM = f"{APP_SYSTEM}/CodeSystem/assessment"
QUESTIONNAIRE_BASE = f"{APP_SYSTEM}/Questionnaire"
LOINC = "http://loinc.org"
PAIN_LOINC = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
NAMESPACE = uuid.UUID("6f1c2b43-7a0e-4e59-9a8c-1c6f4e2d9b10")


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _entry(resource: dict) -> dict:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _period(start: datetime.date | None, end: datetime.date | None) -> dict:
    period = {}
    if start:
        period["start"] = start.isoformat()
    if end:
        period["end"] = end.isoformat()
    return period


def patient_bundle(patient: User) -> dict:
    """Everything about the patient, as a FHIR R4 Bundle of type "collection"."""
    # Imported here: fhir_questionnaires builds on this module's ids and code systems.
    from .fhir_questionnaires import assessment_resources

    patient_id = _id("patient", patient.pk)
    subject = {"reference": f"urn:uuid:{patient_id}"}
    resource = {
        "resourceType": "Patient",
        "id": patient_id,
        "identifier": [{"system": f"{APP_SYSTEM}/username", "value": patient.username}],
        "active": patient.is_active,
    }
    profile = getattr(patient, "patient_profile", None)
    if profile is not None and profile.birth_year:
        resource["birthDate"] = str(profile.birth_year)  # FHIR allows a year alone
    if patient.first_name or patient.last_name:
        name: dict[str, object] = {"family": patient.last_name, "given": [patient.first_name]}
        resource["name"] = [{k: v for k, v in name.items() if v and v != [""]}]
    entries = [_entry(resource)]
    entries += [_entry(r) for r in _observations(patient, subject)]
    entries += [_entry(r) for r in _detail_observations(patient, subject)]
    entries += [_entry(r) for r in _medications(patient, subject)]
    entries += [_entry(r) for r in _procedures(patient, subject)]
    entries += [_entry(r) for r in _reports(patient, subject)]
    entries += [_entry(r) for r in _flags(patient, subject)]
    entries += [_entry(r) for r in assessment_resources(patient, subject)]
    return {
        "resourceType": "Bundle",
        "id": _id("bundle", patient.pk, timezone.now().isoformat()),
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": entries,
    }


def _observations(patient: User, subject: dict) -> list[dict]:
    out = []
    rows = (
        DiaryEntry.objects.filter(patient=patient)
        .order_by("date")
        .values("id", "date", "notes", *(m.name for m in MEASURES))
    )
    for row in rows:
        for measure in MEASURES:
            value = row[measure.name]
            if value is None:
                continue
            if measure.name == "pain":
                code = {"coding": [{"system": LOINC, "code": PAIN_LOINC[0], "display": PAIN_LOINC[1]}], "text": "Pain"}
            else:
                code = {"coding": [{"system": MEASURE_SYSTEM, "code": measure.name, "display": measure.label}]}
                code["text"] = f"{measure.label} (0-10, {'10 = best' if not measure.higher_is_worse else '10 = worst'})"
            observation = {
                "resourceType": "Observation",
                "id": _id("observation", row["id"], measure.name),
                "status": "final",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                "code": "survey",
                            }
                        ]
                    }
                ],
                "code": code,
                "subject": subject,
                "effectiveDateTime": row["date"].isoformat(),
                "valueInteger": value,
            }
            if measure.name == "pain" and row["notes"]:
                observation["note"] = [{"text": row["notes"]}]
            out.append(observation)
    return out


def _medication_concept(name: str) -> dict:
    """The medicine as a CodeableConcept: RxNorm's ingredient code when the app's list knows the
    name and its code (treatments.medicines), and always the name as the patient wrote it."""
    medicine = find_medicine(name)
    if medicine is None or not medicine.rxnorm:
        return {"text": name}
    coding = {"system": RXNORM_SYSTEM, "code": medicine.rxnorm, "display": medicine.rxnorm_display}
    return {"coding": [coding], "text": name}


def _medications(patient: User, subject: dict) -> list[dict]:
    out = []
    for med in treatment_selectors.medications(patient):
        concept = _medication_concept(med.name)
        for dose in med.doses.all():
            ongoing = dose.stopped_on is None
            status = "active" if ongoing else ("stopped" if med.stopped_on == dose.stopped_on else "completed")
            statement = {
                "resourceType": "MedicationStatement",
                "id": _id("medication-dose", dose.pk),
                "status": status,
                "medicationCodeableConcept": concept,
                "subject": subject,
                "effectivePeriod": _period(dose.started_on, dose.stopped_on),
                "dosage": [{"text": str(dose)}],
            }
            if med.drug_class:
                statement["category"] = {"text": med.get_drug_class_display()}
            if status == "stopped" and med.stop_reason:
                statement["statusReason"] = [{"text": med.get_stop_reason_display()}]
            if med.notes or med.side_effects:
                statement["note"] = [
                    {"text": t} for t in (med.notes, f"Side effects: {med.side_effects}") if t and t != "Side effects: "
                ]
            out.append(statement)
    return out


def _procedures(patient: User, subject: dict) -> list[dict]:
    today = timezone.localdate()
    out = []
    for procedure in treatment_selectors.procedures(patient):
        planned = procedure.performed_on > today
        resource = {
            "resourceType": "Procedure",
            "id": _id("procedure", procedure.pk),
            "status": "preparation" if planned else "completed",
            "code": {"text": procedure.name},
            "subject": subject,
            "performedDateTime": procedure.performed_on.isoformat(),
        }
        if procedure.agent or procedure.notes:
            resource["note"] = [
                {"text": t} for t in (procedure.agent and f"Agent: {procedure.agent}", procedure.notes) if t
            ]
        if procedure.performed_by:
            resource["performer"] = [{"actor": {"display": procedure.performed_by}}]
        out.append(resource)
    for therapy in treatment_selectors.therapies(patient):
        out.append(
            {
                "resourceType": "Procedure",
                "id": _id("therapy", therapy.pk),
                "status": "in-progress" if therapy.ended_on is None else "completed",
                "code": {"text": therapy.name},
                "category": {"text": therapy.get_category_display()},
                "subject": subject,
                "performedPeriod": _period(therapy.started_on, therapy.ended_on),
            }
        )
    for device in treatment_selectors.devices(patient):
        out.append(
            {
                "resourceType": "Procedure",
                "id": _id("device", device.pk),
                "status": "completed",
                "code": {"text": f"Implantation: {device.name}"},
                "subject": subject,
                "performedPeriod": _period(device.implanted_on, device.removed_on),
            }
        )
    return out


def _reports(patient: User, subject: dict) -> list[dict]:
    return [
        {
            "resourceType": "DiagnosticReport",
            "id": _id("test", test.pk),
            "status": "final",
            "code": {"text": test.name},
            "subject": subject,
            "effectiveDateTime": test.performed_on.isoformat(),
            **({"conclusion": test.result_summary} if test.result_summary else {}),
        }
        for test in treatment_selectors.diagnostic_tests(patient)
    ]


def _flags(patient: User, subject: dict) -> list[dict]:
    """Each flag with its evidence on the day it was raised and, while open, where the measure stands now
    against the same usual level (as on the pages: flags.selectors.with_now)."""
    flags = flags_with_now(patient, Flag.objects.filter(patient=patient).order_by("date"), local_today(patient))
    return [
        {
            "resourceType": "Flag",
            "id": _id("flag", flag.pk),
            "status": "active" if flag.is_open else "inactive",
            "category": [{"text": "Worsening noticed in the symptom diary"}],
            "code": {
                "text": f"{flag.get_kind_display()}: when raised, {flag.clinical_reason}."
                + (f" {now_sentence(now)}" if (now := getattr(flag, "now", None)) else "")  # set by with_now
            },
            "subject": subject,
            "period": _period(flag.date, flag.resolved_on),
        }
        for flag in flags
    ]


SURVEY = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}]}
# The diary's answer behind a sign drawn from a choice, written beside the sign.
CHOICES = {"skin_colour": SkinColour, "limb_temperature": LimbTemperature, "sweating": Sweating}
# The 0-10 ratings a sign is read from: the sign names its rating's Observation (derivedFrom).
RATED = ("swelling", "spasms", "sleep_quality")


def _detail_observations(patient: User, subject: dict) -> list[dict]:
    """Each logged day's worst pain, sleep quality, anxiety and interference (0-10, valueInteger) and
    each CRPS sign recorded that day (present or not, valueBoolean). One query, whatever the history."""
    rows = (
        DiaryEntry.objects.filter(patient=patient)
        .order_by("date")
        .values("id", "date", *dict.fromkeys((*DETAIL_MEASURE_FIELDS, *SIGN_FIELDS)))
    )
    out = []
    for row in rows:
        for measure in DETAIL_MEASURES:
            if row[measure.name] is None:
                continue
            scale = "10 = worst" if measure.higher_is_worse else "10 = best"
            code = {
                "coding": [{"system": MEASURE_SYSTEM, "code": measure.name, "display": measure.label}],
                "text": f"{measure.label} (0-10, {scale})",
            }
            out.append(_diary_observation(row, measure.name, subject, code, {"valueInteger": row[measure.name]}))
        out.extend(_sign_observation(row, sign, subject) for sign in SIGNS if sign.present(row) is not None)
    return out


def _diary_observation(row: dict, key: str, subject: dict, code: dict, value: dict) -> dict:
    return {
        "resourceType": "Observation",
        "id": _id("observation", row["id"], key),
        "status": "final",
        "category": [SURVEY],
        "code": code,
        "subject": subject,
        "effectiveDateTime": row["date"].isoformat(),
        **value,
    }


def _sign_observation(row: dict, sign: Sign, subject: dict) -> dict:
    code = {
        "coding": [{"system": SIGN_SYSTEM, "code": sign.key, "display": sign.label}],
        "text": f"{sign.label} ({sign.category}): present when {sign.rule}",
    }
    observation = _diary_observation(row, f"sign/{sign.key}", subject, code, {"valueBoolean": sign.present(row)})
    answers: list[str] = [CHOICES[f](row[f]).label for f in sign.fields if f in CHOICES and row[f]]
    if answers:
        observation["note"] = [{"text": f"Recorded as: {'; '.join(answers)}"}]
    sources = [f for f in sign.fields if f in RATED and row[f] is not None]
    if sources:
        # The rating's own Observation: _observations (the five measures) and _detail_observations (sleep).
        observation["derivedFrom"] = [{"reference": f"urn:uuid:{_id('observation', row['id'], f)}"} for f in sources]
    return observation
