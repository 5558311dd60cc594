"""Consent: patients grant, clinicians ask, patients revoke. Every change goes in the access log."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User

from .models import AccessLog, Appointment, CareAccess, ShareCode, ShareCodeQuerySet
from .selectors import unused_share_codes

SHARE_CODE_DAYS = 7


def log(*, patient: User, actor: User | None, action: str, what: str = "") -> None:
    AccessLog.objects.create(patient=patient, actor=actor, action=action, what=what[:200])


def _find(identifier: str, role: str) -> User | None:
    identifier = identifier.strip()
    if not identifier:
        return None
    return User.objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier), role=role).first()


def _one_at_a_time(patient: User) -> None:
    """Hold the patient's row until the transaction ends, so that two requests changing who may
    see their data (a double submit) take turns instead of racing to the same insert."""
    User.objects.select_for_update().filter(pk=patient.pk).first()


@transaction.atomic
def access_grant(*, patient: User, clinician_identifier: str) -> CareAccess:
    """The patient lets a clinician (named by username or e-mail) see their data."""
    clinician = _find(clinician_identifier, User.Role.CLINICIAN)
    if clinician is None:
        raise ValidationError("No clinician has that username or e-mail address.")
    _one_at_a_time(patient)
    access = CareAccess.objects.filter(patient=patient, clinician=clinician, status__in=["invited", "active"]).first()
    if access and access.status == CareAccess.Status.ACTIVE:
        return access
    access = access or CareAccess(patient=patient, clinician=clinician)
    access.status = CareAccess.Status.ACTIVE
    access.granted_at = timezone.now()
    access.save()
    log(patient=patient, actor=patient, action=AccessLog.Action.GRANTED, what=f"to {clinician.display_name}")
    return access


@transaction.atomic
def access_revoke(*, access: CareAccess, by: User) -> int:
    """Ends the access (or declines the invitation); the clinician's next request is already refused.

    Stopping an access also cancels every unused share code of the patient: who holds a code cannot be
    known, and it could be the clinician just removed. Returns how many codes were cancelled."""
    if access.status not in (CareAccess.Status.ACTIVE, CareAccess.Status.INVITED):
        return 0
    declined = access.status == CareAccess.Status.INVITED
    access.status = CareAccess.Status.DECLINED if declined else CareAccess.Status.REVOKED
    access.ended_at = timezone.now()
    access.save(update_fields=["status", "ended_at"])
    action = AccessLog.Action.DECLINED if declined else AccessLog.Action.REVOKED
    log(patient=access.patient, actor=by, action=action, what=f"{access.clinician.display_name}")
    if declined:
        return 0
    codes = unused_share_codes(access.patient)
    return len(_cancel(codes, by=by, why=f"on stopping sharing with {access.clinician.display_name}"))


@transaction.atomic
def access_invite(*, clinician: User, patient_identifier: str) -> CareAccess:
    """A clinician asks a patient for access; nothing is visible until the patient accepts."""
    patient = _find(patient_identifier, User.Role.PATIENT)
    if patient is None:
        raise ValidationError("No patient has that username or e-mail address.")
    try:
        with transaction.atomic():
            access, created = CareAccess.objects.get_or_create(
                patient=patient,
                clinician=clinician,
                status__in=["invited", "active"],
                defaults={"status": CareAccess.Status.INVITED},
            )
    except IntegrityError:
        access, created = (
            CareAccess.objects.get(patient=patient, clinician=clinician, status__in=["invited", "active"]),
            False,
        )
    if created:
        log(patient=patient, actor=clinician, action=AccessLog.Action.INVITED, what=f"by {clinician.display_name}")
    return access


@transaction.atomic
def invite_accept(*, access: CareAccess) -> CareAccess:
    if access.status != CareAccess.Status.INVITED:
        raise ValidationError("This invitation is no longer open.")
    access.status = CareAccess.Status.ACTIVE
    access.granted_at = timezone.now()
    access.save(update_fields=["status", "granted_at"])
    log(
        patient=access.patient,
        actor=access.patient,
        action=AccessLog.Action.ACCEPTED,
        what=access.clinician.display_name,
    )
    return access


def share_code_create(*, patient: User) -> ShareCode:
    code = ShareCode.objects.create(
        patient=patient, expires_at=timezone.now() + datetime.timedelta(days=SHARE_CODE_DAYS)
    )
    log(
        patient=patient,
        actor=patient,
        action=AccessLog.Action.CODE_CREATED,
        what=f"expires {code.expires_at:%-d %b %Y}",
    )
    return code


def _cancel(codes: ShareCodeQuerySet, *, by: User, why: str = "") -> list[ShareCode]:
    """Make the codes expire now, so that share_code_redeem refuses them as it refuses an expired one."""
    # Locked, so that a clinician redeeming one of them at this moment either got in first (the code
    # is used and stays so) or waits and is refused.
    cancelled = list(codes.select_for_update().usable())
    ShareCode.objects.filter(pk__in=[code.pk for code in cancelled]).update(expires_at=timezone.now())
    for code in cancelled:
        what = f"{code.code}, {why}" if why else code.code
        log(patient=code.patient, actor=by, action=AccessLog.Action.CODE_CANCELLED, what=what)
    return cancelled


@transaction.atomic
def share_code_cancel(*, share: ShareCode, by: User) -> bool:
    """The patient withdraws a code they gave out. False if it no longer worked anyway (used or expired)."""
    return bool(_cancel(ShareCode.objects.filter(pk=share.pk), by=by))


@transaction.atomic
def share_code_redeem(*, clinician: User, code: str) -> CareAccess:
    """A clinician enters a patient's one-time code: access starts, and the code is spent."""
    typed = code.strip().upper().replace(" ", "").replace("-", "")
    share = ShareCode.objects.select_for_update().filter(code=typed).usable().first()
    if share is None:
        raise ValidationError("That code is not valid: it may have expired (after 7 days) or been used already.")
    share.used_at, share.used_by = timezone.now(), clinician
    share.save(update_fields=["used_at", "used_by"])
    _one_at_a_time(share.patient)
    access = CareAccess.objects.filter(
        patient=share.patient, clinician=clinician, status__in=["invited", "active"]
    ).first() or CareAccess(patient=share.patient, clinician=clinician)
    if access.status != CareAccess.Status.ACTIVE:
        access.status, access.granted_at = CareAccess.Status.ACTIVE, timezone.now()
        access.save()
    log(patient=share.patient, actor=clinician, action=AccessLog.Action.CODE_USED, what=clinician.display_name)
    return access


def appointment_add(
    *, patient: User, date: datetime.date, clinician: User | None = None, note: str = ""
) -> Appointment:
    """Record an appointment; the same day twice (by anyone, or a double submit) is one appointment."""
    if date < datetime.date(1950, 1, 1) or date > timezone.localdate() + datetime.timedelta(days=730):
        raise ValidationError("Pick a date between 1950 and two years from now.")
    # The constraint on (patient, date) makes this safe against two requests at once.
    appointment, _ = Appointment.objects.get_or_create(
        patient=patient, date=date, defaults={"clinician": clinician, "note": note.strip()[:500]}
    )
    return appointment


def appointment_delete(*, appointment: Appointment) -> None:
    appointment.delete()
