"""Asking for a patient's diary to be evaluated, without ever failing or slowing the save that asked.

A transactional outbox: the save marks the patient (flags.PendingEvaluation) in its own
transaction, so the request is durable whatever the broker does. After the commit the task is
published once, with a sub-second connection budget and no retries; if the broker is down or
hangs, publishing is skipped for a while (the "breaker") and the relay, every minute, queues every
patient still marked. The evaluation task removes the mark. The nightly sweep stays as a net.
"""

import logging
import threading
import time

from django.db import transaction
from django.utils import timezone

from .models import PendingEvaluation

logger = logging.getLogger(__name__)

# What a web request may spend on the broker: one attempt, a quarter of a second to connect and
# a quarter to be answered. The worker keeps the settings' own (more patient) connection options.
FAST_PUBLISH = {
    "max_retries": 0,
    "socket_connect_timeout": 0.25,
    "socket_timeout": 0.25,
    "retry_on_timeout": False,
}
# After a failed publish, this process stops trying for this long: the relay catches up.
BREAKER_SECONDS = 30.0
_breaker = {"open_until": 0.0}
_local = threading.local()


def schedule_evaluation(patient_id: int) -> None:
    """Mark the patient for evaluation in the current transaction, and queue it once committed.

    Call it inside the transaction that changes the diary: the mark commits or rolls back with it.
    """
    mark_for_evaluation([patient_id])
    transaction.on_commit(lambda: _enqueue(patient_id))


def evaluate_after_change(sender, patient_id: int, **kwargs) -> None:
    """symptoms.signals.diary_changed's receiver (flags/apps.py)."""
    schedule_evaluation(patient_id)


def mark_for_evaluation(patient_ids: list[int]) -> None:
    """One upsert: the mark's time moves on, so an evaluation already running does not clear it, and the
    relay may queue it again (a new mark is not one the relay queued a moment ago)."""
    now = timezone.now()
    PendingEvaluation.objects.bulk_create(
        [PendingEvaluation(patient_id=pk, marked_at=now, relayed_at=None) for pk in patient_ids],
        update_conflicts=True,
        unique_fields=["patient"],
        update_fields=["marked_at", "relayed_at"],
    )


def reset_breaker() -> None:
    """Close the breaker and forget this thread's connection (tests, benchmarks, a changed broker URL)."""
    _breaker["open_until"] = 0.0
    _drop_fast_connection()


def _fast_connection(app):
    """This thread's broker connection with the web's tight options, opened once and reused."""
    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = _local.connection = app.connection_for_write(transport_options=FAST_PUBLISH)
    return connection


def _drop_fast_connection() -> None:
    connection = getattr(_local, "connection", None)
    _local.connection = None
    if connection is not None:
        try:
            connection.close()
        except Exception:  # closing a dead connection may fail too; it is gone either way
            logger.debug("Closing the broken broker connection failed", exc_info=True)


def _enqueue(patient_id: int) -> None:
    from crps_tracker.celery import app

    from .tasks import evaluate_patient

    eager = app.conf.task_always_eager
    if not eager and time.monotonic() < _breaker["open_until"]:
        return  # the broker failed lately: the mark stays, and the relay will queue it
    try:
        if eager:
            evaluate_patient.apply_async((patient_id,))
            return
        evaluate_patient.apply_async((patient_id,), retry=False, connection=_fast_connection(app))
    except Exception as error:
        if not eager:
            _breaker["open_until"] = time.monotonic() + BREAKER_SECONDS
            _drop_fast_connection()
        logger.warning(
            "Could not queue the evaluation of patient %s (%s: %s); it stays marked and the relay will queue it",
            patient_id,
            type(error).__name__,
            error,
            exc_info=eager,  # a broker outage needs no traceback; an error in an eager evaluation does
        )
