# ruff: noqa: RUF001  (the wording on screen writes a range of days with an en dash)
"""What changed in treatment and how often each medication was taken, for the pre-appointment report."""

import datetime

import pytest

from tests.conftest import TODAY
from tests.factories import (
    DiagnosticTestFactory,
    DiaryEntryFactory,
    MedicationFactory,
    NeurostimulatorFactory,
    ProcedureFactory,
    TherapyFactory,
)
from treatments import selectors, services
from treatments.models import MedicationAdherence, ProgrammingChange

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
DAY = datetime.timedelta(days=1)
SINCE = TODAY - 90 * DAY


def history(patient, *, copies: int, first: int = 0) -> None:
    """`copies` of a set of treatments, each 60 days further back, to show that the queries do not grow
    with the history."""
    for n in range(first, first + copies):
        long_ago = SINCE - (400 + 60 * n) * DAY
        MedicationFactory(patient=patient, started_on=long_ago, stopped_on=long_ago + 20 * DAY)
        TherapyFactory(patient=patient, started_on=long_ago, ended_on=long_ago + 30 * DAY)
        ProcedureFactory(patient=patient, performed_on=long_ago)
        device = NeurostimulatorFactory(patient=patient, implanted_on=long_ago, removed_on=long_ago + 7 * DAY)
        ProgrammingChange.objects.create(device=device, date=long_ago + 2 * DAY, note="Lower amplitude")
        DiagnosticTestFactory(patient=patient, performed_on=long_ago)
        DiaryEntryFactory(patient=patient, date=long_ago)


def test_treatment_changes_lists_each_event_of_the_period_with_its_window_rating_and_relief(patient, other_patient):
    gabapentin = MedicationFactory(patient=patient, name="Gabapentin", started_on=SINCE - 100 * DAY, helped_rating=6)
    services.medication_change_dose(
        medication=gabapentin, changed_on=SINCE + 5 * DAY, amount=600, unit="mg", frequency="three_daily"
    )
    ibuprofen = MedicationFactory(patient=patient, name="Ibuprofen", started_on=SINCE - 30 * DAY, helped_rating=2)
    services.medication_stop(medication=ibuprofen, stopped_on=SINCE + 10 * DAY, stop_reason="side_effects")
    TherapyFactory(patient=patient, started_on=SINCE + 20 * DAY, ended_on=SINCE + 60 * DAY, helped_rating=5)
    block = ProcedureFactory(
        patient=patient, performed_on=TODAY - 13 * DAY, helped_rating=3, relief_days=4, relief_percent=50
    )
    trial = NeurostimulatorFactory(patient=patient, implanted_on=SINCE + 30 * DAY, removed_on=SINCE + 37 * DAY)
    ProgrammingChange.objects.create(device=trial, date=SINCE + 33 * DAY, note="Wider field")
    ProcedureFactory(patient=patient, kind="botulinum_toxin", block_type="", performed_on=TODAY + 8 * DAY)  # planned
    DiagnosticTestFactory(patient=patient, performed_on=SINCE + 3 * DAY)  # a test, no treatment
    MedicationFactory(patient=patient, name="Before the period", started_on=SINCE - DAY)
    MedicationFactory(patient=other_patient, name="Theirs", started_on=SINCE + 5 * DAY)
    # The block: pain 8 in the 7 days before, 6 in days 1-7 after; the day itself not read.
    for offset in range(1, 8):
        DiaryEntryFactory(patient=patient, date=block.performed_on - offset * DAY, pain=8)
        DiaryEntryFactory(patient=patient, date=block.performed_on + offset * DAY, pain=6)

    changes = selectors.treatment_changes(patient, since=SINCE, today=TODAY)

    assert [(event.date - SINCE).days for event in changes] == [5, 10, 20, 30, 33, 37, 60, 77]
    assert [event.title for event in changes] == [
        "Gabapentin dose changed",
        "Stopped Ibuprofen",
        "Started physiotherapy (mirror therapy)",
        "Implanted spinal cord stimulator (trial)",
        "Spinal cord stimulator (trial) reprogrammed",
        "Removed spinal cord stimulator (trial)",
        "Finished physiotherapy (mirror therapy)",
        "Stellate ganglion nerve block (right)",
    ]
    by_title = {event.title: event for event in changes}
    # The record's own rating, once: on its first event in the period.
    assert by_title["Gabapentin dose changed"].helped_rating == 6
    assert by_title["Stopped Ibuprofen"].helped_rating == 2
    assert by_title["Started physiotherapy (mirror therapy)"].helped_rating == 5
    assert by_title["Finished physiotherapy (mirror therapy)"].helped_rating is None
    assert by_title["Spinal cord stimulator (trial) reprogrammed"].helped_rating is None
    # Each treatment event with a window carries what the diary shows, its window named.
    dose = by_title["Gabapentin dose changed"].response
    assert dose.window.words == "days 15–42 after the dose change against the 14 days before"
    assert by_title["Started physiotherapy (mirror therapy)"].response.window.words == (
        "the last 2 weeks of the course against the 2 weeks before the course"
    )
    assert by_title["Implanted spinal cord stimulator (trial)"].response.window.after_words == (
        "the trial (days 1–6 after the implant)"
    )
    assert by_title["Stopped Ibuprofen"].response is None
    assert by_title["Spinal cord stimulator (trial) reprogrammed"].response is None
    nerve_block = by_title["Stellate ganglion nerve block (right)"]
    assert nerve_block.relief == "50 % relief for 4 days"
    assert nerve_block.helped_rating == 3
    assert nerve_block.response.sentences == [
        "Pain was 2.0 lower in days 1–7 after the block than in the 7 days before (a clinically important difference)."
    ]


def test_treatment_changes_takes_the_same_queries_for_a_short_and_a_long_history(patient, django_assert_num_queries):
    history(patient, copies=1)
    # Four kinds of record, three with their children (doses, sessions, programming changes), then the diary.
    with django_assert_num_queries(8):
        selectors.treatment_changes(patient, since=SINCE - 500 * DAY, today=TODAY)
    history(patient, copies=20, first=1)
    with django_assert_num_queries(8):
        changes = selectors.treatment_changes(patient, since=SINCE - 2000 * DAY, today=TODAY)
    # Per copy: a medication started and stopped, a therapy started and ended, a procedure, a trial implanted,
    # reprogrammed and removed; the test is no treatment.
    assert len(changes) == 21 * 8


def test_adherence_by_medication_counts_the_days_taken_among_the_days_logged(
    patient, other_patient, django_assert_num_queries
):
    start, end = TODAY - 27 * DAY, TODAY
    baclofen = MedicationFactory(patient=patient, name="Baclofen", started_on=start - 40 * DAY)
    gabapentin = MedicationFactory(patient=patient, name="Gabapentin", started_on=TODAY - 9 * DAY)
    MedicationFactory(patient=patient, name="Stopped before", started_on=start - 60 * DAY, stopped_on=start - DAY)
    stopped_within = MedicationFactory(
        patient=patient, name="Amitriptyline", started_on=start - 60 * DAY, stopped_on=start + 4 * DAY
    )
    theirs = MedicationFactory(patient=other_patient, name="Theirs", started_on=start - 60 * DAY)
    # Baclofen: 14 days answered in the period, taken on 12; one answer before it (not counted).
    for offset in range(14):
        MedicationAdherence.objects.create(medication=baclofen, date=end - offset * DAY, taken=offset not in (3, 9))
    MedicationAdherence.objects.create(medication=baclofen, date=start - DAY, taken=False)
    MedicationAdherence.objects.create(medication=stopped_within, date=start, taken=True)
    MedicationAdherence.objects.create(medication=theirs, date=end, taken=False)

    with django_assert_num_queries(2):
        rows = selectors.adherence_by_medication(patient, start=start, end=end)

    assert [(row.medication.name, row.days_on, row.logged, row.taken, row.percent) for row in rows] == [
        ("Amitriptyline", 5, 1, 1, 100),
        ("Baclofen", 28, 14, 12, 86),
        ("Gabapentin", 10, 0, 0, None),
    ]
    assert [row.words for row in rows] == [
        "taken on 1 of 1 logged day, 100 %",
        "taken on 12 of 14 logged days, 86 %",
        "not logged",
    ]
    assert gabapentin.pk == rows[2].medication.pk


def test_adherence_takes_two_queries_however_long_the_history(patient, django_assert_num_queries):
    medications = [MedicationFactory(patient=patient, started_on=TODAY - 400 * DAY) for _ in range(5)]
    for medication in medications:
        MedicationAdherence.objects.bulk_create(
            MedicationAdherence(medication=medication, date=TODAY - offset * DAY, taken=True) for offset in range(300)
        )
    with django_assert_num_queries(2):
        rows = selectors.adherence_by_medication(patient, start=TODAY - 399 * DAY, end=TODAY)
    assert [row.logged for row in rows] == [300] * 5
