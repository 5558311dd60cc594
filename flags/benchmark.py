"""The detection benchmark: simulated diaries with known events, scored per event kind.

Sensitivity: a flag on the event's measure within 14 days of onset (28 for gradual rises).
Delay: days from onset to that flag. Named right: of those flags, how many carry the event's
kind (a gradual rise called "gradual", a jump "sustained"). False alarms: every other flag, on
any measure, per patient-year of diary. The simple rule runs on the same diaries as the comparison.

Sensitivity is counted twice: against all events, and against the events visible in the diary.

Visible: whether the diary itself ever showed the event as a clinically important change within
that window, seen with hindsight: on some day, the week up to it, wholly after the onset, against
the 42 days before the onset. It is a yardstick for the rule, not a strict ceiling: an event the
diary never showed as a week's clinically important change is out of reach of any rule that asks
for one, whatever false alarms it allows; a rule with shorter windows may catch a few of them.

Two benchmarks: `run`, the long diaries of issue 9 (548 days, events after three months), and
`simulate_mixed` with `score`, the one that looks like the users of a new app (issue 19): diaries of
60, 120, 180, 365 and 548 days, events from day 42 on, scored by history length and overall.

`reach` bounds what the rule can find at a noise multiple: for each visible event, the largest multiple at
which the rule's test of one day passes within the event's window, with no episode open to hide it.
"""

import datetime
import random
import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from symptoms.yardsticks import (
    CLINICALLY_IMPORTANT_POINTS,
    NOW_DAYS,
    NOW_MIN,
    USUAL_DAYS,
    higher_is_worse,
    is_clinically_important,
    on_worse_scale,
)

from .detection import (
    PARAMETERS,
    Episode,
    Parameters,
    _as_list,
    _episode,
    _met,
    _prepare,
    _Sums,
    _window,
    detect_patient,
)
from .simulation import LONG, MEASURE_NAMES, START, USERS, Event, Profile, SimulatedPatient, simulate_patient

KINDS = ("sustained", "gradual", "new_sign", "mood_drop", "flare", "stable")
WINDOW = {"gradual": 28}
DEFAULT_WINDOW = 14
BASELINE_DAYS = USUAL_DAYS  # for the hindsight view of an event (`visible`): the usual level's window
# The simple rule the issues compare against: the 7-day mean against the 4 weeks before it (at least
# 10 of them logged), flagged at a rise of 2 points; it resolves as the rule's episodes do.
SIMPLE_RULE_BASELINE_DAYS = 28
SIMPLE_RULE_BASELINE_MIN = 10
EVENT_KINDS = ("sustained", "gradual", "new_sign", "mood_drop")
# A lasting CRPS flare on two measures at once (flags.simulation), simulated apart from KINDS (so that the
# benchmark's diaries stay as they were) to measure multivariate evidence (flags.paired).
JOINT = "joint"
# The history lengths of the benchmark that looks like the users (days of diary).
LENGTHS = (60, 120, 180, 365, 548)


@dataclass
class Score:
    events: int = 0
    detected: int = 0
    named_right: int = 0  # of the detected, how many flags carry the event's kind
    visible: int = 0
    visible_detected: int = 0  # of the visible events, how many were found
    delays: list[int] = field(default_factory=list)  # days from each detected event's onset to its flag
    false_alarms: int = 0
    patient_years: float = 0.0


def run(
    *, seed: int, patients_per_kind: int, days: int, detector=detect_patient, profile: Profile = LONG
) -> dict[str, Score]:
    rng = random.Random(seed)
    scores: dict[str, Score] = defaultdict(Score)
    until = START + datetime.timedelta(days=days - 1)
    for kind in KINDS:
        for _ in range(patients_per_kind):
            patient = simulate_patient(rng, days=days, event_kind=None if kind == "stable" else kind, profile=profile)
            score_patient(patient, kind, detector(patient.daily, MEASURE_NAMES, until=until), scores[kind])
    return scores


def score_patient(patient: SimulatedPatient, kind: str, found: list, score: Score) -> None:
    """Add one simulated patient's flags (`found`) to the score of their event's kind. A joint event (on two
    measures at once) is found by the first flag on either of its measures, and visible if either measure
    showed it; a flag on its other measure within the window is the same event, not a false alarm."""
    score.patient_years += patient.days / 365.25
    event = patient.events[0] if patient.events else None
    measures = {one.measure for one in patient.events}
    matched_on = None  # the measure whose flag found the event
    window = WINDOW.get(kind, DEFAULT_WINDOW)
    for episode in sorted(found, key=lambda e: e.date):
        on_time = (
            event is not None
            and kind != "flare"
            and episode.measure in measures
            and 0 <= (episode.date - event.onset).days <= window
        )
        if on_time and event is not None and matched_on is None:
            matched_on = episode.measure
            score.delays.append((episode.date - event.onset).days)
            score.named_right += episode.kind == event.kind
        elif on_time and episode.measure != matched_on:
            continue
        else:
            score.false_alarms += 1
    if event and kind != "flare":
        shown = any(visible(patient, one, window) for one in patient.events)
        score.events += 1
        score.detected += matched_on is not None
        score.visible += shown
        score.visible_detected += matched_on is not None and shown


@dataclass(frozen=True)
class Simulated:
    length: int  # days of diary
    kind: str
    patient: SimulatedPatient


def simulate_mixed(
    *,
    seed: int,
    patients_per_kind: int,
    lengths: tuple[int, ...] = LENGTHS,
    profile: Profile = USERS,
    kinds: tuple[str, ...] = KINDS,
) -> list[Simulated]:
    """The benchmark that looks like the users: `patients_per_kind` patients of each kind for each history
    length, events from the profile's day 42 on. Fixed by the seed; simulated once, scored by any detector.
    `kinds=(JOINT,)`: diaries with joint events only, for multivariate evidence (flags.paired)."""
    rng = random.Random(seed)
    return [
        Simulated(
            length,
            kind,
            simulate_patient(rng, days=length, event_kind=None if kind == "stable" else kind, profile=profile),
        )
        for length in lengths
        for kind in kinds
        for _ in range(patients_per_kind)
    ]


def score(simulated: list[Simulated], detector=detect_patient) -> dict[int | str, dict[str, Score]]:
    """Each history length's scores by event kind, and "all" over every length."""
    scores: dict[int | str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    for one in simulated:
        until = START + datetime.timedelta(days=one.length - 1)
        found = detector(one.patient.daily, MEASURE_NAMES, until=until)
        for scope in (one.length, "all"):
            score_patient(one.patient, one.kind, found, scores[scope][one.kind])
    return scores


def visible(patient: SimulatedPatient, event: Event, window: int) -> bool:
    """Whether the diary ever showed `event` as a clinically important change within `window` days.

    With hindsight (the onset is known): on some day, the week up to it, wholly after the onset and
    at least 4 days logged, against the mean of the 42 days before the onset.
    """

    def logged(first: int, last: int) -> list[int]:
        days = (event.onset + datetime.timedelta(days=k) for k in range(first, last + 1))
        values = (patient.daily[d][event.measure] for d in days if d in patient.daily)
        return [v for v in values if v is not None]  # simulate_patient logs every measure (None: not logged)

    before = logged(-BASELINE_DAYS, -1)
    if not before:
        return False
    baseline = on_worse_scale(event.measure, statistics.fmean(before))
    for day in range(NOW_DAYS - 1, window + 1):
        week = logged(day - NOW_DAYS + 1, day)
        if len(week) < NOW_MIN:
            continue
        after = on_worse_scale(event.measure, statistics.fmean(week))
        if after > baseline and is_clinically_important(
            baseline, after, higher_is_worse=higher_is_worse(event.measure)
        ):
            return True
    return False


def table(scores: dict[str, Score]) -> list[tuple]:
    rows = []
    total_fa = sum(s.false_alarms for s in scores.values())
    total_years = sum(s.patient_years for s in scores.values())
    for kind in KINDS:
        s = scores[kind]
        sensitivity = f"{100 * s.detected / s.events:.1f} %" if s.events else "n/a"
        delay = f"{statistics.median(s.delays):.0f}" if s.delays else "n/a"
        shown = f"{100 * s.visible / s.events:.1f} %" if s.events else "n/a"
        named = f"{100 * s.named_right / s.detected:.0f} %" if s.detected else "n/a"
        false_alarms = f"{s.false_alarms / s.patient_years:.2f}"
        rows.append((kind, s.events or "-", sensitivity, delay, false_alarms, shown, named))
    rows.append(("all", "", "", "", f"{total_fa / total_years:.2f}", "", ""))
    return rows


def headline(scores: dict[str, Score], *, of_visible: bool = False) -> tuple[float, float, float]:
    """(worst sensitivity over event kinds, median delay over all events, false alarms per patient-year).

    `of_visible`: the sensitivity counted against the events the diary showed."""
    kinds = [k for k in KINDS if (scores[k].visible if of_visible else scores[k].events)]
    worst = min(
        scores[k].visible_detected / scores[k].visible if of_visible else scores[k].detected / scores[k].events
        for k in kinds
    )
    delays = [d for k in kinds for d in scores[k].delays]
    total_fa = sum(s.false_alarms for s in scores.values())
    total_years = sum(s.patient_years for s in scores.values())
    return worst, statistics.median(delays) if delays else float("nan"), total_fa / total_years


def sensitivity(s: Score, *, of_visible: bool = False) -> float | None:
    if of_visible:
        return s.visible_detected / s.visible if s.visible else None
    return s.detected / s.events if s.events else None


def mixed_table(scores: dict[str, Score]) -> list[tuple]:
    """One scope's rows (a history length, or all): for each event kind the events, how many the diary
    showed, the share found of all and of the visible ones, the median delay, false alarms and names."""
    rows: list[tuple[str | int, ...]] = []
    for kind in KINDS:
        s = scores[kind]
        if s.events:
            rows.append(
                (
                    kind,
                    s.events,
                    f"{s.visible} ({100 * s.visible / s.events:.0f} %)",
                    f"{100 * s.detected / s.events:.1f} %",
                    f"{100 * s.visible_detected / s.visible:.1f} %" if s.visible else "n/a",
                    f"{statistics.median(s.delays):.0f}" if s.delays else "n/a",
                    f"{s.false_alarms / s.patient_years:.2f}",
                    f"{100 * s.named_right / s.detected:.0f} %" if s.detected else "n/a",
                )
            )
        else:
            rows.append((kind, "-", "-", "-", "-", "-", f"{s.false_alarms / s.patient_years:.2f}", "-"))
    _worst, delay, false_alarms = headline(scores, of_visible=True)
    rows.append(("all", "", "", "", "", f"{delay:.0f}", f"{false_alarms:.2f}", ""))
    return rows


def meets_targets(scores: dict[str, Score]) -> bool:
    """Issue 19's targets on one scope: at least 95 % of the visible events of every kind, a median delay
    of at most 5 days and at most 1 false alarm per patient-year."""
    worst, delay, false_alarms = headline(scores, of_visible=True)
    return worst >= 0.95 and delay <= 5 and false_alarms <= 1


def estimate_noise_prior(simulated: list[Simulated], p: Parameters = PARAMETERS) -> tuple[float, ...]:
    """Each window's mean square rise over a population (the empirical-Bayes prior, Parameters.noise_prior):
    the mean over every patient's measures of their own noise (the capped mean square rise of the year before
    the last two weeks) at the end of a diary long enough to have measured it."""
    own = replace(p, noise_prior=None)
    totals: list[list[float]] = [[] for _ in p.windows]
    for one in simulated:
        until = START + datetime.timedelta(days=one.length - 1)
        for measure in MEASURE_NAMES:
            prepared = _prepare({d: v.get(measure) for d, v in one.patient.daily.items()}, measure, until, own)
            if prepared is None:
                continue
            for k, window in enumerate(p.windows):
                last = prepared.own[window][-1]
                if last is not None:
                    totals[k].append(last)
    return tuple(round(statistics.fmean(values), 4) for values in totals)


def simple_rule_patient(
    daily: Mapping[datetime.date, Mapping[str, int | None]], measures: tuple[str, ...], *, until: datetime.date
) -> list[Episode]:
    """The simple rule on every measure of a patient (the benchmark's comparison)."""
    return [
        episode
        for measure in measures
        for episode in simple_rule({d: v.get(measure) for d, v in daily.items()}, measure, until=until)
    ]


def simple_rule(series: Mapping[datetime.date, int | None], measure: str, *, until: datetime.date) -> list[Episode]:
    """The benchmark's comparison: the 7-day mean against the 4 weeks before it, flag at 2 points."""
    first, values = _as_list(series, measure, until)
    if first is None:
        return []
    episodes, open_at, base_at_flag, calm = [], None, 0.0, 0
    for index in range(len(values)):
        recent = _window(values, index, NOW_DAYS)
        base = _window(values, index - NOW_DAYS, SIMPLE_RULE_BASELINE_DAYS)
        if len(recent) < NOW_MIN or len(base) < SIMPLE_RULE_BASELINE_MIN:
            continue
        recent_mean, base_mean = statistics.fmean(recent), statistics.fmean(base)
        if open_at is not None:
            calm = calm + 1 if recent_mean <= base_at_flag + PARAMETERS.resolve_margin else 0
            if calm >= PARAMETERS.resolve_days:
                episodes.append(_episode(measure, "sustained", first, open_at, None, index))
                open_at, calm = None, 0
            continue
        if recent_mean - base_mean >= CLINICALLY_IMPORTANT_POINTS:
            open_at, base_at_flag, calm = index, base_mean, 0
    if open_at is not None:
        episodes.append(_episode(measure, "sustained", first, open_at, None, None))
    return episodes


# --reach: the multiples of the patient's noise at which the share of visible events is counted.
REACH_MULTIPLES = (3.35, 2.85, 2.6, 2.4, 2.2, 2.0)


def reach(simulated: list[Simulated], p: Parameters = PARAMETERS) -> dict[int | str, dict[str, list[float]]]:
    """For each visible event, by history length and overall: the largest multiple of the patient's noise at
    which the rule's test of one day (a window's rise, clinically important, broad; detection._met) passes on
    some logged day within the event's window, with no episode open to hide it. The share of visible events
    with a reach of at least z bounds what the rule can find at z, however its episodes fall."""
    found: dict[int | str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for one in simulated:
        event = one.patient.events[0] if one.patient.events else None
        window = WINDOW.get(one.kind, DEFAULT_WINDOW)
        if event is None or one.kind == "flare" or not visible(one.patient, event, window):
            continue
        best = _reach(one, event, window, p)
        for scope in (one.length, "all"):
            found[scope][one.kind].append(best)
    return found


def _reach(one: Simulated, event: Event, window: int, p: Parameters) -> float:
    until = START + datetime.timedelta(days=one.length - 1)
    daily = one.patient.daily
    prepared = {m: _prepare({d: v.get(m) for d, v in daily.items()}, m, until, p) for m in MEASURE_NAMES}
    mine = prepared[event.measure]
    if mine is None:
        return 0.0
    at_z0 = replace(p, z=0.0, z_windows=None)  # _met then asks only for a clinically important, broad rise
    best = 0.0
    for offset in range(window + 1):
        day = event.onset + datetime.timedelta(days=offset)
        index = (day - mine.first).days
        if index >= len(mine.values) or mine.values[index] is None:
            continue
        last = _window(mine.values, index, p.broad_of_last + 3)[-p.broad_of_last :]
        sums = _Sums(mine.values)
        for w in p.windows:
            rise = mine.rises[w][index]
            if rise is None:
                continue
            days, gap = w
            own = mine.own[w][index]
            others = [
                one_measure.own[w][(day - one_measure.first).days]
                for one_measure in prepared.values()
                if one_measure is not None and 0 <= (day - one_measure.first).days < len(one_measure.own[w])
            ]
            shared = [v for v in others if v is not None]
            baseline = sums.window(index - days - gap, p.baseline_days)[:2]
            recent = sums.window(index, days)[:2]
            if own is None or not shared:
                continue
            if _met(event.measure, days, rise, baseline, own, None, last, recent, at_z0, 0.0) is None:
                continue
            mean_square = (1 - p.shared_weight) * own + p.shared_weight * sum(shared) / len(shared)
            best = max(best, rise / mean_square**0.5)
    return best
