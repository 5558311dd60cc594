import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class CareAccess(models.Model):
    """A patient's consent for one clinician to see their data. Revocable at any time."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited by the clinician, awaiting the patient"
        ACTIVE = "active", "Active"
        REVOKED = "revoked", "Revoked"
        DECLINED = "declined", "Declined"

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_accesses")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient_accesses")
    status = models.CharField(max_length=16, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    granted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # At most one live (invited or active) consent per patient and clinician.
            models.UniqueConstraint(
                fields=["patient", "clinician"],
                condition=Q(status__in=["invited", "active"]),
                name="careteam_one_live_access",
            ),
        ]
        indexes = [
            # can_see / the clinician's patient list: active consents of a clinician
            models.Index(fields=["clinician", "status"], name="careteam_access_clinician"),
        ]

    def __str__(self) -> str:
        return f"{self.clinician} → {self.patient} ({self.status})"


def new_share_code() -> str:
    # 10 characters from an alphabet without look-alikes: easy to read out, hard to guess.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class ShareCodeQuerySet(models.QuerySet):
    def usable(self):
        """The codes a clinician could still type: not used, expired or cancelled (cancelling expires them)."""
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class ShareCode(models.Model):
    """A one-time code a patient gives a clinician; it expires after 7 days. Cancelling it makes it
    expire at once (careteam.services.share_code_cancel)."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_codes")
    code = models.CharField(max_length=16, unique=True, default=new_share_code)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShareCodeQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Share code of {self.patient}"


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log is append-only.")

    def delete(self):
        raise PermissionError("The access log is append-only.")


class AccessLog(models.Model):
    """Who opened which patient's data, and every change of consent. Append-only from the app."""

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        EXPORTED = "exported", "Exported"
        CHANGED = "changed", "Changed"  # a clinician's record or change: an appointment, a flag, a setting
        GRANTED = "granted", "Access granted"
        INVITED = "invited", "Invitation sent"
        ACCEPTED = "accepted", "Invitation accepted"
        DECLINED = "declined", "Invitation declined"
        REVOKED = "revoked", "Access revoked"
        CODE_CREATED = "code_created", "Share code created"
        CODE_USED = "code_used", "Share code used"
        CODE_CANCELLED = "code_cancelled", "Share code cancelled"

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_log")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    what = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [
            # access_log_for: a patient's log, newest first
            models.Index(fields=["patient", "-at"], name="careteam_log_patient_at"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.what} ({self.at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")


class Appointment(models.Model):
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appointments")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            # One a day, whoever recorded it: a clinician's account may go (clinician becomes empty),
            # and an empty clinician would not count as equal in a constraint that included it.
            models.UniqueConstraint(fields=["patient", "date"], name="careteam_one_appointment_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} appointment on {self.date}"
