"""The instruments a CRPS clinic uses, as data: items, answers, scoring, bands and sources. Pure.

Each instrument is defined once here, with its source; the forms, the scoring, the report, the charts
and the FHIR Questionnaire are all made from these definitions.

- CRPS Severity Score (CSS): Harden RN, Bruehl S, Perez RSGM et al., "Development of a severity score for
  CRPS", Pain 2010;151:870-876; validated prospectively by Harden RN, Maihofner C, Abousaad E et al.,
  "A prospective, multisite, international validation of the Complex Regional Pain Syndrome Severity
  Score", Pain 2017;158:1430-1436, where a change of at least 4.9 points is a real change (95 %
  confidence). 8 symptoms the patient reports and 9 signs a clinician finds at examination, each
  present (1) or absent (0): 0-17.
- Budapest clinical criteria: Harden RN, Bruehl S, Perez RSGM et al., "Validation of proposed diagnostic
  criteria (the 'Budapest Criteria') for Complex Regional Pain Syndrome", Pain 2010;150:268-274.
- PEG: Krebs EE, Lorenz KA, Bair MJ et al., "Development and initial validation of the PEG, a three-item
  scale assessing pain intensity and interference", J Gen Intern Med 2009;24:733-738. Score = the mean of
  its three 0-10 items; a 30 % change is clinically important.
- PHQ-9: Kroenke K, Spitzer RL, Williams JBW, "The PHQ-9: validity of a brief depression severity
  measure", J Gen Intern Med 2001;16:606-613. Free to use (Pfizer). 0-27; bands from 5, 10, 15, 20.
- GAD-7: Spitzer RL, Kroenke K, Williams JBW, Lowe B, "A brief measure for assessing generalized anxiety
  disorder: the GAD-7", Arch Intern Med 2006;166:1092-1097. Free to use (Pfizer). 0-21; bands from 5, 10, 15.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from lib.figures import one_decimal, percent_of

# CSS: a change of at least this many points is a real change with 95 % confidence (Harden 2017).
CSS_REAL_CHANGE = 4.9
# PEG: a change of at least 30 % of the earlier score is clinically important (Krebs 2009).
PEG_IMPORTANT_CHANGE = 0.30

YES_NO = ((1, "Yes"), (0, "No"))
HOW_OFTEN = ((0, "Not at all"), (1, "Several days"), (2, "More than half the days"), (3, "Nearly every day"))
ZERO_TO_TEN = tuple((n, str(n)) for n in range(11))


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    choices: tuple[tuple[int, str], ...]
    category: str = ""  # the Budapest category of a CSS or Budapest item
    hint: str = ""  # the scale's anchors, for a 0-10 item


@dataclass(frozen=True)
class Band:
    start: int  # the lowest score in the band
    label: str


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    short: str
    version: str
    source: str
    who: str  # "patient" or "clinician"
    lead: str  # the question every item answers
    items: tuple[Item, ...]
    score_max: float
    bands: tuple[Band, ...] = ()
    every_days: int = 0  # the default schedule; 0 = not scheduled (a clinician's record)
    loinc_panel: str = ""
    loinc_total: str = ""
    decimals: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    def item(self, key: str) -> Item:
        return next(item for item in self.items if item.key == key)

    def score(self, answers: Mapping[str, int]) -> float:
        """The instrument's score from a complete set of answers."""
        values = [answers[item.key] for item in self.items]
        if self.code == "peg":
            return one_decimal(sum(values) / len(values))
        return sum(values)

    def band(self, score: float) -> str:
        """The severity band of a score ("" for an instrument without bands)."""
        label = ""
        for band in self.bands:
            if score >= band.start:
                label = band.label
        return label


SENSORY, VASOMOTOR, SUDOMOTOR, MOTOR = "Sensory", "Vasomotor", "Sudomotor / oedema", "Motor / trophic"
CATEGORIES = (SENSORY, VASOMOTOR, SUDOMOTOR, MOTOR)

CSS_SOURCE = (
    "CRPS Severity Score: Harden RN et al., Pain 2010;151:870-876; validated in Pain 2017;158:1430-1436 "
    "(a change of 4.9 points or more is a real change)."
)

CSS_SYMPTOMS = Instrument(
    code="css_symptoms",
    name="CRPS Severity Score: your symptoms",
    short="CSS symptoms",
    version="2010",
    source=CSS_SOURCE,
    who="patient",
    lead="Over the last week, in the affected limb, have you had:",
    items=(
        Item(
            "allodynia_hyperalgesia",
            "Allodynia or hyperalgesia (pain from light touch, or more pain than expected from something that hurts)",
            YES_NO,
            SENSORY,
        ),
        Item(
            "temperature_asymmetry",
            "Temperature asymmetry (the limb warmer or colder than the other side)",
            YES_NO,
            VASOMOTOR,
        ),
        Item(
            "skin_colour_asymmetry",
            "Skin colour asymmetry (the limb redder, paler, bluer or mottled)",
            YES_NO,
            VASOMOTOR,
        ),
        Item(
            "sweating_asymmetry",
            "Sweating asymmetry (the limb sweating more or less than the other side)",
            YES_NO,
            SUDOMOTOR,
        ),
        Item("asymmetric_oedema", "Asymmetric oedema (swelling of the limb)", YES_NO, SUDOMOTOR),
        Item("trophic_changes", "Trophic changes (changes in hair, nails or skin of the limb)", YES_NO, MOTOR),
        Item("motor_changes", "Motor changes (weakness, tremor or dystonia)", YES_NO, MOTOR),
        Item("decreased_range_of_motion", "Decreased active range of motion (the limb moves less far)", YES_NO, MOTOR),
    ),
    score_max=8,
    every_days=30,
)

CSS_SIGNS = Instrument(
    code="css_signs",
    name="CRPS Severity Score: signs at examination",
    short="CSS signs",
    version="2010",
    source=CSS_SOURCE,
    who="clinician",
    lead="At examination of the affected limb, against the other side:",
    items=(
        Item("hyperalgesia_pinprick", "Hyperalgesia to pinprick", YES_NO, SENSORY),
        Item("allodynia", "Allodynia to light touch, deep somatic pressure or joint movement", YES_NO, SENSORY),
        Item("temperature_asymmetry", "Temperature asymmetry by palpation", YES_NO, VASOMOTOR),
        Item("skin_colour_asymmetry", "Skin colour asymmetry", YES_NO, VASOMOTOR),
        Item("asymmetric_oedema", "Asymmetric oedema", YES_NO, SUDOMOTOR),
        Item("sweating_asymmetry", "Sweating asymmetry", YES_NO, SUDOMOTOR),
        Item("trophic_changes", "Trophic changes (hair, nails, skin)", YES_NO, MOTOR),
        Item("motor_changes", "Motor changes (weakness, tremor, dystonia)", YES_NO, MOTOR),
        Item("decreased_range_of_motion", "Decreased active range of motion", YES_NO, MOTOR),
    ),
    score_max=9,
)

BUDAPEST = Instrument(
    code="budapest",
    name="Budapest clinical criteria for CRPS",
    short="Budapest",
    version="2010",
    source=(
        "Harden RN et al., Validation of proposed diagnostic criteria (the 'Budapest Criteria') for Complex "
        "Regional Pain Syndrome, Pain 2010;150:268-274."
    ),
    who="clinician",
    lead="The clinician's judgement at diagnosis or review:",
    items=(
        Item("continuing_pain", "A. Continuing pain, which is disproportionate to any inciting event", YES_NO),
        Item("symptom_sensory", "B. Reports hyperaesthesia and/or allodynia", YES_NO, SENSORY),
        Item(
            "symptom_vasomotor",
            "B. Reports temperature asymmetry and/or skin colour changes and/or skin colour asymmetry",
            YES_NO,
            VASOMOTOR,
        ),
        Item(
            "symptom_sudomotor",
            "B. Reports oedema and/or sweating changes and/or sweating asymmetry",
            YES_NO,
            SUDOMOTOR,
        ),
        Item(
            "symptom_motor",
            "B. Reports decreased range of motion and/or motor dysfunction (weakness, tremor, dystonia)"
            " and/or trophic changes (hair, nail, skin)",
            YES_NO,
            MOTOR,
        ),
        Item(
            "sign_sensory",
            "C. Evidence of hyperalgesia (to pinprick) and/or allodynia (to light touch and/or temperature"
            " sensation and/or deep somatic pressure and/or joint movement)",
            YES_NO,
            SENSORY,
        ),
        Item(
            "sign_vasomotor",
            "C. Evidence of temperature asymmetry (>1 \N{DEGREE SIGN}C) and/or skin colour changes and/or asymmetry",
            YES_NO,
            VASOMOTOR,
        ),
        Item(
            "sign_sudomotor",
            "C. Evidence of oedema and/or sweating changes and/or sweating asymmetry",
            YES_NO,
            SUDOMOTOR,
        ),
        Item(
            "sign_motor",
            "C. Evidence of decreased range of motion and/or motor dysfunction (weakness, tremor, dystonia)"
            " and/or trophic changes (hair, nail, skin)",
            YES_NO,
            MOTOR,
        ),
        Item(
            "no_better_diagnosis", "D. There is no other diagnosis that better explains the signs and symptoms", YES_NO
        ),
    ),
    score_max=10,
    notes=("A record of the clinician's judgement, never a diagnosis by the app.",),
)

PEG = Instrument(
    code="peg",
    name="PEG: pain, enjoyment of life and general activity",
    short="PEG",
    version="2009",
    source="Krebs EE et al., J Gen Intern Med 2009;24:733-738. Score: the mean of the three items (0-10).",
    who="patient",
    lead="During the past week:",
    items=(
        Item(
            "pain",
            "What number best describes your pain on average in the past week?",
            ZERO_TO_TEN,
            hint="0 = no pain, 10 = pain as bad as you can imagine",
        ),
        Item(
            "enjoyment",
            "What number best describes how, during the past week, pain has interfered with your enjoyment of life?",
            ZERO_TO_TEN,
            hint="0 = does not interfere, 10 = completely interferes",
        ),
        Item(
            "activity",
            "What number best describes how, during the past week, pain has interfered with your general activity?",
            ZERO_TO_TEN,
            hint="0 = does not interfere, 10 = completely interferes",
        ),
    ),
    score_max=10,
    every_days=7,
    decimals=1,
)

PHQ9 = Instrument(
    code="phq9",
    name="PHQ-9: mood over the last two weeks",
    short="PHQ-9",
    version="1999",
    source="Kroenke K, Spitzer RL, Williams JBW, J Gen Intern Med 2001;16:606-613. Free to use.",
    who="patient",
    lead="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    items=(
        Item("interest", "Little interest or pleasure in doing things", HOW_OFTEN),
        Item("down", "Feeling down, depressed, or hopeless", HOW_OFTEN),
        Item("sleep", "Trouble falling or staying asleep, or sleeping too much", HOW_OFTEN),
        Item("tired", "Feeling tired or having little energy", HOW_OFTEN),
        Item("appetite", "Poor appetite or overeating", HOW_OFTEN),
        Item(
            "failure",
            "Feeling bad about yourself, or that you are a failure or have let yourself or your family down",
            HOW_OFTEN,
        ),
        Item(
            "concentrating",
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            HOW_OFTEN,
        ),
        Item(
            "moving",
            "Moving or speaking so slowly that other people could have noticed? Or the opposite: being so fidgety"
            " or restless that you have been moving around a lot more than usual",
            HOW_OFTEN,
        ),
        Item("self_harm", "Thoughts that you would be better off dead or of hurting yourself in some way", HOW_OFTEN),
    ),
    score_max=27,
    bands=(
        Band(0, "minimal"),
        Band(5, "mild"),
        Band(10, "moderate"),
        Band(15, "moderately severe"),
        Band(20, "severe"),
    ),
    every_days=30,
    loinc_panel="44249-1",
    loinc_total="44261-6",
)

GAD7 = Instrument(
    code="gad7",
    name="GAD-7: anxiety over the last two weeks",
    short="GAD-7",
    version="2006",
    source="Spitzer RL, Kroenke K, Williams JBW, Lowe B, Arch Intern Med 2006;166:1092-1097. Free to use.",
    who="patient",
    lead="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        Item("nervous", "Feeling nervous, anxious, or on edge", HOW_OFTEN),
        Item("worrying", "Not being able to stop or control worrying", HOW_OFTEN),
        Item("too_much", "Worrying too much about different things", HOW_OFTEN),
        Item("relaxing", "Trouble relaxing", HOW_OFTEN),
        Item("restless", "Being so restless that it is hard to sit still", HOW_OFTEN),
        Item("irritable", "Becoming easily annoyed or irritable", HOW_OFTEN),
        Item("afraid", "Feeling afraid, as if something awful might happen", HOW_OFTEN),
    ),
    score_max=21,
    bands=(Band(0, "minimal"), Band(5, "mild"), Band(10, "moderate"), Band(15, "severe")),
    every_days=30,
    loinc_panel="69737-5",
    loinc_total="70274-6",
)

INSTRUMENTS: dict[str, Instrument] = {i.code: i for i in (PEG, PHQ9, GAD7, CSS_SYMPTOMS, CSS_SIGNS, BUDAPEST)}
PATIENT_INSTRUMENTS = tuple(i for i in INSTRUMENTS.values() if i.who == "patient")
# PHQ-9 item 9 (thoughts of self-harm): any answer above "not at all" opens the safety path at once.
SAFETY_ITEM = ("phq9", "self_harm")


# How often a patient questionnaire can be asked, in days (0: not asked).
SCHEDULE_CHOICES = (
    (0, "Not asked"),
    (7, "Weekly"),
    (14, "Every two weeks"),
    (30, "Monthly"),
    (91, "Every three months"),
)


def schedule_choices(current: int) -> list[tuple[int, str]]:
    """The choices, with the current interval among them even when it is not one of them."""
    choices = list(SCHEDULE_CHOICES)
    if current not in dict(choices):
        choices.append((current, f"Every {current} days"))
    return choices


def needs_safety_path(code: str, answers: Mapping[str, int]) -> bool:
    instrument, item = SAFETY_ITEM
    return code == instrument and answers.get(item, 0) > 0


@dataclass(frozen=True)
class BudapestResult:
    met: bool
    pain: bool
    symptom_categories: tuple[str, ...]
    sign_categories: tuple[str, ...]
    no_better_diagnosis: bool

    @property
    def details(self) -> str:
        """On which items: "continuing disproportionate pain yes; symptoms in 3 of 4 categories (...); ..."."""
        symptoms = ", ".join(self.symptom_categories) or "none"
        signs = ", ".join(self.sign_categories) or "none"
        return (
            f"continuing disproportionate pain {'yes' if self.pain else 'no'}; symptoms in "
            f"{len(self.symptom_categories)} of 4 categories ({symptoms}); signs in {len(self.sign_categories)} "
            f"of 4 ({signs}); no better explanation {'yes' if self.no_better_diagnosis else 'no'}"
        )

    @property
    def summary(self) -> str:
        """In words: whether the clinical criteria are met, and on which items."""
        verdict = "Budapest clinical criteria met" if self.met else "Budapest clinical criteria not met"
        return f"{verdict}: {self.details}"


def budapest(answers: Mapping[str, int]) -> BudapestResult:
    """The clinical criteria (Harden 2010): A, symptoms in at least 3 of 4 categories, signs in at least 2
    of 4, and D. The clinician's record; the app only counts."""
    symptom = tuple(i.category for i in BUDAPEST.items if i.key.startswith("symptom_") and answers.get(i.key))
    sign = tuple(i.category for i in BUDAPEST.items if i.key.startswith("sign_") and answers.get(i.key))
    pain, alone = bool(answers.get("continuing_pain")), bool(answers.get("no_better_diagnosis"))
    return BudapestResult(pain and len(symptom) >= 3 and len(sign) >= 2 and alone, pain, symptom, sign, alone)


def css_total(symptoms: Mapping[str, int], signs: Mapping[str, int]) -> int:
    """The CRPS Severity Score, 0-17: one point for each symptom reported and each sign found."""
    return sum(symptoms[i.key] for i in CSS_SYMPTOMS.items) + sum(signs[i.key] for i in CSS_SIGNS.items)


def css_change_words(change: int, since: str) -> str:
    """The 4.9-point rule in words: "up 6 since 3 Jun: a real change"."""
    if change == 0:
        return f"no change since {since}"
    direction = "up" if change > 0 else "down"
    real = "a real change" if abs(change) >= CSS_REAL_CHANGE else f"within {CSS_REAL_CHANGE} points: not a real change"
    return f"{direction} {abs(change)} since {since}: {real}"


def peg_change_words(before: float, now: float) -> str:
    """A PEG change against its 30 % rule, in words."""
    if before == 0:
        return "no earlier score to compare with" if now == 0 else "up from 0"
    relative = (now - before) / before
    direction = "up" if now > before else "down" if now < before else "level"
    important = "clinically important" if abs(relative) >= PEG_IMPORTANT_CHANGE else "not clinically important"
    return f"{direction} {percent_of(abs(now - before), before)} % ({important})"
