"""Completed questionnaires and clinical assessments, their schedules, and safety alerts."""

from django.conf import settings
from django.db import models

from symptoms.vocabulary import BodySite

from .instruments import INSTRUMENTS, PATIENT_INSTRUMENTS

INSTRUMENT_CHOICES = [(i.code, i.short) for i in INSTRUMENTS.values()]


class Response(models.Model):
    """One questionnaire or checklist, completed or skipped: instrument, version, answers, score, who, when.

    One per patient, instrument, day and person recording it: answering again the same day replaces that
    person's answers of the day (a double submit is one response)."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments")
    instrument = models.CharField(max_length=16, choices=INSTRUMENT_CHOICES)
    version = models.CharField(max_length=16)
    completed_on = models.DateField(help_text="The patient's day of the answers, or the examination's date.")
    answers = models.JSONField(default=dict, blank=True)  # item key -> value
    score = models.FloatField(null=True, blank=True)  # None when skipped
    skipped = models.BooleanField(default=False)
    # The patient's answers first suggested by the diary, each then confirmed by the patient.
    prefilled = models.JSONField(default=list, blank=True)
    # An examination's affected limb and side.
    site = models.CharField("affected limb and side", max_length=32, choices=BodySite.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # One a day for each who records: a second clinician's examination that day is their own record.
            models.UniqueConstraint(
                fields=["patient", "instrument", "completed_on", "recorded_by"], name="assessments_one_a_day_each"
            ),
        ]
        indexes = [models.Index(fields=["patient", "instrument", "-completed_on"])]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} of {self.completed_on}"

    @property
    def definition(self):
        return INSTRUMENTS[self.instrument]


class Schedule(models.Model):
    """How often a patient is asked a questionnaire; set by the patient or their clinician."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    instrument = models.CharField(max_length=16, choices=[(i.code, i.short) for i in PATIENT_INSTRUMENTS])
    every_days = models.PositiveSmallIntegerField(help_text="0: not asked.")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["patient", "instrument"], name="assessments_one_schedule")]

    def __str__(self) -> str:
        return f"{self.instrument} every {self.every_days} days"


class SafetyAlert(models.Model):
    """A PHQ-9 answer of thoughts of self-harm: at the top of the care team's list until a clinician
    acknowledges it. Raised in the request that saved the answer, never by a background job. It keeps the
    answer that raised it (the day's questionnaire can be answered again), and is raised also from a
    questionnaire left incomplete (no response then)."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_alerts")
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="safety_alerts"
    )
    answered_on = models.DateField(help_text="The patient's day of the answer.")
    item_answer = models.PositiveSmallIntegerField(
        help_text="PHQ-9 item 9: 1 several days, 2 more than half, 3 nearly every day."
    )
    total = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The PHQ-9 total, if every item was answered."
    )
    raised_at = models.DateTimeField(auto_now_add=True)  # raised again (re-opened): set anew
    clinicians_emailed = models.PositiveSmallIntegerField(default=0)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response"], name="assessments_one_alert_per_response")]

    def __str__(self) -> str:
        return f"safety alert of {self.answered_on}"
