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
