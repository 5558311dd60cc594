"""The vocabulary shared below the diary: the body sites and the names of the diary's optional detail.

The patient's profile (accounts) keeps the affected limb and the arrangement of the daily log in these
terms, and the diary (symptoms.vocabulary) re-exports them with the rest of its clinical vocabulary,
so that each term is defined once and accounts never imports the diary.
"""

from django.db import models


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


# The optional detail of a day, as the patient can arrange it on the daily log (accounts.PatientProfile
# .quick_log_details), in the form's order and with its labels: symptoms.models.DETAIL_FIELDS are their names.
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
