"""The CRPS signs of the diary, and how often each was present: now, over four weeks and usually.

The signs are those of the Budapest criteria, the clinical diagnostic criteria for CRPS, which group
them in four categories: sensory (allodynia), vasomotor (temperature asymmetry, skin colour change),
sudomotor/oedema (sweating change, oedema) and motor/trophic (decreased range of motion, weakness,
tremor, dystonia, trophic changes). Source: Harden RN, Bruehl S, Perez RSGM et al., "Validation of
proposed diagnostic criteria (the 'Budapest Criteria') for Complex Regional Pain Syndrome",
Pain 2010;150:268-274. Poor sleep is not a Budapest sign; it is counted the same way because it
moves with pain in CRPS and a clinician asks about it.

Each sign is defined once, below, with its rule for "present on a day" in words. A day's sign is
True (present), False (recorded, absent) or None (not recorded: the field was left empty that day,
or the day was not logged). A sign that was not recorded at all in a window says "not recorded",
never "0 days".

Windows: "now" is the 7 days ending on the day, as for the five measures; the 28 days ending on the
day give the month; "usual" is the share of recorded days on which the sign was present in the usual
window of symptoms.yardsticks (the 42 days before the 7-day "now" window), never a window of its own.
Pure functions: `daily` maps each logged date to that day's values by field name.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .yardsticks import NOW_DAYS, NOW_MIN, USUAL_DAYS, USUAL_MIN, Comparison, compare, usual_window_end

DailyValues = Mapping[datetime.date, Mapping[str, object]]

MONTH_DAYS = 28

# Swelling is a 0-10 rating. A day counts as swollen from 3: a patient's ratings move by about a
# point from day to day with nothing changed (symptoms.yardsticks), so a 1 or a 2 can be noise on a limb
# that is not swollen; 3 is two of those points clear of "none". The spasms rating counts as a
# motor sign from the same point, for the same reason.
SWELLING_PRESENT_FROM = 3
SPASMS_PRESENT_FROM = SWELLING_PRESENT_FROM
# Sleep quality is 0-10 with 10 = best. A night counts as poor at 3 or less: the bottom third of
# the scale, so that an ordinary middling night (4 to 6) is not counted.
POOR_SLEEP_UP_TO = 3
# "More often than usual" (or less): present on at least 2 days more (or fewer) in the last 7 than
# the usual share predicts over the days recorded. A week's count wanders by one day either way by
# chance at any usual share (the binomial spread over 7 days is at most 1.3 days).
MORE_OFTEN_DAYS = 2


def _yes(field: str) -> Callable[[Mapping], bool | None]:
    def present(values: Mapping) -> bool | None:
        value = values.get(field)
        return None if value is None else bool(value)

    return present


def _choice_other_than(field: str, unchanged: str) -> Callable[[Mapping], bool | None]:
    def present(values: Mapping) -> bool | None:
        value = values.get(field)
        return None if value in (None, "") else value != unchanged

    return present


def _at_least(field: str, threshold: int) -> Callable[[Mapping], bool | None]:
    def present(values: Mapping) -> bool | None:
        value = values.get(field)
        return None if value is None else value >= threshold

    return present


def _at_most(field: str, threshold: int) -> Callable[[Mapping], bool | None]:
    def present(values: Mapping) -> bool | None:
        value = values.get(field)
        return None if value is None else value <= threshold

    return present


def _any_of(*rules: Callable[[Mapping], bool | None]) -> Callable[[Mapping], bool | None]:
    """Present if any recorded part shows it; absent if some part was recorded and none shows it."""

    def present(values: Mapping) -> bool | None:
        found = [rule(values) for rule in rules]
        if any(found):
            return True
        return None if all(f is None for f in found) else False

    return present


@dataclass(frozen=True)
class Sign:
    key: str  # also its code in the FHIR export (docs/fhir.md)
    label: str
    lane: str  # its short name on the chart's signs strip
    category: str  # its Budapest category
    rule: str  # "present on a day" in words, as the table's notes and the FHIR export say it
    fields: tuple[str, ...]  # the diary fields it reads
    present: Callable[[Mapping], bool | None]


SENSORY = "Sensory"
VASOMOTOR = "Vasomotor"
SUDOMOTOR = "Sudomotor / oedema"
MOTOR = "Motor / trophic"
NOT_BUDAPEST = "Sleep (not a Budapest sign)"

SIGNS: tuple[Sign, ...] = (
    Sign(
        "allodynia",
        "Allodynia (touch-evoked pain)",
        "Allodynia",
        SENSORY,
        "touch-evoked pain answered yes",
        ("allodynia",),
        _yes("allodynia"),
    ),
    Sign(
        "temperature_difference",
        "Temperature difference",
        "Temperature",
        VASOMOTOR,
        "limb warmer or colder than the other side",
        ("limb_temperature",),
        _choice_other_than("limb_temperature", "same"),
    ),
    Sign(
        "skin_colour_change",
        "Skin colour change",
        "Skin colour",
        VASOMOTOR,
        "skin colour red, pale, mottled or blue/purple",
        ("skin_colour",),
        _choice_other_than("skin_colour", "normal"),
    ),
    Sign(
        "sweating_change",
        "Sweating change",
        "Sweating",
        SUDOMOTOR,
        "sweating more or less than usual",
        ("sweating",),
        _choice_other_than("sweating", "normal"),
    ),
    Sign(
        "swelling",
        "Swelling",
        "Swelling",
        SUDOMOTOR,
        f"swelling rated {SWELLING_PRESENT_FROM} or more of 10",
        ("swelling",),
        _at_least("swelling", SWELLING_PRESENT_FROM),
    ),
    Sign(
        "tremor_or_dystonia",
        "Tremor or dystonia",
        "Tremor/dystonia",
        MOTOR,
        f"tremor or jerking answered yes, at least one spasm episode, or spasms rated {SPASMS_PRESENT_FROM} or more",
        ("tremor", "spasm_episodes", "spasms"),
        _any_of(_yes("tremor"), _at_least("spasm_episodes", 1), _at_least("spasms", SPASMS_PRESENT_FROM)),
    ),
    Sign(
        "poor_sleep",
        "Poor sleep",
        "Poor sleep",
        NOT_BUDAPEST,
        f"sleep quality {POOR_SLEEP_UP_TO} or less of 10 (10 = best)",
        ("sleep_quality",),
        _at_most("sleep_quality", POOR_SLEEP_UP_TO),
    ),
)
SIGN_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(f for sign in SIGNS for f in sign.fields))


def sign_on(sign: Sign, daily: DailyValues, day: datetime.date) -> bool | None:
    """The sign on one day: True (present), False (recorded, absent) or None (not recorded)."""
    values = daily.get(day)
    return None if values is None else sign.present(values)


@dataclass(frozen=True)
class Count:
    """Days present and days recorded of a sign in a window of `days` days."""

    present: int
    recorded: int
    days: int

    @property
    def share(self) -> float | None:
        """The share of recorded days on which it was present; None when never recorded."""
        return self.present / self.recorded if self.recorded else None

    @property
    def shown(self) -> str:
        """'3 of 6 recorded days', or 'not recorded' (never '0 days' for a sign nobody recorded)."""
        if not self.recorded:
            return "not recorded"
        return f"{self.present} of {self.recorded} recorded day{'s' if self.recorded != 1 else ''}"


def count_days(sign: Sign, daily: DailyValues, end: datetime.date, length: int) -> Count:
    """The sign's days present and recorded in the `length` days ending on `end` (inclusive)."""
    present = recorded = 0
    for offset in range(length):
        state = sign_on(sign, daily, end - datetime.timedelta(days=offset))
        if state is not None:
            recorded += 1
            present += state
    return Count(present, recorded, length)


@dataclass(frozen=True)
class SignSummary:
    """One row of the signs table: a sign now (7 days), over 28 days and usually."""

    sign: Sign
    week: Count
    month: Count
    usual: Count  # the usual window of symptoms.yardsticks

    @property
    def comparable(self) -> bool:
        return self.week.recorded >= NOW_MIN and self.usual.recorded >= USUAL_MIN

    @property
    def usual_shown(self) -> str:
        """The usual share in words: '2 in 10 days', 'never', 'every day'; or why there is none."""
        if not self.usual.recorded:
            return "not recorded"
        if self.usual.recorded < USUAL_MIN:
            return f"too few days ({self.usual.recorded} recorded)"
        if self.usual.present == 0:
            return "never"
        if self.usual.present == self.usual.recorded:
            return "every day"
        # Halves up, in whole numbers (round() takes 2.5 to 2, and 10 * 0.35 is 3.4999... in floats).
        tenths = (20 * self.usual.present + self.usual.recorded) // (2 * self.usual.recorded)
        if tenths == 0:
            return "under 1 in 10 days"
        if tenths == 10:
            return "nearly every day"
        return f"{tenths} in 10 days"

    @property
    def expected(self) -> float | None:
        """Days present in the last 7 at the usual share, over the days recorded in them."""
        share = self.usual.share  # never None when comparable (at least USUAL_MIN days recorded)
        return share * self.week.recorded if self.comparable and share is not None else None

    @property
    def trend(self) -> str:
        """'more often', 'less often' or '' (as usual, or too few recorded days to say)."""
        expected = self.expected
        if expected is None:  # not comparable
            return ""
        if self.week.present >= expected + MORE_OFTEN_DAYS:
            return "more often"
        if self.week.present <= expected - MORE_OFTEN_DAYS:
            return "less often"
        return ""


def sign_summary(sign: Sign, daily: DailyValues, day: datetime.date) -> SignSummary:
    return SignSummary(
        sign,
        count_days(sign, daily, day, NOW_DAYS),
        count_days(sign, daily, day, MONTH_DAYS),
        count_days(sign, daily, usual_window_end(day), USUAL_DAYS),
    )


def signs_summary(daily: DailyValues, day: datetime.date) -> list[SignSummary]:
    """Every sign's row of the signs table for the 7 days ending on `day`."""
    return [sign_summary(sign, daily, day) for sign in SIGNS]


@dataclass(frozen=True)
class DetailMeasure:
    """A 0-10 detail rating summarised as now against usual, like the five headline measures."""

    name: str
    label: str
    higher_is_worse: bool = True


DETAIL_MEASURES: tuple[DetailMeasure, ...] = (
    DetailMeasure("worst_pain", "Worst pain"),
    DetailMeasure("sleep_quality", "Sleep quality", higher_is_worse=False),
    DetailMeasure("anxiety", "Anxiety"),
    DetailMeasure("interference", "Interference with daily activities"),
)
DETAIL_MEASURE_FIELDS: tuple[str, ...] = tuple(m.name for m in DETAIL_MEASURES)


@dataclass(frozen=True)
class DetailRow:
    measure: DetailMeasure
    comparison: Comparison


def detail_rows(daily: DailyValues, day: datetime.date) -> list[DetailRow]:
    """Now (the 7 days ending on `day`) against usual for worst pain, sleep, anxiety and interference."""
    rows = []
    for measure in DETAIL_MEASURES:
        # A rating recorded that day is a whole number (an empty field is None, a day not logged absent).
        series = {d: value for d, v in daily.items() if isinstance(value := v.get(measure.name), int | float)}
        rows.append(DetailRow(measure, compare(series, day, higher_is_worse=measure.higher_is_worse)))
    return rows


@dataclass(frozen=True)
class SignsTable:
    """What the dashboard, the review and the report show of the signs and the detail ratings."""

    day: datetime.date
    signs: list[SignSummary]
    details: list[DetailRow]

    @property
    def anything_recorded(self) -> bool:
        return any(s.month.recorded or s.usual.recorded for s in self.signs) or any(
            r.comparison.now or r.comparison.usual for r in self.details
        )


def signs_table(daily: DailyValues, day: datetime.date) -> SignsTable:
    return SignsTable(day, signs_summary(daily, day), detail_rows(daily, day))
