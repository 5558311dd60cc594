import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator
from django.db import models

from lib.vocabulary import DETAIL_CHOICES, BodySite

from .validators import ChoiceListValidator, validate_quick_notes, validate_time_zone


class User(AbstractUser):
    """Everyone who signs in. Patients sign themselves up; clinicians are made by staff."""

    class Role(models.TextChoices):
        PATIENT = "patient", "Patient"
        CLINICIAN = "clinician", "Clinician"

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)
    # Only a confirmed address gets reminders, flag e-mails and password-reset links: a typo must not
    # send a stranger the way into a health record.
    email_confirmed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["patient", "clinician"]),
                name="accounts_user_role_valid",
            ),
        ]

    @property
    def is_patient(self) -> bool:
        return self.role == self.Role.PATIENT

    @property
    def is_clinician(self) -> bool:
        return self.role == self.Role.CLINICIAN

    @property
    def can_receive_email(self) -> bool:
        """Whether anything but a confirmation link may be e-mailed to this account."""
        return bool(self.email) and self.email_confirmed

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class PatientProfile(models.Model):
    """What the diary needs to know about a patient: their day, and their condition."""

    # The settings that may send e-mail: they need an address (User.can_receive_email) when their
    # channel (below) includes e-mail.
    EMAILED = {"reminder_enabled": "reminder_channel", "email_flags": "flag_channel"}

    class Channel(models.TextChoices):
        """How a reminder or a notice reaches the patient (reminders.notices)."""

        EMAIL = "email", "By e-mail"
        PUSH = "push", "As a notification on my phone"
        BOTH = "both", "Both"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient_profile")
    # A patient's "today" is their local date, not the server's.
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    affected_sites = models.JSONField(default=list, blank=True, validators=[ChoiceListValidator(BodySite.choices)])
    onset_date = models.DateField(null=True, blank=True, help_text="When the CRPS began, roughly.")
    # A year, not a date of birth: enough for the care team's "about 44", and less to hold.
    birth_year = models.PositiveSmallIntegerField(
        "year of birth", null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    # Reminders and notifications: off unless the patient asks for them.
    reminder_enabled = models.BooleanField("send me a daily reminder", default=False)
    reminder_time = models.TimeField("at (your local time)", default=datetime.time(20, 0))
    reminder_channel = models.CharField("send it", max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    email_flags = models.BooleanField("tell me when the app notices a worsening", default=False)
    flag_channel = models.CharField("tell me", max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    last_reminded_on = models.DateField(null=True, blank=True)
    # The daily log as the patient shaped it (symptoms.views.quick_log): the detail items shown under
    # the five measures, in this order (the others stay under "More detail"), and up to three notes
    # pinned as one-tap chips.
    quick_log_details = models.JSONField(default=list, blank=True, validators=[ChoiceListValidator(DETAIL_CHOICES)])
    quick_notes = models.JSONField(default=list, blank=True, validators=[validate_quick_notes])
    # On a phone, the five measures on one screen: each scale one row of eleven buttons, 44 px high
    # but narrower than the usual 44 x 44 px (the patient's choice: all five and Save without scrolling).
    quick_log_one_screen = models.BooleanField("the five measures on one screen", default=False)
    # Written by the patient on the dashboard; read by their clinicians in the pre-appointment report.
    questions_for_clinic = models.TextField("questions for my next appointment", blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.user.username}"

    def age(self, today: datetime.date) -> int | None:
        """Age in whole years as far as a year of birth tells: this year's birthday may be still to come."""
        return today.year - self.birth_year if self.birth_year else None

    def get_affected_sites_display(self) -> list[str]:
        labels = dict(BodySite.choices)
        return [labels[site] for site in self.affected_sites if site in labels]


class EmailSent(models.Model):
    """One e-mail of a kind sent to one address (hashed), so that none can be used to flood an inbox."""

    key = models.CharField(max_length=64, db_index=True)  # sha256 of kind and address
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"e-mail sent {self.sent_at:%Y-%m-%d %H:%M}"


class DataVersion(models.Model):
    """A number the database raises on every change to what a patient's pages show (accounts.data_version).
    No foreign key: a patient's rows are deleted before the patient, and each deletion raises it again."""

    patient_id = models.BigIntegerField(primary_key=True)
    number = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"data version {self.number} of patient {self.patient_id}"
