"""The oracle bound (issue 19): what a detector could find if it were told how each simulated diary is drawn.

Any rule that runs on a real diary has to learn the patient's usual level and noise from the diary itself.
The oracle is told them, for every simulated patient and measure (flags.simulation): the level the measure
has on each day without an event (its own level, the slow drift and the weekly rhythm), and the day-to-day
noise, its standard deviation and AR(1) correlation. On the same diaries and counted the same way
(flags.benchmark), what it finds at a number of false alarms is a yardstick for what a rule could hope for:
a rule has to learn all this from the diary.

It is not told when an event starts or how large it is. Its test is the generalized likelihood ratio (GLR)
of a change that began within the last `within` days against none, on the diary's one-step innovations:
with AR(1) noise, each logged day's value less what the day before it predicts (the usual level plus the
correlated part of the last logged deviation), so that missed days, drift and weekly rhythm cost it nothing.
Two templates, each the right one for its events:

- a step of at least `least` points (a sustained rise, a new sign, a mood drop), its size estimated;
- a ramp of 3 points over 21 days (the simulation's gradual rise), its shape known exactly.

A third test takes the step's and gives back the first piece of knowledge: it is told the noise but tests
each day against the usual level learned from the diary (the 42 days before the weeks it looks back over),
as a rule must. What it loses against the step measures the cost of learning the usual level.

The GLR is the standard test for a change of unknown onset, optimal as the false alarms grow rare (Lorden
1971; Lai 1998 for the window-limited form); with the noise model known and, for the ramp, the event's very
shape, it is the strongest test we know for this benchmark (it is not a proof that nothing can do better).
Each flag opens an episode that ends after 7 calm days, as the rule's do (detection.Parameters); calm here is
a 7-day mean within a point of the true usual level (the rule: within a point, or half the flagged rise if
that was small, of the baseline it flagged against). The likelihood is Gaussian: the simulation's rounding
to whole points is in each innovation's variance (ROUNDING_VARIANCE), its clamping to 0-10 is not.

`oracle_sweep` scores each test on simulated diaries at several thresholds (the log-likelihood ratio
a day must reach), as `flags.benchmark.score` scores a rule, and also counts how many visible events the
test reaches on some day of the event's window with no episode open to hide them (as `benchmark.reach`).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from symptoms.yardsticks import USUAL_DAYS, USUAL_MIN, on_worse_scale

from .benchmark import DEFAULT_WINDOW, WINDOW, Score, Simulated, score_patient, visible
from .detection import PARAMETERS
from .simulation import GRADUAL_DAYS, GRADUAL_POINTS, MEASURE_NAMES, START, SimulatedPatient

# Integer scores: rounding adds noise of variance 1/12 to every logged day, much the same as independent from
# day to day (neighbouring innovations share a day's rounding; the oracle leaves that correlation out).
ROUNDING_VARIANCE = 1 / 12
STEP_WITHIN = 28  # days: how far back the step may have started
STEP_LEAST = 2.0  # points: the smallest step the test looks for (a clinically important change)
RAMP_WITHIN = 42  # days: how far back the ramp may have started
RAMP_SIZE, RAMP_DAYS = GRADUAL_POINTS, GRADUAL_DAYS  # the simulation's gradual rise
# The thresholds (log-likelihood ratio) of the sweep: each template, from looser to stricter.
STEP_THRESHOLDS = (4.0, 5.0, 5.5, 6.0, 6.5, 7.0, 8.0)
RAMP_THRESHOLDS = (3.0, 3.5, 4.0, 4.5, 5.0, 6.0)


@dataclass(frozen=True)
class Innovations:
    """A measure's logged days (index into the diary's days) and, for each, its innovation and variance."""

    days: np.ndarray
    value: np.ndarray  # the logged value less what the day before predicts, without an event
    variance: np.ndarray
    carried: np.ndarray  # phi ** (days since the last logged day): how much of yesterday's deviation remains


def innovations(x: np.ndarray, usual: np.ndarray, sd: float, phi: float, rounding: float = ROUNDING_VARIANCE):
    """One measure's innovations. `x`: the value on every day of the diary (NaN: not logged), on the worse
    scale; `usual`: the true level on every day without an event, same scale; `sd`, `phi`: the AR(1) noise."""
    days = np.flatnonzero(~np.isnan(x))
    deviation = x[days] - usual[days]
    carried = np.zeros(len(days))
    carried[1:] = phi ** np.diff(days)
    value = deviation.copy()
    value[1:] -= carried[1:] * deviation[:-1]
    variance = sd**2 * (1 - carried**2) + rounding * (1 + carried**2)
    return Innovations(days, value, variance, carried)


def step_statistic(
    x: np.ndarray,
    usual: np.ndarray,
    sd: float,
    phi: float,
    *,
    within: int = STEP_WITHIN,
    least: float = STEP_LEAST,
    rounding: float = ROUNDING_VARIANCE,
    level: np.ndarray | None = None,
) -> np.ndarray:
    """Each day's GLR of a step up of at least `least` points that began within the last `within` days
    (NaN on days not logged): the largest, over onsets and sizes, log-likelihood ratio against no change.

    A step of size d starting at logged day j moves the innovation of day j by d and each later one by
    d * (1 - carried); the log-likelihood ratio is d * A - d^2 * B / 2, with A the weighted sum of those
    innovations and B of the weights squared, largest at d = A / B (at least `least`).

    `level` (one per day, NaN where unknown): test each day against that day's level, held for every logged
    day of its test, instead of against `usual`; as a rule must, with the level it learned (learned_level)."""
    out = np.full(len(x), np.nan)
    inn = innovations(x, usual if level is None else np.zeros(len(x)), sd, phi, rounding)
    n = len(inn.days)
    if not n:
        return out
    weight = 1 - inn.carried
    a = np.concatenate([[0.0], np.cumsum(weight * inn.value / inn.variance)])
    b = np.concatenate([[0.0], np.cumsum(weight * weight / inn.variance)])
    today = np.arange(n)[:, None]
    onset = np.arange(n)[None, :]
    # The onset's own innovation carries the whole step (weight 1), the later ones weight * d.
    big_a = (inn.value / inn.variance)[None, :] + a[today + 1] - a[onset + 1]
    big_b = (1 / inn.variance)[None, :] + b[today + 1] - b[onset + 1]
    if level is not None:
        # Each innovation less the level's part of it: the level times (1 - carried), 1 on the first day.
        big_a = big_a - level[inn.days][:, None] * ((weight / inn.variance)[None, :] + b[today + 1] - b[onset + 1])
    allowed = (onset <= today) & (inn.days[None, :] > inn.days[:, None] - within)
    big_a, big_b = np.where(allowed, big_a, 0.0), np.where(allowed, big_b, 1.0)  # onsets after today: unused
    size = np.maximum(least, big_a / big_b)
    llr = np.where(allowed, size * big_a - size * size * big_b / 2, -np.inf)
    out[inn.days] = llr.max(axis=1)
    return out


def learned_level(x: np.ndarray, *, before: int = STEP_WITHIN) -> np.ndarray:
    """For each day, the usual level a rule learns from the diary: the mean of the 42 days (USUAL_DAYS, at
    least USUAL_MIN logged) that end before the `before` days a test looks back over; NaN without them."""
    logged = ~np.isnan(x)
    count = np.concatenate([[0], np.cumsum(logged)])
    total = np.concatenate([[0], np.cumsum(np.where(logged, x, 0.0))])
    end = np.clip(np.arange(len(x)) - before + 1, 0, len(x))  # the baseline's days end before this index
    start = np.clip(end - USUAL_DAYS, 0, len(x))
    n = count[end] - count[start]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n >= USUAL_MIN, (total[end] - total[start]) / n, np.nan)


def ramp_statistic(
    x: np.ndarray,
    usual: np.ndarray,
    sd: float,
    phi: float,
    *,
    within: int = RAMP_WITHIN,
    size: float = RAMP_SIZE,
    length: int = RAMP_DAYS,
    rounding: float = ROUNDING_VARIANCE,
) -> np.ndarray:
    """Each day's GLR of a ramp (a rise of `size` points over `length` days, then level) that began within
    the last `within` days (NaN on days not logged): the largest log-likelihood ratio over its onset."""
    out = np.full(len(x), np.nan)
    inn = innovations(x, usual, sd, phi, rounding)
    n = len(inn.days)
    if not n:
        return out

    def rise(elapsed: np.ndarray) -> np.ndarray:
        return np.where(elapsed < 0, 0.0, size * np.minimum(1.0, (elapsed + 1) / length))

    onset = inn.days[:, None]  # rows: the onset, on a logged day
    day = inn.days[None, :]  # columns: each logged day
    before = np.concatenate([[inn.days[0] - within - length], inn.days[:-1]])[None, :]
    shift = rise(day - onset) - inn.carried[None, :] * rise(before - onset)
    terms = np.where(day >= onset, (shift * inn.value[None, :] - shift * shift / 2) / inn.variance[None, :], 0.0)
    llr = np.cumsum(terms, axis=1)  # onset j, through logged day i
    allowed = (day >= onset) & (onset > day - within)
    out[inn.days] = np.where(allowed, llr, -np.inf).max(axis=0)
    return out


def episodes(
    statistic: np.ndarray, x: np.ndarray, usual: np.ndarray, threshold: float, *, held: bool = False
) -> list[tuple[int, int | None]]:
    """(flag day, end day or None) of each episode: a flag where the statistic reaches `threshold`; it ends
    after `resolve_days` days on which the 7-day mean (at least 4 logged) is within `resolve_margin` of the
    usual level, as the rule's episodes end; only then can the measure be flagged again. `held`: the usual
    level of the flag's day, as the rule holds its baseline, instead of each day's own."""
    p = PARAMETERS
    logged = ~np.isnan(x)
    week = np.arange(len(x))
    count = np.concatenate([[0], np.cumsum(logged)])
    n = count[week + 1] - count[np.maximum(0, week - 6)]

    def week_mean(values: np.ndarray) -> np.ndarray:
        total = np.concatenate([[0], np.cumsum(np.where(logged, values, 0.0))])
        with np.errstate(divide="ignore", invalid="ignore"):
            return (total[week + 1] - total[np.maximum(0, week - 6)]) / n

    deviation, mean = week_mean(x - usual), week_mean(x)
    reached = np.nan_to_num(statistic, nan=-np.inf) >= threshold
    out: list[tuple[int, int | None]] = []
    at = 0
    while True:
        hits = np.flatnonzero(reached[at:])
        if not len(hits):
            return out
        flag = at + int(hits[0])
        back = mean <= usual[flag] + p.resolve_margin if held else deviation <= p.resolve_margin
        runs = np.concatenate([[0], np.cumsum(((n >= 4) & back)[flag + 1 :])])
        ends = np.flatnonzero(runs[p.resolve_days :] - runs[: max(0, len(runs) - p.resolve_days)] == p.resolve_days)
        if not len(ends):
            out.append((flag, None))
            return out
        end = flag + p.resolve_days + int(ends[0])
        out.append((flag, end))
        at = end + 1


def series(patient: SimulatedPatient, measure: str) -> tuple[np.ndarray, np.ndarray]:
    """A simulated diary's measure on every day (NaN: not logged) and its true usual level, on the worse scale."""
    x = np.full(patient.days, np.nan)
    for date, values in patient.daily.items():
        value = values.get(measure)
        if value is not None:
            x[(date - START).days] = on_worse_scale(measure, value)
    usual = np.array([on_worse_scale(measure, v) for v in patient.usual[measure]])
    return x, usual


@dataclass(frozen=True)
class OracleFlag:
    """An oracle's flag, as the benchmark counts it (flags.benchmark.score_patient)."""

    measure: str
    date: datetime.date
    kind: str = "sustained"  # the oracle does not name kinds


@dataclass
class OracleResult:
    """One template at one threshold: the benchmark's scores by history length and overall, and for each
    scope and event kind whether each visible event was reached (no episode hiding it)."""

    threshold: float
    scores: dict[int | str, dict[str, Score]]
    reached: dict[int | str, dict[str, list[bool]]] = field(default_factory=dict)


# The sweep's tests: a step, the same step against the level learned from the diary (what a rule has to do,
# with the noise still told), and a ramp.
TEMPLATES = ("step", "step, level learned", "ramp")


def _test(template: str, x: np.ndarray, usual: np.ndarray, sd: float, phi: float):
    """(statistic, the usual level its episodes end against, whether that level is held from the flag's day)."""
    if template == "step":
        return step_statistic(x, usual, sd, phi), usual, False
    if template == "step, level learned":
        level = learned_level(x)
        return step_statistic(x, usual, sd, phi, level=level), level, True
    if template == "ramp":
        return ramp_statistic(x, usual, sd, phi), usual, False
    raise ValueError(f"No such test: {template}")


def oracle_sweep(simulated: list[Simulated], template: str, thresholds: tuple[float, ...]) -> list[OracleResult]:
    """The oracle with one test (TEMPLATES) on every measure of every simulated diary, at each threshold."""
    tested = []
    for one in simulated:
        sd, phi = one.patient.noise["sd"], one.patient.noise["phi"]
        per_measure = {}
        for measure in MEASURE_NAMES:
            x, usual = series(one.patient, measure)
            per_measure[measure] = (x, *_test(template, x, usual, sd, phi))
        tested.append(per_measure)
    results = []
    for threshold in thresholds:
        scores: dict[int | str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
        reached: dict[int | str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
        for one, per_measure in zip(simulated, tested, strict=True):
            found = [
                OracleFlag(measure, START + datetime.timedelta(days=flag))
                for measure, (x, stat, usual, held) in per_measure.items()
                for flag, _end in episodes(stat, x, usual, threshold, held=held)
            ]
            for scope in (one.length, "all"):
                score_patient(one.patient, one.kind, found, scores[scope][one.kind])
            event = one.patient.events[0] if one.patient.events else None
            window = WINDOW.get(one.kind, DEFAULT_WINDOW)
            if event is None or one.kind == "flare" or not visible(one.patient, event, window):
                continue
            onset = (event.onset - START).days
            stat = per_measure[event.measure][1][onset : onset + window + 1]
            hit = bool(np.any(np.nan_to_num(stat, nan=-np.inf) >= threshold))
            for scope in (one.length, "all"):
                reached[scope][one.kind].append(hit)
        results.append(OracleResult(threshold, scores, reached))
    return results
