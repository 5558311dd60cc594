"""Asking for a patient's diary to be evaluated, without ever failing the save that asked."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def schedule_evaluation(patient_id: int) -> None:
    """Evaluate the patient's diary once the current transaction has committed.

    If the broker is down the entry stays saved and the patient sees nothing: the failure is
    logged, and the nightly sweep (or the next save) catches up.
    """
    transaction.on_commit(lambda: _enqueue(patient_id))


def _enqueue(patient_id: int) -> None:
    from .tasks import evaluate_patient

    try:
        evaluate_patient.apply_async((patient_id,), retry=False)
    except Exception:
        logger.exception("Could not queue the worsening evaluation of patient %s; the nightly sweep will", patient_id)
