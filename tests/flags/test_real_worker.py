"""A real Celery worker on the real Redis broker, against the test database (CI has both)."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from crps_tracker.celery import app as celery_app
from flags.models import Flag
from tests.conftest import needs, uses_postgresql

from .conftest import forget_broker_connections, make_worsening

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_queue():
    """Send this test's tasks to Redis, on a queue of its own."""
    needs(bool(REDIS_URL), "needs a Redis broker (REDIS_URL)")
    needs(uses_postgresql(), "needs PostgreSQL (DATABASE_URL): the worker is another process")
    queue = f"crps-test-{uuid.uuid4().hex[:8]}"
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url", "task_default_queue")}
    celery_app.conf.update(task_always_eager=False, broker_url=REDIS_URL, task_default_queue=queue)
    forget_broker_connections()
    yield queue
    celery_app.conf.update(saved)
    forget_broker_connections()


def start_worker(queue: str, log: Path, app: str = "crps_tracker", **env) -> subprocess.Popen:
    """A real Celery worker on `queue`; `app` "tests.flags.slow_worker" holds each flags task for a minute."""
    db = connection.settings_dict
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crps_tracker.settings.local",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "CELERY_VISIBILITY_TIMEOUT": "3",
        **env,
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        app,
        "worker",
        "--pool=solo",
        "-Q",
        queue,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log.open("w"), stderr=subprocess.STDOUT)  # noqa: S603


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def stop(worker: subprocess.Popen):
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_saving_an_entry_in_the_web_app_leads_to_the_flag(client, broker_queue, tmp_path):
    from tests.factories import PatientFactory

    patient = PatientFactory(username="live")
    make_worsening(patient)
    worker = start_worker(broker_queue, tmp_path / "worker.log")
    try:
        client.force_login(patient)
        assert client.post(reverse("symptoms:today"), {"pain": "8"}).status_code == 302
        wait_for(lambda: Flag.objects.filter(patient=patient).exists(), 60, "the worker to raise the flag")
    finally:
        stop(worker)
    flag = Flag.objects.get(patient=patient)
    assert flag.measure == "pain"
    assert "succeeded" in (tmp_path / "worker.log").read_text()


def test_a_worker_killed_mid_task_is_retried_without_duplicates(broker_queue, tmp_path):
    from flags.tasks import evaluate_patient
    from tests.factories import PatientFactory

    patient = PatientFactory(username="killed")
    make_worsening(patient)
    slow_log = tmp_path / "slow.log"
    slow = start_worker(broker_queue, slow_log, app="tests.flags.slow_worker")
    try:
        evaluate_patient.apply_async((patient.pk,))
        wait_for(lambda: "received" in slow_log.read_text(), 60, "the first worker to take the task")
        slow.send_signal(signal.SIGKILL)  # dies mid-task, before acknowledging it
        slow.wait(timeout=10)
    finally:
        stop(slow)
    assert not Flag.objects.filter(patient=patient).exists()
    # Redis hands an unacknowledged task to the next worker once its visibility timeout (3 s
    # here, an hour by default) has passed; a starting worker looks for such tasks at once.
    time.sleep(4.5)
    fresh = start_worker(broker_queue, tmp_path / "fresh.log")
    try:
        wait_for(lambda: Flag.objects.filter(patient=patient).exists(), 90, "the task to be redelivered and run")
        evaluate_patient.apply_async((patient.pk,))  # and once more, for good measure
        log = tmp_path / "fresh.log"
        wait_for(lambda: log.read_text().count("succeeded") >= 2, 60, "both runs to finish")
    finally:
        stop(fresh)
    assert Flag.objects.filter(patient=patient).count() == 1


def test_a_worker_killed_mid_chunk_has_its_chunk_redone_every_flag_once(broker_queue, tmp_path):
    from flags.models import PendingEvaluation
    from flags.scheduling import mark_for_evaluation
    from flags.tasks import evaluate_chunk
    from tests.factories import PatientFactory

    patients = [PatientFactory(username=f"chunk-{n}") for n in range(3)]
    for patient in patients:
        make_worsening(patient)
    mark_for_evaluation([patient.pk for patient in patients])
    slow_log = tmp_path / "slow.log"
    slow = start_worker(broker_queue, slow_log, app="tests.flags.slow_worker")
    try:
        evaluate_chunk.apply_async(([patient.pk for patient in patients],))  # a sweep's chunk, of 3
        wait_for(lambda: "evaluate_chunk[" in slow_log.read_text(), 60, "the worker to take the chunk")
        slow.send_signal(signal.SIGKILL)  # dies mid-chunk, before acknowledging it
        slow.wait(timeout=10)
    finally:
        stop(slow)
    assert not Flag.objects.filter(patient__in=patients).exists()
    time.sleep(4.5)  # past the visibility timeout of this test's workers (3 s)
    fresh = start_worker(broker_queue, tmp_path / "fresh.log")
    started = time.monotonic()
    try:
        wait_for(lambda: Flag.objects.filter(patient__in=patients).count() >= 3, 90, "the chunk to be redone")
    finally:
        stop(fresh)
    assert time.monotonic() - started < 60
    assert sorted(Flag.objects.filter(patient__in=patients).values_list("patient__username", flat=True)) == [
        "chunk-0",
        "chunk-1",
        "chunk-2",
    ]  # one each: none missing, none twice
    assert not PendingEvaluation.objects.filter(patient__in=patients).exists()
