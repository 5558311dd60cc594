"""The treatment and care history of one patient. Every row belongs to exactly one patient."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from accounts.validators import ChoiceListValidator

from .response import relief_in_words
from .vocabulary import (
    DeviceStage,
    DeviceType,
    DiagnosticKind,
    DoseUnit,
    DrugClass,
    Frequency,
    NerveBlockType,
    ProcedureKind,
    Side,
    StopReason,
    TherapyCategory,
    TherapyModality,
)


class PatientItem(models.Model):
    """What every treatment record carries: its patient, how much it helped, notes."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helped_rating = models.PositiveSmallIntegerField(
        "how much it helped (0-10)",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="Your own rating: 0 = not at all, 10 = completely.",
    )
    notes = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def ends_after_start(start: str, end: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}), name=name)


class Medication(PatientItem):
    """One course of one medicine. Its doses over time are MedicationDose periods."""

    name = models.CharField(max_length=120)
    drug_class = models.CharField("class", max_length=32, choices=DrugClass.choices, blank=True)  # "" = not sure
    started_on = models.DateField("start date")
    stopped_on = models.DateField("stop date", null=True, blank=True)
    stop_reason = models.CharField("reason for stopping", max_length=16, choices=StopReason.choices, blank=True)
    side_effects = models.TextField("side effects noted", blank=True, max_length=2000)

    class Meta:
        ordering = ["-started_on", "name"]
        constraints = [
            # The same medicine started twice on one day is one record (also under a double submit).
            models.UniqueConstraint(fields=["patient", "name", "started_on"], name="treatments_medication_unique"),
            ends_after_start("started_on", "stopped_on", "treatments_medication_stop_after_start"),
        ]
        indexes = [
            # current_treatments / timeline: a patient's medications by start date
            models.Index(fields=["patient", "started_on"], name="treatments_med_patient_start"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.stopped_on is None

    @property
    def current_dose(self) -> "MedicationDose | None":
        """The latest dose period (uses prefetched doses when there are some)."""
        doses = list(self.doses.all())
        return max(doses, key=lambda dose: dose.started_on) if doses else None


class MedicationDose(models.Model):
    """A period at one dose. A dose change closes one period and opens the next."""

    medication = models.ForeignKey(Medication, on_delete=models.CASCADE, related_name="doses")
    amount = models.DecimalField(max_digits=8, decimal_places=2, validators=[MinValueValidator(0)])
    unit = models.CharField(max_length=16, choices=DoseUnit.choices)
    frequency = models.CharField("how often", max_length=16, choices=Frequency.choices)
    started_on = models.DateField()
    stopped_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["started_on"]
        constraints = [
            models.UniqueConstraint(fields=["medication", "started_on"], name="treatments_dose_one_per_day"),
            ends_after_start("started_on", "stopped_on", "treatments_dose_stop_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.amount_text} {self.get_unit_display()} {self.get_frequency_display()}"

    @property
    def amount_text(self) -> str:
        """The amount as a person writes it: 300, 10, 1.5 (never 3E+2 or 300.00)."""
        return f"{self.amount.normalize():f}"


class MedicationAdherence(models.Model):
    """Whether a medication was taken on a day. No row = not recorded."""

    medication = models.ForeignKey(Medication, on_delete=models.CASCADE, related_name="adherence")
    date = models.DateField()
    taken = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["medication", "date"], name="treatments_adherence_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.medication} {'taken' if self.taken else 'not taken'} on {self.date}"


class Therapy(PatientItem):
    """A course of physiotherapy, occupational, psychological or complementary therapy."""

    category = models.CharField(max_length=16, choices=TherapyCategory.choices)
    modalities = models.JSONField(default=list, blank=True, validators=[ChoiceListValidator(TherapyModality.choices)])
    provider = models.CharField("therapist or clinic", max_length=120, blank=True)
    started_on = models.DateField("start date")
    ended_on = models.DateField("end date", null=True, blank=True)

    class Meta:
        verbose_name_plural = "therapies"
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "category", "started_on"], name="treatments_therapy_unique"),
            ends_after_start("started_on", "ended_on", "treatments_therapy_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        labels = dict(TherapyModality.choices)
        detail = ", ".join(labels[m] for m in self.modalities if m in labels)
        return f"{self.get_category_display()}{f' ({detail})' if detail else ''}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class TherapySession(models.Model):
    therapy = models.ForeignKey(Therapy, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["therapy", "date"], name="treatments_session_one_per_day")]

    def __str__(self) -> str:
        return f"{self.therapy} session on {self.date}"


class Procedure(PatientItem):
    """A nerve block or injection; dated in the future while it is planned."""

    kind = models.CharField(max_length=20, choices=ProcedureKind.choices)
    block_type = models.CharField("nerve block type", max_length=24, choices=NerveBlockType.choices, blank=True)
    side = models.CharField(max_length=8, choices=Side.choices, blank=True)
    agent = models.CharField("agent / medicine", max_length=120, blank=True)
    performed_on = models.DateField("date")
    performed_by = models.CharField("who did it", max_length=120, blank=True)
    relief_days = models.PositiveSmallIntegerField(
        "how long the relief lasted (days)", null=True, blank=True, validators=[MaxValueValidator(3650)]
    )
    relief_percent = models.PositiveSmallIntegerField(
        "relief at its best (%)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="How much of your pain went away at best: 0 = none, 100 = all of it.",
    )

    class Meta:
        ordering = ["-performed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "kind", "block_type", "side", "performed_on"], name="treatments_procedure_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind="nerve_block") | Q(block_type=""), name="treatments_block_type_only_for_blocks"
            ),
            models.CheckConstraint(condition=Q(relief_percent__lte=100), name="treatments_relief_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.kind == ProcedureKind.NERVE_BLOCK and self.block_type:
            name = f"{self.get_block_type_display()} nerve block"
        else:
            name = self.get_kind_display()
        return f"{name} ({self.get_side_display().lower()})" if self.side else name

    @property
    def relief(self) -> str:
        """The relief the patient recorded, in words: "50 % relief for 4 days" ("" if none recorded)."""
        return relief_in_words(self.relief_percent, self.relief_days)


class Neurostimulator(PatientItem):
    device_type = models.CharField(max_length=24, choices=DeviceType.choices)
    stage = models.CharField(max_length=16, choices=DeviceStage.choices)
    implanted_on = models.DateField("implant date")
    removed_on = models.DateField("removal date", null=True, blank=True)

    class Meta:
        ordering = ["-implanted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "device_type", "stage", "implanted_on"], name="treatments_device_unique"
            ),
            ends_after_start("implanted_on", "removed_on", "treatments_device_removed_after_implant"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.get_device_type_display()} ({self.get_stage_display().lower()})"

    @property
    def is_current(self) -> bool:
        return self.removed_on is None


class ProgrammingChange(models.Model):
    device = models.ForeignKey(Neurostimulator, on_delete=models.CASCADE, related_name="programming_changes")
    date = models.DateField()
    note = models.CharField(max_length=500)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["device", "date", "note"], name="treatments_programming_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.device} reprogrammed on {self.date}"


class DiagnosticTest(PatientItem):
    kind = models.CharField(max_length=16, choices=DiagnosticKind.choices)
    performed_on = models.DateField("date")
    result_summary = models.TextField("result", blank=True, max_length=2000)

    class Meta:
        ordering = ["-performed_on"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "kind", "performed_on"], name="treatments_test_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.get_kind_display()
