import datetime
import zoneinfo

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lib.dates import EARLIEST_DATE
from lib.http import site_url

from .models import PatientProfile, User
from .selectors import password_reset_recipients
from .throttle import email_allowed
from .validators import validate_new_username


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
    _new_user_save(user)
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
        email_confirmed=bool(email),  # entered by clinic staff
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    _new_user_save(user)
    return user


USERNAME_TAKEN = "That username is taken: choose another."


def _new_user_save(user: User) -> None:
    """Check and save a new account. Two sign-ups with one name at the same moment both pass the
    check; the database's unique constraint refuses the second, which gets the same answer."""
    user.full_clean()  # normalises the name (NFKC)
    validate_new_username(user.username)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        if User.objects.filter(username=user.username).exists():
            raise ValidationError({"username": USERNAME_TAKEN}) from error
        raise


def patient_profile_update(*, profile: PatientProfile, **fields: object) -> PatientProfile:
    """Save the patient's settings. The onset date lies between 1950 and the patient's today
    (in the time zone being saved, which may be the one that changes). An onset saved before is
    kept as it is: after a move westwards, the "today" it was entered on may still be tomorrow here."""
    stored = PatientProfile.objects.filter(pk=profile.pk).values_list("onset_date", flat=True).first()
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    onset = profile.onset_date
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(profile.time_zone)).date()
    if onset and onset != stored and onset > today:
        raise ValidationError({"onset_date": "This date is in the future."})
    if onset and onset < EARLIEST_DATE:
        raise ValidationError({"onset_date": f"Dates before {EARLIEST_DATE:%Y} are not accepted."})
    if profile.birth_year and profile.birth_year > today.year:
        raise ValidationError({"birth_year": "This year is in the future."})
    profile.save(update_fields=[*fields, "updated_at"])
    return profile


def user_name_change(*, user: User, first_name: str, last_name: str) -> User:
    """The name others see (User.display_name): the clinicians a patient shares with, the report."""
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name"])
    return user


EMAIL_CONFIRM_SALT = "accounts.email-confirm"
EMAIL_CONFIRM_DAYS = 3
CONFIRMATION_EMAILS_PER_HOUR = 3


def user_email_change(*, user: User, email: str) -> User:
    """Set (or, with "", remove) the address for reminders, flag e-mails and password resets.

    A new address is unconfirmed until its owner opens the link sent to it (email_confirmation_send).
    Without an address nothing can be e-mailed: a reminder or notice that went by e-mail is turned off
    with it, and one that went both ways goes on as a notification on the phone only.
    """
    email = email.strip()
    if email == user.email:
        return user
    user.email, user.email_confirmed = email, False
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save(update_fields=["email", "email_confirmed"])
        if not user.email and user.is_patient:
            profiles = PatientProfile.objects.filter(user=user)
            Channel = PatientProfile.Channel
            for setting, channel in PatientProfile.EMAILED.items():
                profiles.filter(**{channel: Channel.EMAIL}).update(**{setting: False})
                profiles.filter(**{channel: Channel.BOTH}).update(**{channel: Channel.PUSH})
    return user


def email_confirmation_send(*, user: User) -> bool:
    """E-mail a link that confirms the user's address. False if none is due (or too many were sent)."""
    if not user.email or user.email_confirmed:
        return False
    if not email_allowed("confirm", user.email, per_hour=CONFIRMATION_EMAILS_PER_HOUR):
        return False
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_CONFIRM_SALT)
    send_mail(
        subject="CRPS Tracker: confirm your e-mail address",
        message=(
            f"Hello {user.display_name},\n\n"
            f"To get CRPS Tracker's e-mails at this address ({user.get_username()}'s account), confirm it "
            f"within {EMAIL_CONFIRM_DAYS} days:\n\n{site_url('accounts:email_confirm', token=token)}\n\n"
            "If you did not ask for this, ignore this e-mail: nothing will be sent here.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True


def email_address_confirm(*, token: str) -> User | None:
    """Confirm the address a link was sent to, if it is still the account's address. None if not."""
    try:
        found = signing.loads(token, salt=EMAIL_CONFIRM_SALT, max_age=datetime.timedelta(days=EMAIL_CONFIRM_DAYS))
        user = User.objects.get(pk=found["u"], email=found["e"])
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError):
        return None
    if not user.email_confirmed:
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed"])
    return user


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Remove the account and, through the database's cascades, every row that belongs to it:
    diary, treatments, flags, consents, share codes, appointments and the access log. Also its
    sessions (on every device) and the login records kept by axes (username, address, browser)."""
    username = user.get_username()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=username).delete()  # a login typed "Carol" was this account too
    Session.objects.filter(session_key__in=_session_keys(user)).delete()
    user.delete()


def _session_keys(user: User) -> list[str]:
    """The keys of the user's sessions. Sessions store the user's id inside their signed data, so
    each is decoded: a scan, affordable for a rare deletion."""
    user_id = str(user.pk)
    return [
        session.session_key
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]


def password_reset_send(*, email: str) -> int:
    """E-mail a one-use link to choose a new password to each account `email` may reset. How many went."""
    recipients = password_reset_recipients(email)
    for user in recipients:
        token = default_token_generator.make_token(user)
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        context = {"user": user, "link": site_url("accounts:password_reset_confirm", uidb64=uid, token=token)}
        send_mail(
            subject=render_to_string("accounts/password_reset_subject.txt", context).strip(),
            message=render_to_string("accounts/password_reset_email.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
    return len(recipients)
