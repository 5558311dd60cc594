"""The questionnaires and clinical assessments (assessments/) as FHIR R4 resources, for careteam.fhir.

- a Questionnaire for each instrument (assessments.instruments), with its items, answer options, source and
  version, at a canonical URL under QUESTIONNAIRE_BASE;
- a Practitioner for each clinician who recorded an examination or a checklist;
- a QuestionnaireResponse for each completed Response (a skipped one has no answers and is left out);
- an Observation for each score: PHQ-9 and GAD-7 totals with their LOINC codes, the PEG, each CSS part, each
  CRPS Severity Score (a pair of parts: assessments.selectors.css_scores) and each Budapest result, with the
  app's codes (ASSESSMENT_SYSTEM). Codes and URLs: docs/fhir.md.

Two queries, however many answers.
"""

from accounts.models import User
from assessments.instruments import (
    BUDAPEST,
    CSS_SIGNS,
    CSS_SYMPTOMS,
    GAD7,
    HOW_OFTEN,
    INSTRUMENTS,
    PEG,
    PHQ9,
    YES_NO,
    Instrument,
    Item,
    budapest,
)
from assessments.models import Response
from assessments.selectors import css_scores
from symptoms.vocabulary import BodySite

from .fhir import APP_SYSTEM, ASSESSMENT_SYSTEM, LOINC, QUESTIONNAIRE_BASE, SURVEY, _id

EXAM = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "exam"}]}
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
# A CSS symptom the diary suggested and the patient then confirmed (or changed): docs/fhir.md.
SUGGESTED_BY_DIARY = f"{APP_SYSTEM}/StructureDefinition/suggested-by-diary"
UCUM = "http://unitsofmeasure.org"

# LOINC's answer codes for the answer lists the instruments share (LOINC answer lists LL361-7, yes/no, and
# LL358-3, PHQ-9 and GAD-7 frequency).
LOINC_ANSWERS = {
    YES_NO: {1: "LA33-6", 0: "LA32-8"},
    HOW_OFTEN: {0: "LA6568-5", 1: "LA6569-3", 2: "LA6570-1", 3: "LA6571-9"},
}
LOINC_PANELS = {
    PHQ9.code: "PHQ-9 quick depression assessment panel [Reported.PHQ]",
    GAD7.code: "Generalized anxiety disorder 7 item (GAD-7)",
}
LOINC_TOTALS = {
    PHQ9.code: "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
    GAD7.code: "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
}
# The app's codes for the scores without a LOINC code (ASSESSMENT_SYSTEM), as listed in docs/fhir.md.
SCORE_CODES = {
    PEG.code: ("peg", "PEG score: mean of pain, enjoyment of life and general activity (0-10)"),
    CSS_SYMPTOMS.code: ("css-symptoms", "CRPS Severity Score, symptoms reported by the patient (0-8)"),
    CSS_SIGNS.code: ("css-signs", "CRPS Severity Score, signs found at examination (0-9)"),
    BUDAPEST.code: ("budapest-clinical-criteria", "Budapest clinical criteria for CRPS met"),
}
CSS_CODE = ("css", "CRPS Severity Score (0-17)")
BUDAPEST_PARTS = {
    "pain": ("budapest-continuing-pain", "A. Continuing pain disproportionate to any inciting event"),
    "symptoms": ("budapest-symptom-categories", "B. Categories with a symptom reported (of 4)"),
    "signs": ("budapest-sign-categories", "C. Categories with a sign at evaluation (of 4)"),
    "alone": ("budapest-no-better-diagnosis", "D. No other diagnosis better explains the signs and symptoms"),
}


def questionnaire_url(code: str) -> str:
    return f"{QUESTIONNAIRE_BASE}/{code}"


def assessment_resources(patient: User, subject: dict) -> list[dict]:
    """Every instrument's Questionnaire, then the patient's answers and scores."""
    responses = list(
        Response.objects.filter(patient=patient, skipped=False)
        .select_related("recorded_by")
        .order_by("completed_on", "instrument")
    )
    clinicians = {
        r.recorded_by_id: r.recorded_by
        for r in responses
        if r.recorded_by is not None and r.recorded_by_id != patient.pk
    }
    out = [_questionnaire(instrument) for instrument in INSTRUMENTS.values()]
    out += [_practitioner(clinician) for clinician in clinicians.values()]
    for response in responses:
        out.append(_questionnaire_response(response, subject))
        out.append(_score(response, subject))
    out += [_css(score, subject) for score in css_scores(patient)]
    return out


def _coding(system: str, code_display: tuple[str, str]) -> dict:
    return {"system": system, "code": code_display[0], "display": code_display[1]}


def _answer_option(item: Item, value: int, label: str) -> dict:
    """A choice as a LOINC-coded answer carrying its score (ordinalValue), or a number as itself."""
    codes = LOINC_ANSWERS.get(item.choices)
    if codes is None:
        return {"valueInteger": value}
    return {
        "extension": [{"url": ORDINAL_VALUE, "valueDecimal": value}],
        "valueCoding": {"system": LOINC, "code": codes[value], "display": label},
    }


def _answer(item: Item, value: int) -> dict:
    option = _answer_option(item, value, dict(item.choices)[value])
    option.pop("extension", None)
    return option


def _questionnaire(instrument: Instrument) -> dict:
    items: list[dict[str, object]] = [{"linkId": "lead", "text": instrument.lead, "type": "display"}]
    for item in instrument.items:
        items.append(
            {
                "linkId": item.key,
                "text": f"{item.text} ({item.hint})" if item.hint else item.text,
                "type": "integer" if LOINC_ANSWERS.get(item.choices) is None else "choice",
                "required": True,
                "answerOption": [_answer_option(item, value, label) for value, label in item.choices],
            }
        )
    resource = {
        "resourceType": "Questionnaire",
        "id": _id("questionnaire", instrument.code, instrument.version),
        "url": questionnaire_url(instrument.code),
        "version": instrument.version,
        "name": "".join(part.capitalize() for part in instrument.code.split("_")),
        "title": instrument.name,
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "CRPS Tracker",
        "description": " ".join((f"Source: {instrument.source}", *instrument.notes)),
        "item": items,
    }
    if instrument.loinc_panel:
        resource["code"] = [_coding(LOINC, (instrument.loinc_panel, LOINC_PANELS[instrument.code]))]
    return resource


def _practitioner(clinician: User) -> dict:
    name: dict[str, object] = {"text": clinician.display_name}
    if clinician.last_name:
        name["family"] = clinician.last_name
    if clinician.first_name:
        name["given"] = [clinician.first_name]
    return {"resourceType": "Practitioner", "id": _id("practitioner", clinician.pk), "name": [name]}


def _who(response: Response, subject: dict) -> dict:
    """The patient, or the clinician who recorded it (gone: named as such)."""
    if response.recorded_by_id == response.patient_id:
        return subject
    if response.recorded_by_id is None:
        return {"type": "Practitioner", "display": "a former clinician"}
    return {"reference": f"urn:uuid:{_id('practitioner', response.recorded_by_id)}"}


def _response_ref(response: Response) -> dict:
    return {"reference": f"urn:uuid:{_id('questionnaire-response', response.pk)}"}


def _observation_ref(response: Response) -> dict:
    return {"reference": f"urn:uuid:{_id('assessment-score', response.pk)}"}


def _questionnaire_response(response: Response, subject: dict) -> dict:
    instrument = response.definition
    items = []
    for item in instrument.items:
        if item.key not in response.answers:
            continue
        answered = {"linkId": item.key, "text": item.text, "answer": [_answer(item, response.answers[item.key])]}
        if item.key in response.prefilled:
            answered["extension"] = [{"url": SUGGESTED_BY_DIARY, "valueBoolean": True}]
        items.append(answered)
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": _id("questionnaire-response", response.pk),
        "questionnaire": f"{questionnaire_url(instrument.code)}|{response.version}",
        "status": "completed",
        "subject": subject,
        "authored": response.completed_on.isoformat(),
        "author": _who(response, subject),
        "item": items,
    }
    if instrument.who == "patient" and response.recorded_by_id == response.patient_id:
        resource["source"] = subject
    return resource


def _score(response: Response, subject: dict) -> dict:
    """The response's score: a total, a PEG, a CSS part or a Budapest result."""
    instrument = response.definition
    observation: dict[str, object] = {
        "resourceType": "Observation",
        "id": _id("assessment-score", response.pk),
        "status": "final",
        "category": [SURVEY if instrument.who == "patient" else EXAM],
        "subject": subject,
        "effectiveDateTime": response.completed_on.isoformat(),
        "performer": [_who(response, subject)],
        "derivedFrom": [_response_ref(response)],
    }
    if instrument.loinc_total:
        observation["code"] = {
            "coding": [_coding(LOINC, (instrument.loinc_total, LOINC_TOTALS[instrument.code]))],
            "text": f"{instrument.short} total score (0-{instrument.score_max:g})",
        }
    else:
        code = SCORE_CODES[instrument.code]
        observation["code"] = {"coding": [_coding(ASSESSMENT_SYSTEM, code)], "text": code[1]}
    if instrument is BUDAPEST:
        observation.update(_budapest_value(response))
    elif instrument is PEG:
        observation["valueQuantity"] = {"value": response.score, "unit": "score", "system": UCUM, "code": "{score}"}
    else:
        assert response.score is not None  # a completed response: only a skipped one has none
        observation["valueInteger"] = round(response.score)
    if band := instrument.band(response.score):
        observation["interpretation"] = [{"text": f"{band} ({instrument.short} severity band)"}]
    if response.site:
        observation["bodySite"] = {"text": BodySite(response.site).label}
    return observation


def _budapest_value(response: Response) -> dict:
    """Met or not, each criterion as a component, and the clinician's record in words."""
    result = budapest(response.answers)

    def part(key: str, value: dict) -> dict:
        return {"code": {"coding": [_coding(ASSESSMENT_SYSTEM, BUDAPEST_PARTS[key])]}, **value}

    return {
        "valueBoolean": result.met,
        "component": [
            part("pain", {"valueBoolean": result.pain}),
            part("symptoms", {"valueInteger": len(result.symptom_categories)}),
            part("signs", {"valueInteger": len(result.sign_categories)}),
            part("alone", {"valueBoolean": result.no_better_diagnosis}),
        ],
        "note": [{"text": f"{result.summary}. {' '.join(BUDAPEST.notes)}"}],
    }


def _css(score, subject: dict) -> dict:
    """One CRPS Severity Score: the examination's signs with the patient's symptoms (its two parts)."""
    observation = {
        "resourceType": "Observation",
        "id": _id("css", score.signs.pk, score.symptoms.pk),
        "status": "final",
        "category": [EXAM],
        "code": {"coding": [_coding(ASSESSMENT_SYSTEM, CSS_CODE)], "text": CSS_CODE[1]},
        "subject": subject,
        "effectiveDateTime": score.date.isoformat(),
        "performer": [_who(score.signs, subject), subject],
        "valueInteger": score.score,
        "hasMember": [_observation_ref(score.symptoms), _observation_ref(score.signs)],
        "derivedFrom": [_response_ref(score.symptoms), _response_ref(score.signs)],
    }
    if score.signs.site:
        observation["bodySite"] = {"text": BodySite(score.signs.site).label}
    if score.change_words:
        observation["note"] = [{"text": f"{score.change_words[0].upper()}{score.change_words[1:]}."}]
    return observation
