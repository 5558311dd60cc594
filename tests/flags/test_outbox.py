"""The evaluation outbox: a save marks the patient in its own transaction and never waits on the broker."""

import datetime
import logging
import socket
import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from crps_tracker.celery import app as celery_app
from flags import tasks
from flags.models import Flag, PendingEvaluation
from flags.scheduling import mark_for_evaluation
from symptoms.models import DiaryEntry
from tests.conftest import TODAY
from tests.factories import PatientFactory

from .conftest import forget_broker_connections

pytestmark = [pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def broker_at():
    """Point Celery at a given broker URL for one test (tasks no longer eager)."""
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url")}

    def point(url):
        celery_app.conf.update(task_always_eager=False, broker_url=url)
        forget_broker_connections()

    yield point
    celery_app.conf.update(saved)
    forget_broker_connections()


@pytest.fixture
def hung_broker():
    """A port that accepts connections (the kernel's backlog) and never answers: a stopped Redis."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    listener.close()


def _timed_saves(client, count, django_capture_on_commit_callbacks):
    timings = []
    for pain in range(count):
        with django_capture_on_commit_callbacks(execute=True):
            started = time.perf_counter()
            response = client.post(reverse("symptoms:today"), {"pain": str(pain)})
            timings.append(time.perf_counter() - started)
        assert response.status_code == 302
    return timings


def test_a_save_with_the_broker_refusing_is_quick_and_leaves_the_mark(
    client, patient, broker_at, caplog, django_capture_on_commit_callbacks
):
    broker_at("redis://127.0.0.1:1/0")  # nothing listens on port 1
    client.force_login(patient)
    with caplog.at_level(logging.WARNING, logger="flags.scheduling"):
        timings = _timed_saves(client, 3, django_capture_on_commit_callbacks)
    assert max(timings) < 1.5, timings  # it was about 2 s each with the broker's own retry
    assert DiaryEntry.objects.get(patient=patient, date=TODAY).pain == 2
    assert PendingEvaluation.objects.filter(patient=patient).exists()
    assert caplog.text.count("Could not queue the evaluation") == 1  # then the breaker skips the broker


def test_a_save_with_the_broker_hung_is_quick_and_leaves_the_mark(
    client, patient, broker_at, hung_broker, caplog, django_capture_on_commit_callbacks
):
    broker_at(hung_broker)
    client.force_login(patient)
    with caplog.at_level(logging.WARNING, logger="flags.scheduling"):
        timings = _timed_saves(client, 3, django_capture_on_commit_callbacks)
    assert max(timings) < 2.5, timings  # it was about 5 s each
    assert caplog.text.count("Could not queue the evaluation") == 1  # after one failure the broker is left alone
    assert PendingEvaluation.objects.filter(patient=patient).exists()


def test_with_eager_tasks_a_save_evaluates_at_once_and_leaves_no_mark(
    client, worsening_patient, django_capture_on_commit_callbacks
):
    client.force_login(worsening_patient)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("symptoms:today"), {"pain": "8"}).status_code == 302
    assert Flag.objects.filter(patient=worsening_patient, measure="pain").exists()
    assert not PendingEvaluation.objects.exists()


def test_the_mark_is_written_in_the_save_transaction(client, patient, django_capture_on_commit_callbacks):
    client.force_login(patient)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("symptoms:today"), {"pain": "4"})
    assert len(callbacks) == 1  # the publish waits for the commit; the mark does not
    assert PendingEvaluation.objects.filter(patient=patient).exists()


def test_the_task_clears_the_mark(worsening_patient):
    mark_for_evaluation([worsening_patient.pk])
    assert tasks.evaluate_patient.delay(worsening_patient.pk).get() == 1
    assert not PendingEvaluation.objects.exists()
    assert tasks.evaluate_patient.delay(worsening_patient.pk).get() == 0  # again: idempotent


def test_the_task_keeps_a_mark_set_again_while_it_ran(worsening_patient, monkeypatch, frozen_now):
    mark_for_evaluation([worsening_patient.pk])
    real_scan = tasks.worsening_scan

    def scan_while_the_patient_saves_again(**kwargs):
        result = real_scan(**kwargs)
        frozen_now.shift(datetime.timedelta(seconds=1))
        mark_for_evaluation([worsening_patient.pk])
        return result

    monkeypatch.setattr(tasks, "worsening_scan", scan_while_the_patient_saves_again)
    tasks.evaluate_patient.delay(worsening_patient.pk)
    assert PendingEvaluation.objects.filter(patient=worsening_patient).exists()


def test_the_relay_queues_every_patient_still_marked(worsening_patient, frozen_now):
    other = PatientFactory(username="calm")
    mark_for_evaluation([worsening_patient.pk, other.pk])
    frozen_now.shift(datetime.timedelta(minutes=2))
    fresh = PatientFactory(username="fresh")
    mark_for_evaluation([fresh.pk])  # its own publish may still be on its way: left for now
    assert tasks.relay_pending_evaluations.delay().get() == 2
    assert Flag.objects.filter(patient=worsening_patient).exists()
    assert list(PendingEvaluation.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_the_relay_does_not_queue_a_patient_again_every_minute(patient, frozen_now, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.evaluate_chunk, "delay", lambda ids: queued.append(ids))  # a worker that is down
    mark_for_evaluation([patient.pk])
    frozen_now.shift(datetime.timedelta(minutes=2))
    tasks.relay_pending_evaluations()
    frozen_now.shift(datetime.timedelta(minutes=1))
    tasks.relay_pending_evaluations()
    assert queued == [[patient.pk]]
    frozen_now.shift(datetime.timedelta(minutes=10))
    tasks.relay_pending_evaluations()  # still not evaluated: queued again
    assert queued == [[patient.pk], [patient.pk]]


def test_beat_runs_the_relay_every_minute_and_the_sweep_stays():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["flags.tasks.relay_pending_evaluations"] == 60.0
    assert "flags.tasks.nightly_sweep" in schedule


def test_a_killed_workers_task_is_redelivered_within_minutes_not_an_hour():
    limits = [
        task.time_limit or celery_app.conf.task_time_limit
        for name, task in celery_app.tasks.items()
        if name.startswith(("flags.", "accounts.", "symptoms.", "treatments."))
    ]
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert max(limits) < visibility <= max(limits) + 120
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_TASK_ACKS_LATE and tasks.evaluate_chunk.acks_late


@pytest.mark.django_db(transaction=True)
def test_the_broker_bench_reports_each_state_against_up():
    import shutil
    from io import StringIO

    from django.core.management import call_command

    from accounts.models import User
    from tests.conftest import needs

    needs(shutil.which("redis-server") is not None, "needs redis-server on the PATH")
    out = StringIO()
    call_command("bench_broker", saves=3, rounds=1, stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines[2:5]] == ["up", "hung", "refused"]
    assert "still marked for evaluation at the end: yes" in out.getvalue()
    assert not User.objects.filter(username__startswith="bench-broker-").exists()


def test_a_new_save_makes_a_relayed_mark_due_again(patient):
    mark_for_evaluation([patient.pk])
    PendingEvaluation.objects.filter(patient=patient).update(relayed_at=timezone.now())
    mark_for_evaluation([patient.pk])  # the patient saved again: the relay must not wait 10 minutes for it
    assert PendingEvaluation.objects.get(patient=patient).relayed_at is None
