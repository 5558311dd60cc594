"""Web Push (RFC 8030, 8291, 8292) through pywebpush, with the VAPID key pair from the environment."""

import base64
import json
import logging

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from pywebpush import WebPushException, webpush

from .models import PushSubscription

logger = logging.getLogger(__name__)
# A push service answers these for a subscription that is gone (the browser unsubscribed, or the
# app was removed): it is deleted, never tried again.
GONE = {404, 410}
TIME_TO_LIVE = 12 * 3600  # a reminder a phone receives half a day late is no use


def push_configured() -> bool:
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY)


def push_send(subscription: PushSubscription, notice: dict) -> bool:
    """Send `notice` (title, body, url: never health data) to one browser. Returns whether it was taken.

    A subscription the push service says is gone is deleted; any other failure is logged and left to
    the next reminder.
    """
    try:
        webpush(
            subscription_info=subscription.as_webpush_info(),
            data=json.dumps(notice),
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=TIME_TO_LIVE,
            timeout=10,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in GONE:
            subscription.delete()
        else:
            logger.warning("push to subscription %s failed: %s", subscription.pk, status or error)
        return False
    return True


def push_to_patient(patient_id: int, notice: dict) -> int:
    """Send `notice` to every browser the patient turned notifications on in; returns how many took it."""
    if not push_configured():
        return 0
    return sum(push_send(s, notice) for s in PushSubscription.objects.filter(patient_id=patient_id))


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def new_vapid_keys() -> tuple[str, str]:
    """A new VAPID key pair (P-256) as the settings take them: (public, private), base64url, unpadded.
    The public key is what a browser's pushManager.subscribe() takes as applicationServerKey."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(public), b64url(private.private_numbers().private_value.to_bytes(32, "big"))
