"""Two-factor authentication with TOTP (django-otp): required for clinicians and for staff (the admin),
optional for patients."""

import base64
import io
import math

import segno
from django.utils import timezone
from django_otp.models import VerifyNotAllowed
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def second_factor_required(user: User) -> bool:
    """Clinicians see many patients' data; staff and superusers reach the admin, and through it every account."""
    return user.is_clinician or user.is_staff or user.is_superuser


def needs_second_factor(user: User) -> str:
    """'' when none is needed, 'verify' when the user has a device, 'setup' when they must enrol one."""
    if confirmed_device(user) is not None:
        return "verify"
    return "setup" if second_factor_required(user) else ""


def pending_device(user: User) -> TOTPDevice:
    """The device being enrolled: one unconfirmed device per user, kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def in_fours(secret: str) -> list[str]:
    """The secret in groups of four characters, as an authenticator app shows it (easier to type)."""
    return [secret[start : start + 4] for start in range(0, len(secret), 4)]


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI as a QR code, an SVG data URI (served inline, no third party)."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def token_already_used(device: TOTPDevice, token: str) -> bool:
    """Whether `token` is the code this device last accepted (django-otp refuses a code twice)."""
    if device.last_t < 0 or not token.isdigit():
        return False
    return hotp(device.bin_key, device.last_t, digits=device.digits) == int(token)  # last_t holds any drift


def seconds_to_wait(device: TOTPDevice) -> int:
    """How long django-otp still refuses every code after wrong ones (1 s, 2 s, 4 s ... doubling); 0 if not.

    While it refuses, even the right code fails, so saying "did not match" would send the user
    to check a code that was fine.
    """
    allowed, why = device.verify_is_allowed()
    if allowed or not why or why.get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return 0
    left = (why["locked_until"] - timezone.now()).total_seconds()
    return max(1, math.ceil(left))


def wait_message(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many wrong codes in a row: wait {seconds} {unit}, then enter the newest code."
