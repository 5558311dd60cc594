"""The fast sweep finds exactly the flags of a full replay by the reference rule, in a fixed number of queries."""

import dataclasses
import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from flags import detection, tasks
from flags.detection import (
    ISSUE_9,
    PARAMETERS,
    SETTINGS,
    detect_many,
    detect_patient,
    detect_patient_reference,
    diary_table,
)
from flags.models import Flag, PendingEvaluation
from flags.scheduling import mark_for_evaluation
from flags.services import worsening_scan_chunk
from flags.simulation import MEASURE_NAMES, USERS, simulate_patient
from symptoms.models import DiaryEntry
from tests.conftest import TODAY, needs, uses_postgresql
from tests.factories import PatientFactory

KINDS = ("sustained", "gradual", "new_sign", "mood_drop", "flare", None)
EVIDENCE = (
    "measure",
    "kind",
    "date",
    "baseline_mean",
    "baseline_days",
    "recent_mean",
    "recent_days",
    "window_days",
    "change",
    "threshold",
    "resolved_on",
)


def _simulated(count, *, seed, days=180):
    rng = random.Random(seed)
    return [simulate_patient(rng, days=days, event_kind=KINDS[n % len(KINDS)]) for n in range(count)]


def _shifted(daily, until):
    """The simulated diary moved so that its last day is `until`."""
    offset = until - max(daily)
    return {day + offset: values for day, values in daily.items()}


def _typed(episodes):
    """Every field of every episode with its type, so that 2 == 2.0 or a numpy number cannot pass."""
    return [
        [(name, type(value), value) for name, value in vars(episode).items() if name != "evidence"]
        + [(name, type(value), value) for name, value in vars(episode.evidence).items()]
        for episode in episodes
    ]


@pytest.mark.parametrize(
    ("level", "count", "least"), [("standard", 500, 300), ("quiet", 100, 30), ("sensitive", 150, 150)]
)
def test_simulated_patients_get_exactly_the_reference_episodes_at_every_setting(level, count, least):
    """Each of the care team's settings (flags.detection.SETTINGS)."""
    until = datetime.date(2026, 6, 30)
    found = 0
    p = SETTINGS[level]
    for patient in _simulated(count, seed=17):
        daily = _shifted(patient.daily, until)
        reference = detect_patient_reference(daily, MEASURE_NAMES, until=until, p=p)
        assert _typed(detect_patient(daily, MEASURE_NAMES, until=until, p=p)) == _typed(reference)
        found += len(reference)
    assert found > least  # events of every kind, false alarms and resolutions among them


def test_longer_diaries_looser_rules_and_gaps_give_the_reference_episodes_too():
    """A year and a half, several noise multiples (many more episodes), a measure left out for weeks,
    and replays that stop before or after the last entry."""
    rng = random.Random(5)
    found = 0
    for n, patient in enumerate(_simulated(60, seed=23, days=548)):
        daily = patient.daily
        if n % 3 == 0:
            for day in sorted(daily)[:60]:
                daily[day] = {**daily[day], "swelling": None}
        until = max(daily) + datetime.timedelta(days=rng.choice((-40, 0, 6)))
        # The standard setting, or the method before it (issue 9: no noise prior), at several multiples.
        p = dataclasses.replace(rng.choice((PARAMETERS, ISSUE_9)), z=rng.choice((3.2, 2.2, 1.5)))
        reference = detect_patient_reference(daily, MEASURE_NAMES, until=until, p=p)
        assert _typed(detect_patient(daily, MEASURE_NAMES, until=until, p=p)) == _typed(reference)
        found += len(reference)
    assert found > 200


def test_diaries_of_different_lengths_computed_together_get_the_reference_episodes(monkeypatch):
    """detect_many pads shorter diaries with empty days in front and stacks them, each with its patient's
    setting; small stacks here, and young diaries (from 60 days) as the users have them."""
    monkeypatch.setattr(detection, "STACK_DAYS", 1000)
    rng = random.Random(3)
    diaries, parameters = [], []
    for n in range(48):
        simulated = simulate_patient(
            rng, days=rng.choice((60, 140, 180, 400, 548)), event_kind=KINDS[n % len(KINDS)], profile=USERS
        )
        diaries.append((simulated.daily, max(simulated.daily) + datetime.timedelta(days=rng.choice((0, 2)))))
        parameters.append(rng.choice(list(SETTINGS.values())))
    tables = [diary_table(daily, MEASURE_NAMES, until) for daily, until in diaries]
    found = detect_many(tables, MEASURE_NAMES, parameters)
    reference = [
        detect_patient_reference(daily, MEASURE_NAMES, until=until, p=p)
        for (daily, until), p in zip(diaries, parameters, strict=True)
    ]
    assert [_typed(episodes) for episodes in found] == [_typed(episodes) for episodes in reference]
    assert sum(map(len, reference)) > 40


def test_short_and_empty_diaries():
    day = datetime.date(2026, 1, 1)
    for daily in ({}, {day: dict.fromkeys(MEASURE_NAMES)}, {day: {"pain": 4}}):
        assert detect_patient(daily, MEASURE_NAMES, until=day) == []
        assert detect_patient(daily, MEASURE_NAMES, until=day - datetime.timedelta(days=1)) == []


def _store_simulated(count, *, seed, zones=("Europe/London",)):
    """`count` patients with simulated 180-day diaries ending TODAY (bulk, nothing queued)."""
    patients, entries = [], []
    for n, simulated in enumerate(_simulated(count, seed=seed)):
        patient = PatientFactory(username=f"sim-{seed}-{n}", profile__time_zone=zones[n % len(zones)])
        patients.append(patient)
        for day, values in _shifted(simulated.daily, TODAY).items():
            entries.append(DiaryEntry(patient=patient, date=day, **values))
    DiaryEntry.objects.bulk_create(entries)
    return patients


def _evidence(episode):
    e = episode.evidence
    return (
        episode.measure,
        episode.kind,
        episode.date,
        e.baseline_mean,
        e.baseline_days,
        e.recent_mean,
        e.recent_days,
        e.window_days,
        e.change,
        e.threshold,
        episode.resolved_on,
    )


@pytest.mark.django_db
def test_the_chunk_stores_the_flags_of_a_full_replay(frozen_now):
    patients = _store_simulated(40, seed=31, zones=("Europe/London", "Pacific/Kiritimati", "Pacific/Pago_Pago"))
    # Far ahead of London or behind it: each patient's own today decides what the replay reads.
    tomorrow = TODAY + datetime.timedelta(days=1)
    DiaryEntry.objects.bulk_create(DiaryEntry(patient=p, date=tomorrow, pain=10, spasms=10) for p in patients[1::3])
    mark_for_evaluation([p.pk for p in patients])
    created = tasks.evaluate_chunk.delay([p.pk for p in patients]).get()
    stored = Flag.objects.filter(patient__in=patients)
    assert created == stored.count() > 10
    assert not PendingEvaluation.objects.exists()
    for patient in patients:
        today = tomorrow if patient.patient_profile.time_zone == "Pacific/Kiritimati" else TODAY
        rows = DiaryEntry.objects.filter(patient=patient, date__lte=today).values("date", *MEASURE_NAMES)
        daily = {row.pop("date"): row for row in rows}
        expected = sorted(_evidence(e) for e in detect_patient_reference(daily, MEASURE_NAMES, until=today))
        assert sorted(stored.filter(patient=patient).values_list(*EVIDENCE)) == expected


def _sweep_queries(patients):
    with CaptureQueriesContext(connection) as queries:
        tasks.evaluate_chunk.delay([p.pk for p in patients]).get()
    return len(queries)


@pytest.mark.django_db
def test_the_chunks_queries_do_not_grow_with_its_patients(frozen_now):
    few, many = _store_simulated(2, seed=41), _store_simulated(12, seed=43)
    tasks.evaluate_chunk.delay([p.pk for p in few + many]).get()  # the flags as they are
    assert Flag.objects.filter(patient__in=many).exists()
    # A night on which nothing changed: the marks, the patients with their time zones, the diaries
    # and the flags are each read once for the chunk, and nothing is written.
    assert _sweep_queries(few) == _sweep_queries(many) == 4
    mark_for_evaluation([p.pk for p in few + many])
    assert _sweep_queries(few) == _sweep_queries(many) == 5  # ... and the marks cleared in one go


@pytest.mark.django_db
def test_the_chunk_puts_right_only_the_flags_that_differ(frozen_now):
    patients = _store_simulated(6, seed=47)
    tasks.evaluate_chunk.delay([p.pk for p in patients]).get()
    flags = list(Flag.objects.filter(patient__in=patients).order_by("pk"))
    assert len(flags) >= 2
    tampered, right_change = flags[0], flags[0].change
    Flag.objects.filter(pk=tampered.pk).update(change=right_change + 1)  # as if an older rule had said otherwise
    stray = Flag.objects.create(
        **{**{f: getattr(tampered, f) for f in EVIDENCE}, "patient": tampered.patient, "date": TODAY}
    )
    untouched = set(Flag.objects.exclude(pk__in=[tampered.pk, stray.pk]).values_list("pk", *EVIDENCE))
    tasks.evaluate_chunk.delay([p.pk for p in patients]).get()
    assert Flag.objects.get(pk=tampered.pk).change == right_change
    assert not Flag.objects.filter(pk=stray.pk).exists()  # no evidence, not acknowledged: removed
    assert set(Flag.objects.exclude(pk=tampered.pk).values_list("pk", *EVIDENCE)) == untouched


@pytest.mark.django_db
def test_the_chunk_keeps_a_mark_set_again_while_it_ran(frozen_now, monkeypatch):
    patients = _store_simulated(3, seed=53)
    mark_for_evaluation([p.pk for p in patients])
    real_scan = tasks.worsening_scan_chunk

    def scan_while_one_patient_saves_again(ids):
        result = real_scan(ids)
        frozen_now.shift(datetime.timedelta(seconds=1))
        mark_for_evaluation([patients[1].pk])
        return result

    monkeypatch.setattr(tasks, "worsening_scan_chunk", scan_while_one_patient_saves_again)
    tasks.evaluate_chunk.delay([p.pk for p in patients]).get()
    assert list(PendingEvaluation.objects.values_list("pk", flat=True)) == [patients[1].pk]


@pytest.mark.django_db
def test_a_chunk_of_ids_that_are_not_patients_clears_their_marks(clinician):
    mark_for_evaluation([clinician.pk])
    assert worsening_scan_chunk([clinician.pk, 10**9]) == 0
    assert tasks.evaluate_chunk.delay([clinician.pk, 10**9]).get() == 0
    assert not PendingEvaluation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_evaluations_at_once_store_each_flag_once(frozen_now):
    from tests.conftest import run_at_once

    needs(uses_postgresql(), "needs PostgreSQL (DATABASE_URL): two connections writing at once")
    patients = _store_simulated(4, seed=59)
    ids, created = [p.pk for p in patients], []
    for _ in range(3):
        Flag.objects.all().delete()
        created.clear()
        errors = run_at_once(lambda: created.append(worsening_scan_chunk(ids)), [(), ()])
        assert errors == []
        stored = Flag.objects.filter(patient__in=patients).count()
        assert stored > 0
        assert sum(created) == stored  # each new flag counted by the one evaluation that stored it
        assert Flag.objects.values("patient", "measure", "date").distinct().count() == stored
