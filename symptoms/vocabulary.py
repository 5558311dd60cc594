"""The diary's clinical vocabulary: the headline measures and the detail choices.

Shared by the diary, the CSV format, charts and detection, so that each term is defined once;
the body sites and the detail choices, which the patient profile also uses, come from lib.vocabulary.
"""

from dataclasses import dataclass

from django.db import models

# Shared with the patient's profile, below the diary: defined in lib, named here with the rest.
from lib.vocabulary import DETAIL_CHOICES as DETAIL_CHOICES
from lib.vocabulary import BodySite as BodySite


@dataclass(frozen=True)
class Measure:
    """A headline 0-10 measure logged every day."""

    name: str
    label: str
    question: str
    low_anchor: str
    high_anchor: str
    higher_is_worse: bool = True


# The five headline measures, in the order of the form and of the CSV columns.
# All are 0-10 numeric rating scales (NRS), the standard for pain (Farrar 2001).
MEASURES: tuple[Measure, ...] = (
    Measure("pain", "Pain", "Average pain today", "no pain", "worst pain imaginable"),
    Measure("spasms", "Spasms", "Spasms or twisting postures today", "none", "constant, severe"),
    Measure("swelling", "Swelling", "Swelling of the affected limb", "none", "severe"),
    Measure(
        "skin_changes",
        "Skin changes",
        "Colour, temperature or sweating changes",
        "none",
        "severe",
    ),
    Measure("mood", "Mood", "Mood today", "worst", "best", higher_is_worse=False),
)
MEASURE_NAMES: tuple[str, ...] = tuple(m.name for m in MEASURES)
SCALE_MIN = 0
SCALE_MAX = 10


class PainQuality(models.TextChoices):
    BURNING = "burning", "Burning"
    ACHING = "aching", "Aching"
    STABBING = "stabbing", "Stabbing"
    THROBBING = "throbbing", "Throbbing"
    ELECTRIC = "electric", "Electric"


class Trigger(models.TextChoices):
    TOUCH = "touch", "Touch"
    TEMPERATURE = "temperature", "Temperature change"
    MOVEMENT = "movement", "Movement"
    STRESS = "stress", "Stress"
    POOR_SLEEP = "poor_sleep", "Poor sleep"
    WEATHER = "weather", "Weather"


class SkinColour(models.TextChoices):
    NORMAL = "normal", "Normal"
    RED = "red", "Red"
    PALE = "pale", "Pale"
    MOTTLED = "mottled", "Mottled"
    BLUE_PURPLE = "blue_purple", "Blue / purple"


class LimbTemperature(models.TextChoices):
    SAME = "same", "Same as the other side"
    WARMER = "warmer", "Warmer than the other side"
    COLDER = "colder", "Colder than the other side"


class Sweating(models.TextChoices):
    NORMAL = "normal", "Normal"
    MORE = "more", "More than usual"
    LESS = "less", "Less than usual (dry)"
