from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts.validators import ChoiceListValidator

from .vocabulary import (
    DETAIL_CHOICES,
    MEASURE_NAMES,
    SCALE_MAX,
    SCALE_MIN,
    BodySite,
    LimbTemperature,
    PainQuality,
    SkinColour,
    Sweating,
    Trigger,
)


def scale_field(verbose_name: str) -> models.PositiveSmallIntegerField:
    """A 0-10 rating that may be left unrecorded (NULL, never 0)."""
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
    )


SCALE_FIELDS = (*MEASURE_NAMES, "worst_pain", "sleep_quality", "anxiety", "interference")


class DiaryEntry(models.Model):
    """How one local day went for one patient. One entry per patient per date."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary_entries")
    date = models.DateField()

    # The five headline measures.
    pain = scale_field("pain")
    spasms = scale_field("spasms")
    swelling = scale_field("swelling")
    skin_changes = scale_field("skin changes")
    mood = scale_field("mood")  # 10 = best

    # Optional detail.
    worst_pain = scale_field("worst pain")
    pain_qualities = models.JSONField(default=list, blank=True, validators=[ChoiceListValidator(PainQuality.choices)])
    allodynia = models.BooleanField("touch-evoked pain (allodynia)", null=True, blank=True)
    triggers = models.JSONField(default=list, blank=True, validators=[ChoiceListValidator(Trigger.choices)])
    body_sites = models.JSONField(default=list, blank=True, validators=[ChoiceListValidator(BodySite.choices)])
    spasm_episodes = models.PositiveSmallIntegerField(
        "number of spasm episodes", null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    tremor = models.BooleanField("tremor or jerking", null=True, blank=True)
    skin_colour = models.CharField(max_length=16, choices=SkinColour.choices, blank=True)
    limb_temperature = models.CharField("limb temperature", max_length=16, choices=LimbTemperature.choices, blank=True)
    sweating = models.CharField(max_length=16, choices=Sweating.choices, blank=True)
    sleep_quality = scale_field("sleep quality")  # 10 = best
    anxiety = scale_field("anxiety")
    interference = scale_field("interference with daily activities")
    notes = models.TextField(max_length=4000, blank=True)
    note_for_clinician = models.BooleanField("show this note to my clinician", default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        verbose_name_plural = "diary entries"
        constraints = [
            # One entry per patient per local day, also under concurrent submits.
            # Its index also serves every "this patient's entries in a date range" query.
            models.UniqueConstraint(fields=["patient", "date"], name="symptoms_entry_one_per_day"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__isnull": True})
                    | models.Q(**{f"{name}__gte": SCALE_MIN, f"{name}__lte": SCALE_MAX}),
                    name=f"symptoms_entry_{name}_0_10",
                )
                for name in SCALE_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} on {self.date.isoformat()}"

    def headline_values(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in MEASURE_NAMES}

    @property
    def has_detail(self) -> bool:
        return any(getattr(self, name) not in (None, "", []) for name in DETAIL_FIELDS)


# The optional detail, in form and CSV order (after the headline measures and notes): the fields the
# patient can arrange on the daily log (lib.vocabulary.DETAIL_CHOICES), named there once.
DETAIL_FIELDS = tuple(name for name, _label in DETAIL_CHOICES)
# Every value of an entry (all but patient and date), in CSV column order after the date.
ENTRY_FIELDS = (*MEASURE_NAMES, "notes", *DETAIL_FIELDS)
LIST_FIELDS = ("pain_qualities", "triggers", "body_sites")
YES_NO_FIELDS = ("allodynia", "tremor")
