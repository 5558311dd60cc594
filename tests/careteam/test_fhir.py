import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from careteam.models import AccessLog
from careteam.services import access_grant
from tests.conftest import login_with_second_factor
from tests.factories import (
    DiagnosticTestFactory,
    DiaryEntryFactory,
    FlagFactory,
    MedicationFactory,
    NeurostimulatorFactory,
    ProcedureFactory,
    TherapyFactory,
)
from treatments.services import medication_change_dose

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_patient(patient):
    DiaryEntryFactory(patient=patient, date=datetime.date(2026, 11, 1), pain=6, mood=None, notes="Cold day")
    DiaryEntryFactory(patient=patient, date=datetime.date(2026, 11, 2))
    med = MedicationFactory(patient=patient, name="Gabapentin", started_on=datetime.date(2026, 9, 1))
    medication_change_dose(
        medication=med, changed_on=datetime.date(2026, 10, 1), amount=600, unit="mg", frequency="three_daily"
    )
    TherapyFactory(patient=patient)
    NeurostimulatorFactory(patient=patient)
    ProcedureFactory(patient=patient, agent="Bupivacaine", performed_by="Dr Okafor")
    DiagnosticTestFactory(patient=patient)
    FlagFactory(patient=patient, date=datetime.date(2026, 11, 2))
    return patient


def test_the_bundle_is_valid_fhir_r4(full_patient):
    from careteam.fhir import patient_bundle

    data = patient_bundle(full_patient)
    bundle = Bundle.model_validate(data)
    kinds = [entry.resource.__resource_type__ for entry in bundle.entry]
    assert kinds.count("Patient") == 1
    # 5 measures + 4 (mood not recorded on 1 Nov), and 2 signs a day from the measures (swelling 3 of 10
    # or more, spasms 3 or more: tremor or dystonia); nothing else of the detail was recorded.
    assert kinds.count("Observation") == 9 + 2 * 2
    assert kinds.count("MedicationStatement") == 2  # one per dose period
    assert kinds.count("Procedure") == 3  # the block, the therapy course, the implant
    assert kinds.count("DiagnosticReport") == 1 and kinds.count("Flag") == 1
    pain = next(
        e.resource
        for e in bundle.entry
        if e.resource.__resource_type__ == "Observation" and e.resource.code.coding[0].code == "72514-3"
    )
    assert pain.code.coding[0].system == "http://loinc.org"
    assert pain.valueInteger == 6 and pain.note[0].text == "Cold day"


def test_patient_and_consented_clinician_can_download_it_and_it_is_logged(client, full_patient, clinician):
    url = reverse("careteam:fhir", kwargs={"patient_id": full_patient.pk})
    client.force_login(full_patient)
    response = client.get(url)
    assert response["Content-Type"] == "application/fhir+json"
    Bundle.model_validate(json.loads(response.content))
    login_with_second_factor(client, clinician)
    assert client.get(url).status_code == 404  # no consent yet
    access_grant(patient=full_patient, clinician_identifier=clinician.username)
    assert client.get(url).status_code == 200
    assert AccessLog.objects.filter(action="exported", actor=clinician).count() == 1


def test_export_fhir_command(full_patient):
    out = io.StringIO()
    call_command("export_fhir", "--patient", full_patient.username, stdout=out)
    Bundle.model_validate(json.loads(out.getvalue()))
    with pytest.raises(CommandError):
        call_command("export_fhir", "--patient", "nobody")


def test_a_medication_of_unknown_class_has_no_category(patient):
    from careteam.fhir import patient_bundle

    MedicationFactory(patient=patient, name="Gabapentin", drug_class="")
    bundle = Bundle.model_validate(patient_bundle(patient))
    (statement,) = [e.resource for e in bundle.entry if e.resource.__resource_type__ == "MedicationStatement"]
    assert statement.category is None


def test_a_medication_on_the_app_list_is_coded_with_rxnorm_and_keeps_its_name(patient):
    from careteam.fhir import patient_bundle

    MedicationFactory(patient=patient, name="Neurontin 300 mg")
    bundle = Bundle.model_validate(patient_bundle(patient))
    (statement,) = [e.resource for e in bundle.entry if e.resource.__resource_type__ == "MedicationStatement"]
    concept = statement.medicationCodeableConcept
    (coding,) = concept.coding
    assert (coding.system, coding.code, coding.display) == (
        "http://www.nlm.nih.gov/research/umls/rxnorm",
        "25480",
        "gabapentin",
    )
    assert concept.text == "Neurontin 300 mg"


def test_a_medication_the_list_does_not_know_or_has_no_code_for_is_text_only(patient):
    from careteam.fhir import patient_bundle

    MedicationFactory(patient=patient, name="Herbal tea", started_on=datetime.date(2026, 10, 1))
    MedicationFactory(patient=patient, name="Calcitonin", started_on=datetime.date(2026, 10, 2))  # no code known
    bundle = Bundle.model_validate(patient_bundle(patient))
    concepts = [
        e.resource.medicationCodeableConcept
        for e in bundle.entry
        if e.resource.__resource_type__ == "MedicationStatement"
    ]
    assert sorted(c.text for c in concepts) == ["Calcitonin", "Herbal tea"]
    assert all(c.coding is None for c in concepts)


def observations(bundle) -> dict:
    """The bundle's Observations by (system, code)."""
    found = {}
    for entry in bundle.entry:
        resource = entry.resource
        if resource.__resource_type__ == "Observation":
            coding = resource.code.coding[0]
            found.setdefault((coding.system, coding.code), []).append(resource)
    return found


def test_the_detail_ratings_and_the_crps_signs_are_observations_with_the_apps_codes(patient):
    from careteam.fhir import MEASURE_SYSTEM, SIGN_SYSTEM, patient_bundle

    DiaryEntryFactory(
        patient=patient,
        date=datetime.date(2026, 11, 3),
        swelling=2,
        spasms=1,
        worst_pain=9,
        sleep_quality=2,
        anxiety=6,
        interference=7,
        allodynia=True,
        tremor=False,
        spasm_episodes=0,
        skin_colour="blue_purple",
        limb_temperature="colder",
        sweating="normal",
    )
    bundle = Bundle.model_validate(patient_bundle(patient))
    found = observations(bundle)
    assert MEASURE_SYSTEM == "https://crps-tracker.example/fhir/CodeSystem/diary-measure"
    assert SIGN_SYSTEM == "https://crps-tracker.example/fhir/CodeSystem/crps-sign"
    (worst,) = found[(MEASURE_SYSTEM, "worst_pain")]
    assert worst.valueInteger == 9 and worst.code.text == "Worst pain (0-10, 10 = worst)"
    assert str(worst.effectiveDateTime) == "2026-11-03" and worst.category[0].coding[0].code == "survey"
    (sleep,) = found[(MEASURE_SYSTEM, "sleep_quality")]
    assert sleep.valueInteger == 2 and sleep.code.text == "Sleep quality (0-10, 10 = best)"
    assert found[(MEASURE_SYSTEM, "anxiety")][0].valueInteger == 6
    assert found[(MEASURE_SYSTEM, "interference")][0].valueInteger == 7
    signs = {code: obs.valueBoolean for (system, code), (obs,) in found.items() if system == SIGN_SYSTEM}
    assert signs == {
        "allodynia": True,
        "temperature_difference": True,
        "skin_colour_change": True,
        "sweating_change": False,
        "swelling": False,  # 2 of 10: under the 3 a swollen day needs
        "tremor_or_dystonia": False,  # no tremor, no episode, spasms 1
        "poor_sleep": True,
    }
    (skin,) = found[(SIGN_SYSTEM, "skin_colour_change")]
    assert skin.note[0].text == "Recorded as: Blue / purple"
    assert skin.code.text == (
        "Skin colour change (Vasomotor): present when skin colour red, pale, mottled or blue/purple"
    )
    # A sign read from a rating points at the rating's own Observation in the bundle.
    urls = {entry.fullUrl for entry in bundle.entry}
    (poor_sleep,) = found[(SIGN_SYSTEM, "poor_sleep")]
    assert [r.reference for r in poor_sleep.derivedFrom] == [f"urn:uuid:{sleep.id}"]
    (motor,) = found[(SIGN_SYSTEM, "tremor_or_dystonia")]
    assert len(motor.derivedFrom) == 1 and motor.derivedFrom[0].reference in urls  # the spasms rating
    assert all(r.reference in urls for obs in found.values() for o in obs for r in (o.derivedFrom or []))


def test_a_detail_or_sign_not_recorded_is_no_observation(patient):
    from careteam.fhir import MEASURE_SYSTEM, SIGN_SYSTEM, patient_bundle

    DiaryEntryFactory(patient=patient, date=datetime.date(2026, 11, 3), swelling=None, spasms=None)
    found = observations(Bundle.model_validate(patient_bundle(patient)))
    assert not [code for code in found if code[0] == SIGN_SYSTEM]
    assert not [code for code in found if code[0] == MEASURE_SYSTEM and code[1] in ("worst_pain", "sleep_quality")]


def test_the_export_reads_as_many_queries_for_2_days_as_for_3_years(full_patient):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from careteam.fhir import patient_bundle

    patient = full_patient  # 2 days logged, and one of each treatment and a flag
    with CaptureQueriesContext(connection) as short:
        patient_bundle(patient)
    for d in range(3, 3 * 365):
        DiaryEntryFactory(
            patient=patient, date=datetime.date(2026, 11, 3) - datetime.timedelta(days=d), allodynia=True, anxiety=4
        )
    with CaptureQueriesContext(connection) as long:
        data = patient_bundle(patient)
    assert len(long.captured_queries) == len(short.captured_queries)
    assert sum(1 for e in data["entry"] if e["resource"]["resourceType"] == "Observation") > 3 * 365 * 5


def test_the_patient_carries_their_year_of_birth_when_given_and_a_flag_its_then_and_now(full_patient):
    from careteam.fhir import patient_bundle

    def resource(kind):
        return next(
            e["resource"] for e in patient_bundle(full_patient)["entry"] if e["resource"]["resourceType"] == kind
        )

    assert "birthDate" not in resource("Patient")
    full_patient.patient_profile.birth_year = 1982
    full_patient.patient_profile.save()
    data = patient_bundle(full_patient)
    Bundle.model_validate(data)  # a year alone is a valid FHIR date
    assert resource("Patient")["birthDate"] == "1982"
    # The open flag: its evidence when raised, then where the measure stands now against the same usual level.
    text = resource("Flag")["code"]["text"]
    assert "when raised, Pain" in text and "Now: " in text


# The questionnaires and clinical assessments (careteam/fhir_questionnaires.py).

DAY = datetime.date(2026, 11, 2)


def answered(instrument, *values) -> dict:
    return {item.key: value for item, value in zip(instrument.items, values, strict=True)}


def record(patient, by, code, values, on, **extra):
    from assessments.instruments import INSTRUMENTS
    from assessments.services import response_record

    answers = answered(INSTRUMENTS[code], *values)
    return response_record(patient=patient, code=code, answers=answers, completed_on=on, recorded_by=by, **extra)


@pytest.fixture
def assessed_patient(patient, clinician):
    from assessments.services import response_skip

    clinician.first_name, clinician.last_name = "Sam", "Okafor"
    clinician.save()
    record(patient, patient, "phq9", (2, 2, 1, 1, 1, 1, 1, 1, 0), DAY)  # 10: moderate
    record(patient, patient, "gad7", (1, 1, 1, 1, 1, 1, 0), DAY)  # 6: mild
    record(patient, patient, "peg", (6, 5, 7), DAY)  # 6.0
    response_skip(patient=patient, code="peg", today=DAY + datetime.timedelta(days=7))
    symptoms = (1, 0, 1, 0, 1, 0, 1, 1)  # 5 of 8
    record(patient, patient, "css_symptoms", symptoms, DAY, prefilled=["skin_colour_asymmetry", "motor_changes"])
    signs = (1, 1, 0, 1, 1, 0, 0, 1, 1)  # 6 of 9
    record(patient, clinician, "css_signs", signs, DAY + datetime.timedelta(days=3), site="right_hand")
    record(patient, clinician, "budapest", (1, 1, 1, 1, 0, 1, 0, 1, 1, 1), DAY + datetime.timedelta(days=3))
    return patient


def resources(bundle, kind) -> list:
    return [e.resource for e in bundle.entry if e.resource.__resource_type__ == kind]


def scores(bundle) -> dict:
    """The bundle's score Observations by their code."""
    from careteam.fhir import ASSESSMENT_SYSTEM

    found = {}
    for (system, code), obs in observations(bundle).items():
        if system in (ASSESSMENT_SYSTEM, "http://loinc.org") and code != "72514-3":
            found[code] = obs
    return found


def test_each_instrument_is_a_questionnaire_with_its_items_answer_options_source_and_version(patient):
    from assessments.instruments import INSTRUMENTS, PHQ9
    from careteam.fhir import patient_bundle

    bundle = Bundle.model_validate(patient_bundle(patient))
    questionnaires = {q.url: q for q in resources(bundle, "Questionnaire")}
    base = "https://crps-tracker.example/fhir/Questionnaire"
    assert set(questionnaires) == {f"{base}/{code}" for code in INSTRUMENTS}
    phq9 = questionnaires[f"{base}/phq9"]
    assert (phq9.version, phq9.status, phq9.title) == ("1999", "active", PHQ9.name)
    assert "Kroenke K, Spitzer RL, Williams JBW" in phq9.description
    assert [(c.system, c.code) for c in phq9.code] == [("http://loinc.org", "44249-1")]
    lead, *items = phq9.item
    assert lead.type == "display" and lead.text == PHQ9.lead
    assert [i.linkId for i in items] == [i.key for i in PHQ9.items]
    assert all(i.type == "choice" and i.required for i in items)
    options = items[8].answerOption  # thoughts of self-harm
    assert [(o.valueCoding.code, o.valueCoding.display) for o in options] == [
        ("LA6568-5", "Not at all"),
        ("LA6569-3", "Several days"),
        ("LA6570-1", "More than half the days"),
        ("LA6571-9", "Nearly every day"),
    ]
    assert [o.extension[0].valueDecimal for o in options] == [0, 1, 2, 3]  # each answer's score (ordinalValue)
    gad7 = questionnaires[f"{base}/gad7"]
    assert [c.code for c in gad7.code] == ["69737-5"] and gad7.version == "2006"
    css = questionnaires[f"{base}/css_signs"]
    assert css.code is None and "Pain 2010;151:870-876" in css.description
    assert [o.valueCoding.code for o in css.item[1].answerOption] == ["LA33-6", "LA32-8"]  # yes, no
    peg = questionnaires[f"{base}/peg"]
    assert peg.item[1].type == "integer" and [o.valueInteger for o in peg.item[1].answerOption] == list(range(11))
    assert "0 = no pain, 10 = pain as bad as you can imagine" in peg.item[1].text
    assert "never a diagnosis by the app" in questionnaires[f"{base}/budapest"].description


def test_each_completed_response_is_a_questionnaire_response_and_each_score_an_observation(assessed_patient):
    from careteam.fhir import ASSESSMENT_SYSTEM, patient_bundle

    bundle = Bundle.model_validate(patient_bundle(assessed_patient))
    assert ASSESSMENT_SYSTEM == "https://crps-tracker.example/fhir/CodeSystem/assessment"
    urls = {entry.fullUrl: entry.resource for entry in bundle.entry}
    (patient_entry,) = [e for e in bundle.entry if e.resource.__resource_type__ == "Patient"]
    (practitioner,) = resources(bundle, "Practitioner")
    assert practitioner.name[0].text == "Sam Okafor" and practitioner.name[0].family == "Okafor"
    doctor = f"urn:uuid:{practitioner.id}"
    # Six answered; the skipped PEG is no answer.
    answers = {r.questionnaire.split("/")[-1]: r for r in resources(bundle, "QuestionnaireResponse")}
    assert len(resources(bundle, "QuestionnaireResponse")) == 6
    assert set(answers) == {
        "phq9|1999",
        "gad7|2006",
        "peg|2009",
        "css_symptoms|2010",
        "css_signs|2010",
        "budapest|2010",
    }
    phq9 = answers["phq9|1999"]
    assert phq9.status == "completed" and str(phq9.authored) == "2026-11-02"
    assert phq9.author.reference == patient_entry.fullUrl == phq9.subject.reference == phq9.source.reference
    assert [i.answer[0].valueCoding.code for i in phq9.item] == [
        "LA6570-1",
        "LA6570-1",
        *["LA6569-3"] * 6,
        "LA6568-5",
    ]
    assert [i.answer[0].valueInteger for i in answers["peg|2009"].item] == [6, 5, 7]
    signs, checklist = answers["css_signs|2010"], answers["budapest|2010"]
    assert signs.author.reference == doctor and checklist.author.reference == doctor and signs.source is None
    assert str(signs.authored) == "2026-11-05"
    suggested = [i.linkId for i in answers["css_symptoms|2010"].item if i.extension]
    assert suggested == ["skin_colour_asymmetry", "motor_changes"]
    assert answers["css_symptoms|2010"].item[2].extension[0].url.endswith("/StructureDefinition/suggested-by-diary")
    # The scores.
    found = scores(bundle)
    (phq9_total,) = found["44261-6"]
    assert phq9_total.valueInteger == 10 and phq9_total.interpretation[0].text.startswith("moderate")
    assert phq9_total.derivedFrom[0].reference == f"urn:uuid:{phq9.id}"
    assert phq9_total.category[0].coding[0].code == "survey"
    (gad7_total,) = found["70274-6"]
    assert gad7_total.valueInteger == 6 and gad7_total.interpretation[0].text.startswith("mild")
    (peg,) = found["peg"]
    assert float(peg.valueQuantity.value) == 6.0 and peg.valueQuantity.code == "{score}"
    (symptoms,), (exam,), (css,) = found["css-symptoms"], found["css-signs"], found["css"]
    assert (symptoms.valueInteger, exam.valueInteger, css.valueInteger) == (5, 6, 11)
    assert exam.bodySite.text == "Right hand / wrist" and exam.performer[0].reference == doctor
    assert exam.category[0].coding[0].code == "exam" and str(css.effectiveDateTime) == "2026-11-05"
    assert [urls[m.reference] for m in css.hasMember] == [symptoms, exam]
    assert [urls[r.reference].questionnaire.split("/")[-1] for r in css.derivedFrom] == [
        "css_symptoms|2010",
        "css_signs|2010",
    ]
    assert css.note is None  # the first score: nothing to compare with
    (budapest,) = found["budapest-clinical-criteria"]
    assert budapest.valueBoolean is True and budapest.performer[0].reference == doctor
    parts = {c.code.coding[0].code: (c.valueBoolean, c.valueInteger) for c in budapest.component}
    assert parts == {
        "budapest-continuing-pain": (True, None),
        "budapest-symptom-categories": (None, 3),  # motor not reported
        "budapest-sign-categories": (None, 3),  # vasomotor not found
        "budapest-no-better-diagnosis": (True, None),
    }
    assert budapest.note[0].text.startswith("Budapest clinical criteria met: ")
    # Every reference the new resources make is in the bundle.
    scored = resources(bundle, "Observation")
    references = [r.reference for o in scored for r in (o.derivedFrom or []) + (o.hasMember or [])]
    references += [o.performer[0].reference for o in scored if o.performer]
    references += [r.author.reference for r in resources(bundle, "QuestionnaireResponse")]
    assert references and all(reference in urls for reference in references)


def test_a_css_change_is_stated_against_the_real_change_rule(assessed_patient, clinician):
    from careteam.fhir import patient_bundle

    later = DAY + datetime.timedelta(days=90)
    record(assessed_patient, assessed_patient, "css_symptoms", (1,) * 8, later)
    record(assessed_patient, clinician, "css_signs", (1, 1, 1, 1, 1, 1, 0, 1, 1), later)  # 8 + 8: up 5
    found = scores(Bundle.model_validate(patient_bundle(assessed_patient)))
    first, second = sorted(found["css"], key=lambda o: str(o.effectiveDateTime))
    assert (first.valueInteger, second.valueInteger) == (11, 16)
    assert second.note[0].text == "Up 5 since 5 Nov 2026: a real change."


def test_an_examination_by_a_clinician_since_deleted_is_still_valid_and_says_so(assessed_patient, clinician):
    from careteam.fhir import patient_bundle

    clinician.delete()
    bundle = Bundle.model_validate(patient_bundle(assessed_patient))
    assert resources(bundle, "Practitioner") == []
    (exam,) = scores(bundle)["css-signs"]
    assert exam.performer[0].display == "a former clinician" and exam.performer[0].reference is None


def test_a_care_team_only_note_never_appears_beside_the_assessments(assessed_patient, clinician):
    from careteam.fhir import patient_bundle

    FlagFactory(patient=assessed_patient, care_team_note="Care team only: private", clinician_acknowledged_by=clinician)
    text = json.dumps(patient_bundle(assessed_patient))
    assert "Questionnaire" in text and "Care team only" not in text


def test_the_assessments_export_in_as_many_queries_for_one_as_for_years_of_them(assessed_patient, clinician):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from careteam.fhir import patient_bundle

    with CaptureQueriesContext(connection) as few:
        patient_bundle(assessed_patient)
    for week in range(1, 150):
        on = DAY - datetime.timedelta(days=7 * week)
        record(assessed_patient, assessed_patient, "peg", (5, 5, 5), on)
        if week % 13 == 0:
            record(assessed_patient, assessed_patient, "css_symptoms", (1,) * 8, on)
            record(assessed_patient, clinician, "css_signs", (1,) * 9, on)
    with CaptureQueriesContext(connection) as many:
        data = patient_bundle(assessed_patient)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert sum(1 for e in data["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse") == 6 + 149 + 22
