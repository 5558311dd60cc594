"""Celery tasks: thin, taking what identifies the work, retried on transient errors; and the queueing of them."""

import logging
import smtplib

from celery import shared_task
from django.db import DatabaseError
from kombu.exceptions import OperationalError

from .services import password_reset_send

logger = logging.getLogger(__name__)


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


def password_reset_queue(*, email: str) -> None:
    """Send the reset link(s) for `email` from a task, whether or not the address has an account.

    The page answers as fast for every address, so its timing does not tell which addresses have
    accounts. If the broker is down the link is sent now instead, and the failure is logged.
    """
    try:
        try:
            send_password_reset.apply_async((email,), retry=False)
        except OperationalError:
            logger.exception("Could not queue a password reset e-mail; sending it during the request")
            password_reset_send(email=email)
    except Exception:
        # Sent during the request (no broker configured, or it is down): a failure to send must
        # answer as an address without an account does, so it is logged, never raised.
        logger.exception("Could not send a password reset e-mail")
