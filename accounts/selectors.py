import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone

from .models import PatientProfile, User


def patient_time_zone(patient: User | None) -> zoneinfo.ZoneInfo:
    """The patient's zone; the default zone for a patient not yet created (None)."""
    profile = getattr(patient, "patient_profile", None) if patient is not None else None
    name = profile.time_zone if profile else settings.DEFAULT_PATIENT_TIME_ZONE
    return zoneinfo.ZoneInfo(name)


def local_today(patient: User | None) -> datetime.date:
    """The patient's calendar date right now, in their own time zone."""
    return timezone.now().astimezone(patient_time_zone(patient)).date()


def patient_profile(patient: User) -> PatientProfile:
    """The patient's profile, made on first use for accounts created outside sign-up (admin, createsuperuser)."""
    profile, _ = PatientProfile.objects.get_or_create(
        user=patient, defaults={"time_zone": settings.DEFAULT_PATIENT_TIME_ZONE}
    )
    return profile
