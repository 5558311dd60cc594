"""Celery tasks: thin, taking what identifies the work, retried on transient errors."""

import smtplib

from celery import shared_task
from django.db import DatabaseError

from .services import password_reset_send


@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError, smtplib.SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=45,
    time_limit=60,
)
def send_password_reset(email: str) -> int:
    """E-mail the reset link(s) for the address typed on the "forgotten password" page."""
    return password_reset_send(email=email)
