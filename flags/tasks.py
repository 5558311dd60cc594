"""Celery tasks: thin, taking ids, idempotent, acknowledged late, retried on transient errors."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from accounts.models import User

from .models import PendingEvaluation
from .services import clear_marks, worsening_scan, worsening_scan_chunk

SWEEP_CHUNK = 200
# The relay leaves a fresh mark to the save's own publish, and a relayed one to its queued task
# for a while, so a slow worker's backlog is not queued again every minute.
RELAY_AFTER = datetime.timedelta(minutes=1)
RELAY_AGAIN_AFTER = datetime.timedelta(minutes=10)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=30,  # a retried chunk waits seconds, not minutes: it must finish within the visibility timeout
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def evaluate_patient(self, patient_id: int) -> int:
    """Evaluate one patient's diary; returns the number of new flags."""
    # The mark as it stands now; cleared below only if no save marked the patient again meanwhile
    # (a save still in flight holds the row: the delete waits for it, then finds a newer time).
    marked_at = PendingEvaluation.objects.filter(pk=patient_id).values_list("marked_at", flat=True).first()
    patient = User.objects.filter(pk=patient_id, role=User.Role.PATIENT).first()
    created = 0 if patient is None else len(worsening_scan(patient=patient).created)
    if marked_at is not None:
        PendingEvaluation.objects.filter(pk=patient_id, marked_at=marked_at).delete()
    return created


@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=30,  # a retried chunk waits seconds, not minutes: it must finish within the visibility timeout
    max_retries=5,
    time_limit=settings.FLAGS_CHUNK_TIME_LIMIT,
)
def evaluate_chunk(patient_ids: list[int]) -> int:
    """Evaluate a chunk of patients (evaluate_patient for each) in a fixed number of queries; returns
    the number of new flags."""
    # The marks as they stand now; each cleared below only if no save marked the patient again meanwhile.
    marks = dict(PendingEvaluation.objects.filter(pk__in=patient_ids).values_list("pk", "marked_at"))
    created = worsening_scan_chunk(patient_ids)
    clear_marks(marks)
    return created


@shared_task
def nightly_sweep() -> int:
    """Queue every patient's evaluation in chunks, so that any number of workers share the sweep."""
    ids = list(User.objects.filter(role=User.Role.PATIENT, is_active=True).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), SWEEP_CHUNK):
        evaluate_chunk.delay(ids[start : start + SWEEP_CHUNK])
    return len(ids)


@shared_task
def relay_pending_evaluations() -> int:
    """Queue every patient still marked for evaluation (the save's own publish failed, or its task
    was lost), in chunks; returns how many were queued."""
    now = timezone.now()
    due = PendingEvaluation.objects.filter(marked_at__lte=now - RELAY_AFTER).exclude(
        relayed_at__gt=now - RELAY_AGAIN_AFTER
    )
    ids = list(due.order_by("marked_at").values_list("pk", flat=True))
    for start in range(0, len(ids), SWEEP_CHUNK):
        chunk = ids[start : start + SWEEP_CHUNK]
        evaluate_chunk.delay(chunk)
        PendingEvaluation.objects.filter(pk__in=chunk).update(relayed_at=now)
    return len(ids)
