import datetime
import unicodedata
import zoneinfo

from django.conf import settings
from django.utils import timezone

from .models import DataVersion, PatientProfile, User
from .two_factor import confirmed_device


def patient_time_zone(patient: User | None) -> zoneinfo.ZoneInfo:
    """The patient's zone; the default zone for a patient not yet created (None)."""
    profile = getattr(patient, "patient_profile", None) if patient is not None else None
    name = profile.time_zone if profile else settings.DEFAULT_PATIENT_TIME_ZONE
    return zoneinfo.ZoneInfo(name)


def local_today(patient: User | None) -> datetime.date:
    """The patient's calendar date right now, in their own time zone."""
    return timezone.now().astimezone(patient_time_zone(patient)).date()


def patient_profile(patient: User) -> PatientProfile:
    """The patient's profile, made on first use for accounts created outside sign-up (admin, createsuperuser).
    No query when the user's profile has been read already (e.g. by local_today)."""
    try:
        return patient.patient_profile
    except PatientProfile.DoesNotExist:
        pass
    profile, _ = PatientProfile.objects.get_or_create(
        user=patient, defaults={"time_zone": settings.DEFAULT_PATIENT_TIME_ZONE}
    )
    return profile


def password_reset_recipients(email: str) -> list[User]:
    """The accounts a password-reset link for `email` may go to.

    Active accounts with a usable password and that confirmed address (compared as Django's reset
    form does, so that look-alike Unicode cannot match another account). Accounts whose password
    alone opens more than one diary are left to clinic staff (`manage.py changepassword`): staff,
    and clinicians who have not yet set up their second factor (whoever holds the inbox could enrol
    their own).
    """
    wanted = _caseless(email)
    return [
        user
        for user in User.objects.filter(email__iexact=email, is_active=True)
        if user.has_usable_password()
        and user.can_receive_email
        and _caseless(user.email) == wanted
        and not (user.is_staff or user.is_superuser)
        and not (user.is_clinician and confirmed_device(user) is None)
    ]


def _caseless(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def data_version(patient: User) -> int:
    """The patient's data version (accounts.data_version): read it before the data a page shows. One query."""
    number = DataVersion.objects.filter(patient_id=patient.pk).values_list("number", flat=True).first()
    return number or 0


def subject_stamp(patient: User) -> tuple:
    """What a kept page shows of the patient's own rows, as loaded for this request (before its data version
    was read): their names and their profile's last change. In the key of the page, so that a page drawn from
    rows loaded just before an edit is never kept under the edit's version. No query."""
    profile = getattr(patient, "patient_profile", None)
    return (patient.username, patient.first_name, patient.last_name, profile.updated_at if profile else None)
