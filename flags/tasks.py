"""Celery tasks: thin, taking ids, idempotent, acknowledged late, retried on transient errors."""

import time

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from accounts.models import User

from .reminders import send_due_reminders
from .services import worsening_scan

SWEEP_CHUNK = 200


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def evaluate_patient(self, patient_id: int) -> int:
    """Evaluate one patient's diary; returns the number of new flags."""
    if settings.FLAGS_EVALUATION_PAUSE_SECONDS:
        time.sleep(settings.FLAGS_EVALUATION_PAUSE_SECONDS)
    patient = User.objects.filter(pk=patient_id, role=User.Role.PATIENT).first()
    if patient is None:
        return 0
    return len(worsening_scan(patient=patient).created)


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5, time_limit=600)
def evaluate_chunk(patient_ids: list[int]) -> int:
    return sum(evaluate_patient.run(patient_id) for patient_id in patient_ids)


@shared_task
def nightly_sweep() -> int:
    """Queue every patient's evaluation in chunks, so that any number of workers share the sweep."""
    ids = list(User.objects.filter(role=User.Role.PATIENT, is_active=True).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), SWEEP_CHUNK):
        evaluate_chunk.delay(ids[start : start + SWEEP_CHUNK])
    return len(ids)


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, time_limit=300)
def send_reminders() -> int:
    return send_due_reminders()
