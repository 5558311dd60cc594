"""Celery tasks: thin, idempotent (a reminder goes once a day), acknowledged late."""

from celery import shared_task
from django.db import DatabaseError

from .reminders import send_due_reminders


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, time_limit=300)
def send_reminders() -> int:
    return send_due_reminders()
