"""The diary's clinical vocabulary: the headline measures and the detail choices.

Shared by the diary, the patient profile, the CSV format and (later) charts and
detection, so that each term is defined once.
"""

from dataclasses import dataclass

from django.db import models


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


class BodySite(models.TextChoices):
    LEFT_HAND = "left_hand", "Left hand / wrist"
    LEFT_ARM = "left_arm", "Left arm / shoulder"
    RIGHT_HAND = "right_hand", "Right hand / wrist"
    RIGHT_ARM = "right_arm", "Right arm / shoulder"
    LEFT_FOOT = "left_foot", "Left foot / ankle"
    LEFT_LEG = "left_leg", "Left leg / knee / hip"
    RIGHT_FOOT = "right_foot", "Right foot / ankle"
    RIGHT_LEG = "right_leg", "Right leg / knee / hip"
    OTHER = "other", "Elsewhere"


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


# The optional detail of a day, as the patient can arrange it on the daily log (accounts.PatientProfile
# .quick_log_details): symptoms.models.DETAIL_FIELDS, in the same order, with the form's labels.
DETAIL_CHOICES: tuple[tuple[str, str], ...] = (
    ("worst_pain", "Worst pain"),
    ("pain_qualities", "What the pain felt like"),
    ("allodynia", "Touch-evoked pain (allodynia)"),
    ("triggers", "Triggers"),
    ("body_sites", "Body sites affected"),
    ("spasm_episodes", "Number of spasm episodes"),
    ("tremor", "Tremor or jerking"),
    ("skin_colour", "Skin colour"),
    ("limb_temperature", "Limb temperature"),
    ("sweating", "Sweating"),
    ("sleep_quality", "Sleep quality"),
    ("anxiety", "Anxiety"),
    ("interference", "Interference with daily activities"),
)
