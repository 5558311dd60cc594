import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import TODAY, needs, run_at_once, uses_postgresql
from tests.factories import MedicationFactory, PatientFactory, ProcedureFactory, TherapyFactory
from treatments import services
from treatments.models import Medication, MedicationAdherence, Procedure, Therapy

pytestmark = [pytest.mark.usefixtures("frozen_now"), pytest.mark.django_db]
DAY = datetime.timedelta(days=1)


def start(patient, **overrides):
    data = {
        "patient": patient,
        "name": "Gabapentin",
        "drug_class": "anticonvulsant",
        "started_on": TODAY - 30 * DAY,
        "amount": Decimal(300),
        "unit": "mg",
        "frequency": "three_daily",
    }
    data.update(overrides)
    return services.medication_start(**data)


def test_starting_a_medication_records_its_first_dose(patient):
    medication, created = start(patient)
    assert created
    (dose,) = medication.doses.all()
    assert (dose.amount, dose.started_on, dose.stopped_on) == (300, TODAY - 30 * DAY, None)


def test_starting_the_same_medication_twice_is_one_record(patient):
    first, _ = start(patient)
    second, created = start(patient)
    assert not created
    assert second.pk == first.pk
    assert Medication.objects.count() == 1
    assert first.doses.count() == 1


def test_a_dose_change_keeps_the_history(patient):
    medication, _ = start(patient)
    services.medication_change_dose(
        medication=medication, changed_on=TODAY - 10 * DAY, amount=Decimal(600), unit="mg", frequency="three_daily"
    )
    old, new = medication.doses.order_by("started_on")
    assert (old.amount, old.stopped_on) == (300, TODAY - 11 * DAY)
    assert (new.amount, new.started_on, new.stopped_on) == (600, TODAY - 10 * DAY, None)
    assert str(medication.current_dose) == "600 mg three times a day"


def test_a_second_change_on_the_same_day_corrects_it(patient):
    medication, _ = start(patient)
    for amount in (600, 900):
        services.medication_change_dose(
            medication=medication, changed_on=TODAY, amount=Decimal(amount), unit="mg", frequency="three_daily"
        )
    assert [d.amount for d in medication.doses.order_by("started_on")] == [300, 900]


def test_correcting_a_change_back_to_the_previous_dose_on_the_same_day_undoes_it(patient):
    medication, _ = start(patient)
    for amount in (600, 300):
        services.medication_change_dose(
            medication=medication, changed_on=TODAY, amount=Decimal(amount), unit="mg", frequency="three_daily"
        )
    (dose,) = medication.doses.all()
    assert (dose.amount, dose.started_on, dose.stopped_on) == (300, TODAY - 30 * DAY, None)


@pytest.mark.parametrize("changed_on", [TODAY - 10 * DAY, TODAY - 30 * DAY])
def test_a_change_to_the_dose_already_taken_is_refused(patient, changed_on):
    medication, _ = start(patient)
    with pytest.raises(ValidationError, match="That is the dose you already take"):
        services.medication_change_dose(
            medication=medication, changed_on=changed_on, amount=Decimal("300.0"), unit="mg", frequency="three_daily"
        )
    (dose,) = medication.doses.all()
    assert (dose.started_on, dose.stopped_on) == (TODAY - 30 * DAY, None)


def test_a_dose_change_must_follow_the_current_dose_and_not_be_in_the_future(patient):
    medication, _ = start(patient)
    for bad_day in (TODAY - 31 * DAY, TODAY + DAY):
        with pytest.raises(ValidationError):
            services.medication_change_dose(
                medication=medication, changed_on=bad_day, amount=Decimal(1), unit="mg", frequency="once_daily"
            )
    assert medication.doses.count() == 1


def test_stopping_closes_the_last_dose(patient):
    medication, _ = start(patient)
    services.medication_stop(medication=medication, stopped_on=TODAY - 2 * DAY, stop_reason="side_effects")
    medication.refresh_from_db()
    assert (medication.stopped_on, medication.stop_reason) == (TODAY - 2 * DAY, "side_effects")
    assert medication.doses.get().stopped_on == TODAY - 2 * DAY
    with pytest.raises(ValidationError):
        services.medication_change_dose(
            medication=medication, changed_on=TODAY, amount=Decimal(1), unit="mg", frequency="once_daily"
        )


def test_stopping_before_the_start_is_refused(patient):
    medication, _ = start(patient)
    with pytest.raises(ValidationError):
        services.medication_stop(medication=medication, stopped_on=TODAY - 40 * DAY, stop_reason="cost")


def test_nothing_in_the_future_but_a_planned_procedure(patient):
    with pytest.raises(ValidationError):
        start(patient, started_on=TODAY + DAY)
    with pytest.raises(ValidationError):
        services.item_save(Therapy(patient=patient, category="physiotherapy", started_on=TODAY + DAY))
    planned, created = services.item_save(
        Procedure(patient=patient, kind="botulinum_toxin", side="left", performed_on=TODAY + 7 * DAY)
    )
    assert created
    assert planned.performed_on > TODAY


def test_item_save_returns_the_existing_record_on_a_double_submit(patient):
    first, _ = services.item_save(Therapy(patient=patient, category="physiotherapy", started_on=TODAY))
    second, created = services.item_save(Therapy(patient=patient, category="physiotherapy", started_on=TODAY))
    assert not created
    assert second.pk == first.pk


def test_item_save_refuses_an_end_before_the_start(patient):
    therapy = TherapyFactory(patient=patient)
    therapy.ended_on = therapy.started_on - DAY
    with pytest.raises(ValidationError):
        services.item_save(therapy)


def test_the_database_refuses_a_block_type_on_other_procedures(patient):
    procedure = ProcedureFactory.build(patient=patient, kind="other_injection", block_type="stellate_ganglion")
    with pytest.raises(ValidationError, match="could not be saved"):
        services.item_save(procedure)
    assert not Procedure.objects.exists()


def test_adherence_is_recorded_updated_and_cleared(patient):
    medication = MedicationFactory(patient=patient)
    services.adherence_record(patient=patient, day=TODAY, taken={medication.pk: True})
    services.adherence_record(patient=patient, day=TODAY, taken={medication.pk: False})
    assert MedicationAdherence.objects.get().taken is False
    services.adherence_record(patient=patient, day=TODAY, taken={medication.pk: None})
    assert not MedicationAdherence.objects.exists()


def test_adherence_is_recorded_only_within_the_medications_dates(patient):
    medication = MedicationFactory(
        patient=patient, name="Baclofen", started_on=TODAY - 10 * DAY, stopped_on=TODAY - 3 * DAY
    )
    dates = f"{TODAY - 10 * DAY:%-d %b %Y} to {TODAY - 3 * DAY:%-d %b %Y}"
    within = f"Pick a date within the time you took Baclofen: {dates}."
    for day, taken in ((TODAY - 11 * DAY, True), (TODAY - DAY, False)):
        with pytest.raises(ValidationError) as error:
            services.adherence_record(patient=patient, day=day, taken={medication.pk: taken})
        assert error.value.message_dict == {"date": [within]}
    assert not MedicationAdherence.objects.exists()
    services.adherence_record(patient=patient, day=TODAY - 3 * DAY, taken={medication.pk: True})
    assert MedicationAdherence.objects.get().date == TODAY - 3 * DAY


def test_a_stop_before_a_day_it_was_taken_is_refused_and_not_taken_days_after_it_go(patient):
    medication, _ = start(patient)
    for days_ago, taken in ((8, True), (6, False), (4, False)):
        services.adherence_record(patient=patient, day=TODAY - days_ago * DAY, taken={medication.pk: taken})
    with pytest.raises(ValidationError) as error:
        services.medication_stop(medication=medication, stopped_on=TODAY - 9 * DAY, stop_reason="cost")
    assert error.value.message_dict == {
        "stopped_on": [f"Your diary says you took it on {TODAY - 8 * DAY:%-d %b %Y}; pick that day or later."]
    }
    medication.refresh_from_db()
    assert medication.stopped_on is None
    services.medication_stop(medication=medication, stopped_on=TODAY - 8 * DAY, stop_reason="cost")
    assert list(MedicationAdherence.objects.values_list("date", "taken")) == [(TODAY - 8 * DAY, True)]
    assert medication.doses.get().stopped_on == TODAY - 8 * DAY


def test_adherence_refuses_another_patients_medication(patient, other_patient):
    theirs = MedicationFactory(patient=other_patient)
    with pytest.raises(ValidationError):
        services.adherence_record(patient=patient, day=TODAY, taken={theirs.pk: True})
    assert not MedicationAdherence.objects.exists()


# One course of a medicine at a time (the app's medication list knows other names for it)


def test_a_current_medication_under_another_name_is_refused_with_the_one_to_change(patient):
    current, _ = start(patient, name="Gabapentin 600 mg")
    for name in ("gabapentin", "GABAPENTIN", "Neurontin 300 mg"):
        with pytest.raises(services.DuplicateMedication) as refused:
            start(patient, name=name, started_on=TODAY - 2 * DAY)
        assert refused.value.medication == current
        assert f"You already take Gabapentin 600 mg, since {TODAY - 30 * DAY:%-d %b %Y}" in refused.value.messages[0]
        assert "change its dose instead" in refused.value.messages[0]
    with pytest.raises(services.DuplicateMedication) as refused:
        start(patient, name="Neurontin", started_on=TODAY - 2 * DAY)
    assert "since 25 Oct 2026 (Neurontin is gabapentin). To take more" in refused.value.messages[0]
    assert Medication.objects.count() == 1
    start(patient, name="Lyrica")
    with pytest.raises(services.DuplicateMedication) as refused:
        start(patient, name="pregabalin", started_on=TODAY)
    assert "You already take Lyrica, since 25 Oct 2026 (Lyrica is pregabalin)." in refused.value.messages[0]
    with pytest.raises(services.DuplicateMedication) as refused:
        start(patient, name="Alzain", started_on=TODAY)
    assert "(Lyrica and Alzain are both pregabalin)" in refused.value.messages[0]


def test_other_medicines_and_other_patients_are_no_duplicate(patient, other_patient):
    start(patient, name="Gabapentin")
    start(patient, name="Pregabalin", drug_class="")
    start(patient, name="Herbal tea", drug_class="")
    start(other_patient, name="Neurontin")
    assert Medication.objects.filter(patient=patient).count() == 3


def test_an_unknown_medicine_is_a_duplicate_of_itself_with_or_without_a_strength(patient):
    start(patient, name="Herbal tea 2 cups", drug_class="")
    with pytest.raises(services.DuplicateMedication):
        start(patient, name="herbal tea", drug_class="", started_on=TODAY)


def test_a_stopped_medicine_may_start_again_after_its_stop_date(patient):
    first, _ = start(patient, name="Gabapentin")
    services.medication_stop(medication=first, stopped_on=TODAY - 10 * DAY, stop_reason="side_effects")
    with pytest.raises(services.DuplicateMedication) as refused:
        start(patient, name="Neurontin", started_on=TODAY - 10 * DAY)  # the day it was stopped: overlaps
    assert refused.value.medication == first
    assert "You took Gabapentin from" in refused.value.messages[0]
    again, created = start(patient, name="Neurontin", started_on=TODAY - 9 * DAY)
    assert created and again.pk != first.pk and again.is_current
    assert Medication.objects.count() == 2


def test_a_double_submit_of_one_start_is_still_the_same_record(patient):
    first, _ = start(patient, name="Gabapentin")
    second, created = start(patient, name="Gabapentin")
    assert (second.pk, created) == (first.pk, False)


def test_an_edit_may_not_make_two_courses_of_one_medicine_at_once(patient):
    start(patient, name="Gabapentin")
    other, _ = start(patient, name="Baclofen", drug_class="muscle_relaxant")
    with pytest.raises(services.DuplicateMedication):
        services.medication_update(medication=other, name="Neurontin")
    other.refresh_from_db()
    assert other.name == "Baclofen"
    old, _ = start(patient, name="Pregabalin", started_on=TODAY - 400 * DAY)
    services.medication_stop(medication=old, stopped_on=TODAY - 300 * DAY, stop_reason="no_effect")
    services.medication_update(medication=old, name="Lyrica")  # its own record: no duplicate of itself
    assert Medication.objects.get(pk=old.pk).name == "Lyrica"


def test_an_empty_class_comes_from_the_list_and_a_chosen_class_stays(patient):
    lyrica, _ = start(patient, name="Lyrica 75 mg", drug_class="")
    assert lyrica.drug_class == "anticonvulsant"
    chosen, _ = start(patient, name="Amitriptyline", drug_class="other")
    assert chosen.drug_class == "other"
    unknown, _ = start(patient, name="Herbal tea", drug_class="")
    assert unknown.drug_class == ""
    services.medication_update(medication=chosen, drug_class="")
    assert Medication.objects.get(pk=chosen.pk).drug_class == "antidepressant"


@pytest.mark.django_db(transaction=True)
def test_two_names_of_one_medicine_started_at_once_make_one_record():
    needs(uses_postgresql(), "needs PostgreSQL (DATABASE_URL) for real concurrent transactions")
    for _ in range(3):  # a race is not lost every time: give it several chances
        patient = PatientFactory()
        errors = run_at_once(
            lambda who, name: start(who, name=name), [(patient, "Gabapentin"), (patient, "Neurontin")] * 2
        )
        assert Medication.objects.filter(patient=patient).count() == 1
        assert errors and all(isinstance(error, services.DuplicateMedication) for error in errors)
