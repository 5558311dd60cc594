from django.conf import settings
from django.db import models

from symptoms.vocabulary import MEASURES
from symptoms.yardsticks import higher_is_worse


class Flag(models.Model):
    """One worsening episode of one measure, with the numbers behind it."""

    class Kind(models.TextChoices):
        SUSTAINED = "sustained", "Sustained rise"
        GRADUAL = "gradual", "Gradual rise"
        NEW_SIGN = "new_sign", "New sign"
        MOOD_DROP = "mood_drop", "Fall in mood"

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    measure = models.CharField(max_length=16, choices=[(m.name, m.label) for m in MEASURES])
    kind = models.CharField(max_length=16, choices=Kind.choices)
    date = models.DateField(help_text="The first day on which the data up to that day met the rule.")
    baseline_mean = models.FloatField()
    baseline_days = models.PositiveSmallIntegerField()
    recent_mean = models.FloatField()
    recent_days = models.PositiveSmallIntegerField()
    window_days = models.PositiveSmallIntegerField()
    change = models.FloatField(help_text="Points worse than the baseline (positive = worse, also for mood).")
    threshold = models.FloatField(help_text="The change the rule needed on that day.")
    resolved_on = models.DateField(null=True, blank=True)
    # Two acknowledgements, one per side, each once: the patient's, and the care team's (the first
    # clinician to acknowledge; other clinicians see theirs). Neither hides the other's.
    patient_acknowledged_at = models.DateTimeField(null=True, blank=True)
    patient_note = models.TextField(blank=True, max_length=2000)
    clinician_acknowledged_at = models.DateTimeField(null=True, blank=True)
    clinician_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clinician_note = models.TextField(blank=True, max_length=2000)  # the patient sees it
    # Kept with the care team's acknowledgement for clinicians the patient shares with, and only them:
    # never on the patient's pages, nor in anything the patient can download (export, FHIR, report).
    care_team_note = models.TextField(blank=True, max_length=2000)
    notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "measure"]
        constraints = [
            # One flag per episode: replaying a history, or a task run twice, adds nothing.
            models.UniqueConstraint(fields=["patient", "measure", "date"], name="flags_one_per_episode"),
        ]
        indexes = [
            # open_flags: a patient's unresolved flags, newest first
            models.Index(fields=["patient", "resolved_on", "-date"], name="flags_patient_open"),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.get_kind_display().lower()} from {self.date}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None

    @property
    def is_acknowledged(self) -> bool:
        """By anyone: the patient or a clinician."""
        return self.patient_acknowledged_at is not None or self.clinician_acknowledged_at is not None

    @property
    def title(self) -> str:
        """e.g. "Pain: sustained rise", "Mood: fall"."""
        kind = "fall" if self.kind == self.Kind.MOOD_DROP else self.get_kind_display().lower()
        return f"{self.get_measure_display()}: {kind}"

    @property
    def clinical_reason(self) -> str:
        """The reason in the third person, for the clinician's view."""
        return self.reason.replace("from your usual", "from the usual")

    @property
    def evidence(self) -> str:
        """The evidence in short, for the clinician's printed report: "Pain 7-day average 6.4, up 2.6 from
        the usual 3.8"."""
        label = self.get_measure_display()
        direction = "up" if higher_is_worse(self.measure) else "down"
        window = "7-day" if self.window_days == 7 else f"{self.window_days}-day"
        return (
            f"{label} {window} average {self.recent_mean:.1f}, {direction} {abs(self.change):.1f} "
            f"from the usual {self.baseline_mean:.1f}"
        )

    @property
    def reason(self) -> str:
        """The evidence in words, e.g. "Pain 7-day average 6.4, up 2.6 from your usual 3.8 (based on 6 of 7
        days; usual from 40 days)"."""
        return (
            f"{self.evidence.replace('from the usual', 'from your usual')} (based on {self.recent_days} of "
            f"{self.window_days} days; usual from {self.baseline_days} days)"
        )


class PendingEvaluation(models.Model):
    """A patient whose diary changed and has not been evaluated since: the outbox of evaluations.

    Written in the same transaction as the diary change, so the work survives a broker or worker
    outage. The evaluation task deletes the row (only if nothing marked it again meanwhile); the
    relay queues every row still here.
    """

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    marked_at = models.DateTimeField(help_text="The latest diary change not yet evaluated.")
    relayed_at = models.DateTimeField(null=True, blank=True, help_text="When the relay last queued it.")

    def __str__(self) -> str:
        return f"Evaluation due for patient {self.patient_id} since {self.marked_at}"


class DetectionSetting(models.Model):
    """How sensitive worsening detection is for one patient, as their care team chose it (and why).

    No row: "standard". The rule's parameters for each level are in flags.detection.SETTINGS."""

    class Level(models.TextChoices):
        QUIET = "quiet", "Quiet"
        STANDARD = "standard", "Standard"
        SENSITIVE = "sensitive", "Sensitive"

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="detection_setting"
    )
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.STANDARD)
    reason = models.CharField(max_length=300, blank=True, help_text="Why, in words the patient reads.")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.get_level_display()} worsening detection for patient {self.patient_id}"
