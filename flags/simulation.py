"""Synthetic patient diaries for the detection benchmark. Pure functions, fixed seeds.

The noise model follows what real pain diaries show: a day-to-day standard deviation around
one point, strongly correlated from one day to the next (AR(1)), a weekly rhythm, slow drift,
and missing days (up to a third, with week-long gaps). Events are injected on top.
"""

import datetime
import math
import random
from dataclasses import dataclass, field

from symptoms.vocabulary import MEASURES
from symptoms.yardsticks import higher_is_worse

MEASURE_NAMES = tuple(m.name for m in MEASURES)
# A gradual rise: this many points, climbing in a straight line over this many days, then level.
GRADUAL_POINTS, GRADUAL_DAYS = 3.0, 21
START = datetime.date(2024, 1, 1)


@dataclass(frozen=True)
class Event:
    kind: str  # sustained, gradual, new_sign, mood_drop, flare, joint (one Event per measure, same onset)
    measure: str
    onset: datetime.date
    size: float
    length_days: int  # for flares; 0 = lasts to the end


@dataclass
class SimulatedPatient:
    days: int
    daily: dict[datetime.date, dict[str, int | None]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    noise: dict[str, float] = field(default_factory=dict)  # the drawn noise parameters, for miss analysis
    # What the diary is drawn from, for the oracle bound (flags.oracle): each measure's level on every day of
    # the diary without the event (its own level, the drift and the weekly rhythm; on the measure's own scale).
    usual: dict[str, list[float]] = field(default_factory=dict)


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))


@dataclass(frozen=True)
class Profile:
    """The ranges each simulated patient's noise is drawn from, and where its event may start."""

    sd: tuple[float, float] = (0.8, 1.2)  # day-to-day standard deviation, points
    phi: tuple[float, float] = (0.5, 0.75)  # AR(1) correlation from one day to the next
    missing: tuple[float, float] = (0.05, 0.33)  # share of days missed (besides runs of missed days)
    onset_from: int = 90  # the earliest day of the diary an event may start on
    onset_room: int = 45  # ... and at least this many days before the diary ends


# The long-diary benchmark (issue 9): events after three months of diary, in diaries of 548 days.
LONG = Profile()
# The benchmark that looks like the users (issue 19): noise as wide as the independent check's held-out
# set (SD 0.8-1.4, 0-35 % of days missed), and events from day 42 on, up to 14 days before the end.
USERS = Profile(sd=(0.8, 1.4), missing=(0.0, 0.35), onset_from=42, onset_room=14)


def simulate_patient(
    rng: random.Random, *, days: int, event_kind: str | None, profile: Profile = LONG
) -> SimulatedPatient:
    patient = SimulatedPatient(days=days)
    levels = {
        "pain": rng.uniform(3, 6),
        "spasms": rng.uniform(2, 5),
        "swelling": rng.uniform(1, 4),
        "skin_changes": rng.uniform(1, 4),
        "mood": rng.uniform(4, 7),
    }
    sd = rng.uniform(*profile.sd)
    phi = rng.uniform(*profile.phi)
    missing = rng.uniform(*profile.missing)
    drift_amp = rng.uniform(0, 0.5)
    drift_period = rng.uniform(180, 540)  # slow: a season, not a few weeks
    drift_phase = rng.uniform(0, 2 * math.pi)
    weekly = {m: rng.uniform(0, 0.4) for m in MEASURE_NAMES}
    weekly_day = rng.randrange(7)
    patient.noise = {"sd": sd, "phi": phi, "missing": missing, "drift": drift_amp}

    # Events: one of the kind asked for, from the profile's first day on (a joint event: on two measures).
    shift: dict[str, list] = {m: [] for m in MEASURE_NAMES}
    partners: list[Event] = []  # the other measures of a joint event
    if event_kind:
        onset_day = rng.randrange(profile.onset_from, days - profile.onset_room)
        onset = START + datetime.timedelta(days=onset_day)
        if event_kind == "sustained":
            measure = rng.choice(("pain", "spasms", "swelling", "skin_changes"))
            event = Event("sustained", measure, onset, rng.uniform(2, 4), 0)
        elif event_kind == "gradual":
            measure = rng.choice(("pain", "spasms"))
            event = Event("gradual", measure, onset, GRADUAL_POINTS, GRADUAL_DAYS)
        elif event_kind == "new_sign":
            measure = rng.choice(("swelling", "skin_changes"))
            levels[measure] = rng.uniform(0, 0.6)
            event = Event("new_sign", measure, onset, rng.uniform(2.5, 4), 0)
        elif event_kind == "mood_drop":
            measure = "mood"
            event = Event("mood_drop", measure, onset, -rng.uniform(2, 3.5), 0)
        elif event_kind == "joint":  # a lasting CRPS flare: pain with spasms or swelling, both up the same
            measure = "pain"
            event = Event("joint", measure, onset, rng.uniform(1.5, 3), 0)
            partners.append(Event("joint", rng.choice(("spasms", "swelling")), onset, event.size, 0))
        else:  # flare: 1-2 days, then back
            measure = rng.choice(("pain", "spasms", "pain"))
            event = Event("flare", measure, onset, rng.uniform(3, 5), rng.choice((1, 2)))
        for one in (event, *partners):
            patient.events.append(one)
            shift[one.measure].append(one)

    noise = dict.fromkeys(MEASURE_NAMES, 0.0)
    patient.usual = {m: [] for m in MEASURE_NAMES}
    gap_until = -1
    for day in range(days):
        date = START + datetime.timedelta(days=day)
        drift = drift_amp * math.sin(2 * math.pi * day / drift_period + drift_phase)
        usual = {}
        for m in MEASURE_NAMES:
            noise[m] = phi * noise[m] + rng.gauss(0, sd * math.sqrt(1 - phi * phi))
            worse = 1 if higher_is_worse(m) else -1  # drift and the weekly rhythm make every measure worse
            usual[m] = levels[m] + worse * drift + (worse * weekly[m] if date.weekday() == weekly_day else 0.0)
            patient.usual[m].append(usual[m])
        if day <= gap_until:
            continue
        if rng.random() < 1 / 120:  # now and then a run of days without entries
            gap_until = day + rng.randint(3, 8)
            continue
        if rng.random() < missing:
            continue
        values: dict[str, int | None] = {}
        for m in MEASURE_NAMES:
            value = usual[m] + noise[m] + sum(_effect(event, date) for event in shift[m])
            values[m] = _clamp(value)
        patient.daily[date] = values
    return patient


def _effect(event: Event, date: datetime.date) -> float:
    elapsed = (date - event.onset).days
    if elapsed < 0:
        return 0.0
    if event.kind == "flare":
        return event.size if elapsed < event.length_days else 0.0
    if event.kind == "gradual":
        return event.size * min(1.0, (elapsed + 1) / event.length_days)
    return event.size
