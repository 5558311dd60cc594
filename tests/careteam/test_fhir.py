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
    assert kinds.count("Observation") == 9  # 5 measures + 4 (mood not recorded on 1 Nov)
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
