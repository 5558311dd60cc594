"""A realistic, reproducible demo diary (a pure function: no database).

About 180 days of a person with right-arm CRPS and dystonia: day-to-day noise that
is correlated from one day to the next, a weekly rhythm, missed days (some alone,
one run of a week), an improvement after a medication started, a two-day flare that
settles, and a sustained worsening over the last four weeks that is still going on.
"""

import datetime
import random

from symptoms.yardsticks import higher_is_worse

DEMO_DAYS = 180
# Day offsets (0 = the first demo day); treatments in the demo line up with these.
MEDICATION_START = 60  # improvement over the following three weeks
FLARE_START, FLARE_DAYS = 100, 2  # a short flare that settles by itself
GAP_START, GAP_DAYS = 118, 7  # a week without entries
WORSENING_START = DEMO_DAYS - 28  # sustained worsening, ongoing today
# A nerve block two weeks into the worsening: about half the pain gone for 4 days, then back.
BLOCK_DAY, BLOCK_RELIEF_DAYS = WORSENING_START + 14, 4

BASELINE = {"pain": 5.0, "spasms": 4.0, "swelling": 3.0, "skin_changes": 2.5, "mood": 5.5}
NOISE_SD = 0.9  # about one point, as in real pain diaries
AUTOCORRELATION = 0.6  # today's deviation carries 60 % into tomorrow


def _ramp(day: int, start: int, length: int) -> float:
    """0 before `start`, rising linearly to 1 over `length` days, then 1."""
    if day < start:
        return 0.0
    return min(1.0, (day - start + 1) / length)


def _shift(measure: str, day: int) -> float:
    """The underlying change from baseline on `day` for `measure` (mood: up is better)."""
    improvement = _ramp(day, MEDICATION_START, 21)
    worsening = _ramp(day, WORSENING_START, 4)
    flare = 1.0 if FLARE_START <= day < FLARE_START + FLARE_DAYS else 0.0
    relief = 1.0 if BLOCK_DAY < day <= BLOCK_DAY + BLOCK_RELIEF_DAYS else 0.0
    effect = {
        "pain": -1.3 * improvement + 3.6 * worsening + 3.0 * flare - 3.5 * relief,
        "spasms": -0.8 * improvement + 2.6 * worsening + 2.5 * flare - 1.0 * relief,
        "swelling": -0.5 * improvement + 1.8 * worsening + 1.5 * flare,
        "skin_changes": -0.3 * improvement + 1.5 * worsening + 1.0 * flare - 1.0 * relief,
        "mood": 1.0 * improvement - 2.4 * worsening - 2.0 * flare + 1.0 * relief,
    }
    return effect[measure]


def underlying(measure: str, day: int) -> float:
    """The level of `measure` on `day` before the day-to-day noise: what the demo's story says it is."""
    return BASELINE[measure] + _shift(measure, day)


NOTES = {
    MEDICATION_START: "Started gabapentin today. A bit drowsy.",
    MEDICATION_START + 14: "Sleeping better since the new tablets.",
    FLARE_START: "Cold snap. Burning right up the arm, hand clenched all evening.",
    FLARE_START + 1: "Still flaring but easing by the afternoon.",
    FLARE_START + 3: "Back to my usual.",
    WORSENING_START: "Hand curling in more than usual. Hard to open the fingers.",
    WORSENING_START + 6: "Worse all week. Couldn't do physio exercises.",
    WORSENING_START + 15: "Swelling up to the wrist, skin purple. Want to ask about this at clinic.",
    DEMO_DAYS - 2: "Another bad night. Spasms woke me twice.",
}


# The notes the demo patient put in the clinician's report ("Put this note in my clinician's appointment report").
FOR_THE_REPORT = (WORSENING_START + 6, WORSENING_START + 15)
QUESTIONS = (
    "Is the purple colour and the swelling up to the wrist the CRPS spreading?\n"
    "Should I have the nerve block again? It helped for about four days."
)


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))


def demo_report_notes(today: datetime.date) -> list[datetime.date]:
    """The dates of the notes the demo patient put in the clinician's report."""
    first = today - datetime.timedelta(days=DEMO_DAYS - 1)
    return [first + datetime.timedelta(days=day) for day in FOR_THE_REPORT]


def demo_diary(today: datetime.date, *, seed: int = 2026) -> list[dict]:
    """Diary rows for the DEMO_DAYS days up to `today`, as the diary import takes them."""
    rng = random.Random(seed)
    first = today - datetime.timedelta(days=DEMO_DAYS - 1)
    deviation = dict.fromkeys(BASELINE, 0.0)
    rows = []
    for day in range(DEMO_DAYS):
        date = first + datetime.timedelta(days=day)
        for measure in BASELINE:
            innovation = rng.gauss(0, NOISE_SD * (1 - AUTOCORRELATION**2) ** 0.5)
            deviation[measure] = AUTOCORRELATION * deviation[measure] + innovation
        weekly = 0.4 if date.weekday() in (0, 1) else 0.0  # the days after busy weekends
        values = {
            m: BASELINE[m] + _shift(m, day) + deviation[m] + (weekly if higher_is_worse(m) else -weekly)
            for m in BASELINE
        }
        missed = GAP_START <= day < GAP_START + GAP_DAYS or (rng.random() < 0.14 and day < DEMO_DAYS - 1)
        if missed and day not in NOTES:
            continue
        pain = _clamp(values["pain"])
        skipped_measure = rng.choice(list(BASELINE)) if rng.random() < 0.05 else None
        measures: dict[str, int | None] = {m: _clamp(v) for m, v in values.items()}
        if skipped_measure:
            measures[skipped_measure] = None
        row: dict[str, object] = {"date": date, **measures}
        bad_day = pain >= 7
        row.update(
            notes=NOTES.get(day, ""),
            worst_pain=min(10, pain + rng.choice((1, 1, 2))),
            pain_qualities=["burning"] + (["electric"] if bad_day else []) + (["aching"] if rng.random() < 0.4 else []),
            allodynia=bad_day or rng.random() < 0.3,
            triggers=(["temperature"] if FLARE_START <= day < FLARE_START + FLARE_DAYS else [])
            + (["movement"] if rng.random() < 0.3 else []),
            body_sites=["right_hand", "right_arm"] if day >= WORSENING_START else ["right_hand"],
            spasm_episodes=max(0, (measures["spasms"] or 0) // 2 + rng.choice((0, 1))),
            tremor=bad_day and rng.random() < 0.5,
            skin_colour="blue_purple" if day >= WORSENING_START + 10 else ("red" if bad_day else "normal"),
            limb_temperature="colder" if day >= WORSENING_START else "same",
            sweating="more" if day >= WORSENING_START + 5 else "normal",
            sleep_quality=_clamp(8 - 0.6 * pain + rng.gauss(0, 1)),
            anxiety=_clamp(2 + 0.5 * pain + rng.gauss(0, 1)),
            interference=_clamp(pain + rng.gauss(0, 1)),
        )
        rows.append(row)
    return rows
