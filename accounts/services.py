import zoneinfo

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from symptoms.diary_csv import EARLIEST_DATE

from .models import PatientProfile, User


@transaction.atomic
def patient_sign_up(
    *,
    username: str,
    password: str | None,
    email: str = "",
    time_zone: str = "",
) -> User:
    """Create a patient account and its profile. Never grants another role.

    A password of None makes an account that cannot log in until a password is set
    (patients created by a data import).
    """
    user = User(username=username, email=email, role=User.Role.PATIENT)
    user.set_password(password)
    user.full_clean()
    user.save()
    profile = PatientProfile(user=user, time_zone=time_zone or settings.DEFAULT_PATIENT_TIME_ZONE)
    profile.full_clean()
    profile.save()
    return user


def clinician_create(
    *, username: str, password: str, email: str = "", first_name: str = "", last_name: str = ""
) -> User:
    """Create a clinician account (staff only: from the admin or `create_clinician`)."""
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=User.Role.CLINICIAN,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def patient_profile_update(*, profile: PatientProfile, **fields: object) -> PatientProfile:
    """Save the patient's settings. The onset date lies between 1950 and the patient's today
    (in the time zone being saved, which may be the one that changes)."""
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    onset = profile.onset_date
    if onset and onset > timezone.now().astimezone(zoneinfo.ZoneInfo(profile.time_zone)).date():
        raise ValidationError({"onset_date": "This date is in the future."})
    if onset and onset < EARLIEST_DATE:
        raise ValidationError({"onset_date": f"Dates before {EARLIEST_DATE:%Y} are not accepted."})
    profile.save(update_fields=[*fields, "updated_at"])
    return profile


def user_email_change(*, user: User, email: str) -> User:
    """Set (or, with "", remove) the address for reminders, flag e-mails and password resets.

    Without an address nothing can be e-mailed, so reminders and flag e-mails are turned off with it.
    """
    user.email = email.strip()
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save(update_fields=["email"])
        if not user.email and user.is_patient:
            PatientProfile.objects.filter(user=user).update(reminder_enabled=False, email_flags=False)
    return user


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Remove the account and, through the database's cascades, every row that belongs to it:
    diary, treatments, flags, consents, share codes, appointments and the access log."""
    user.delete()
