"""E-mails sent after the response, when a page must not wait for a mail server."""

import logging
import threading
from collections.abc import Sequence

from django.core.mail import EmailMessage, mailers

logger = logging.getLogger(__name__)


def mailer():
    """The default mailer (settings.MAILERS)."""
    return mailers.default


def send_after_response(messages: Sequence[EmailMessage]) -> threading.Thread:
    """Send `messages` from a thread of their own, over one connection: the request that made them answers
    at once, whatever the mail server does. A failure is logged, never raised. Returns the thread."""

    def send() -> None:
        try:
            mailer().send_messages(list(messages))
        except Exception:
            logger.exception("Could not send %d e-mail(s)", len(messages))

    thread = threading.Thread(target=send, name="send-after-response", daemon=True)
    thread.start()
    return thread
