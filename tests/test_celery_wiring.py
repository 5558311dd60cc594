"""Celery reads its broker from the environment; with none it runs tasks in-process."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

from kombu import Connection

from tests.conftest import needs

ROOT = Path(__file__).resolve().parent.parent


def celery_config(**env):
    environment = {
        k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="crps_tracker.settings.local")
    code = (
        "import django; django.setup(); from crps_tracker.celery import app; "
        "print(app.conf.broker_url or '-', app.conf.task_always_eager, app.conf.task_acks_late)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_with_no_broker_tasks_run_in_process():
    assert celery_config() == ["-", "True", "True"]


def test_redis_url_or_celery_broker_url_names_the_broker():
    assert celery_config(REDIS_URL="redis://127.0.0.1:6379/3")[:2] == ["redis://127.0.0.1:6379/3", "False"]
    both = celery_config(REDIS_URL="redis://a:6379/0", CELERY_BROKER_URL="redis://b:6379/1")
    assert both[0] == "redis://b:6379/1"


def test_a_message_round_trips_through_the_real_broker():
    url = os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL")
    needs(bool(url), "needs a Redis broker (REDIS_URL)")
    queue_name = f"crps-test-{uuid.uuid4().hex}"
    with Connection(url, connect_timeout=5) as connection:
        connection.ensure_connection(max_retries=1)
        queue = connection.SimpleQueue(queue_name)
        try:
            queue.put({"hello": "broker"})
            message = queue.get(timeout=5)
            assert message.payload == {"hello": "broker"}
            message.ack()
        finally:
            queue.queue.delete()
            queue.close()
