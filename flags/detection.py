"""Worsening detection: a patient's diary in, their worsening episodes out. Pure functions.

The method, its parameters and why they have their values are in docs/worsening-detection.md.
Every day with a new value, using only what was known that day, the rule asks of each measure:

1. Rise: for recent windows of 5, 7, 10 and 14 days (each at least half logged), how far is the
   window's mean above the mean of the 42 days before the window (at least 14 logged)? One more
   test puts three weeks between a 7-day window and its 42 days, so that a slow rise has not
   already lifted the baseline it is measured against.
2. Beyond this patient's noise: is the rise at least Z times the size such rises have had in
   this patient's diary over the past year (root mean square, leaving out the last two weeks,
   each rise capped at 2 points)? Correlated day-to-day noise, missed days and weekly rhythm are
   all in that yardstick. A patient's noise is much the same on all their measures, so the
   yardstick blends the measure's own with the mean over the patient's measures (detect_patient).
3. Clinically important: is it also at least 2 points, or 30 % of a low baseline (symptoms.yardsticks)?
4. Broad: are at least 3 of the last 4 logged days each a point above the baseline? A one- or
   two-day flare cannot pass this.

An episode ends when the 7-day mean has stayed within a point of the episode's baseline for 7
days in a row; only then can the same measure be flagged again. Mood counts downwards: it is
mirrored (10 - mood) first, so "up" always means worse.

detect_patient_reference is the rule as written above, one day at a time in plain Python: the spec.
detect_patient (and detect_table, which the nightly sweep calls on many diaries read at once)
finds exactly the same episodes, computing every window on every day at once with numpy.
"""

import dataclasses
import datetime
import itertools
import operator
import statistics
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

import numpy as np

from lib.figures import one_decimal, one_decimal_down
from symptoms.yardsticks import (
    CLINICALLY_IMPORTANT_FRACTION,
    CLINICALLY_IMPORTANT_POINTS,
    USUAL_DAYS,
    USUAL_MIN,
    clinical_threshold,
    higher_is_worse,
    is_clinically_important,
    on_worse_scale,
)


@dataclass(frozen=True)
class Parameters:
    # The windows tested each day: (days, gap), a recent window of `days` days against the
    # `baseline_days` ending `gap` days before it.
    windows: tuple[tuple[int, int], ...] = ((5, 0), (7, 0), (10, 0), (14, 0), (7, 21))
    window_fill: float = 0.5  # a window counts when at least half its days are logged
    # The baseline is the patient's usual level: its window is defined once, in symptoms.yardsticks.
    baseline_days: int = USUAL_DAYS
    baseline_min: int = USUAL_MIN
    history_days: int = 365  # how far back this patient's own noise is measured
    history_lag: int = 14  # ... leaving out the last two weeks, where a change may be under way
    history_min: int = 60
    z: float = 3.2  # how many of the patient's own standard deviations a window must rise
    # Each window's own multiple (in the order of `windows`), instead of z for all; None: z for all.
    z_windows: tuple[float, ...] | None = None
    default_sd: float = 1.0  # noise assumed until the history is long enough (without a prior)
    # Empirical Bayes: each window's mean square rise in the population (one per window, in the order of
    # `windows`), worth `noise_prior_days` days of the patient's own history. The patient's own noise is
    # shrunk towards it: (prior_days x prior + own sum of squares) / (prior_days + own days), so a young
    # diary starts from the population's noise and moves to its own as its days grow. None: no prior
    # (default_sd until history_min days, then the patient's own).
    noise_prior: tuple[float, ...] | None = None
    noise_prior_days: float = 0.0
    broad_margin: float = 1.0
    broad_of_last: int = 4
    broad_needed: int = 3
    persist: int = 1  # logged days in a row on which the rule must hold
    shared_weight: float = 0.75  # how much of the yardstick comes from the patient's other measures
    noise_rise_cap: float = 2.0  # rises count at most this much (points) in the noise yardstick
    resolve_margin: float = 1.0
    resolve_days: int = 7
    absent_at_baseline: float = 1.0  # swelling or skin changes at most this are "absent"
    # Labelling a rise "gradual": over the last shape_days (at least shape_min logged), a level
    # followed by a climb of at least shape_climb days fits better than a level followed by a
    # step (misfit below shape_margin times the step's).
    shape_days: int = 21
    shape_climb: int = 10
    shape_min: int = 10
    shape_margin: float = 1.0

    def __post_init__(self):
        if self.z_windows is not None and len(self.z_windows) != len(self.windows):
            raise ValueError("z_windows needs one multiple per window, or None.")


# The method of issue 9: a default noise of 1 point until 60 days of history, z 3.2. The "before" of the
# benchmarks (flags.benchmark).
ISSUE_9 = Parameters()
# The population's mean square rise for each window, estimated on the benchmark's tuning seed (manage.py
# bench_detection --estimate-prior; docs/worsening-detection.md), and worth 30 days of the patient's own.
NOISE_PRIOR = (0.79, 0.68, 0.59, 0.50, 0.75)
_SHRUNK = dataclasses.replace(ISSUE_9, noise_prior=NOISE_PRIOR, noise_prior_days=30.0)
# The care team's choice, per patient (flags.models.DetectionSetting): the same rule at three noise
# multiples, tuned on the benchmark's tuning seed. "standard": at most 1 false alarm per patient-year;
# "sensitive": at least the simple rule's sensitivity with at most half its false alarms; "quiet": about
# a third of the false alarms of "standard", for a patient who finds flags more worrying than useful.
# "sensitive" spends its false alarms where they buy the most (issue 19, tuned on the tuning seed): the
# 5-day window, which raises most false alarms and finds little the 7-day one does not find a day later,
# asks what it asks at "standard"; the longer windows ask less, and the test against the weeks three weeks
# earlier, which finds the slow rises, least. Its z, 2.85, is what it asked of every window before.
SETTINGS = {
    "quiet": dataclasses.replace(_SHRUNK, z=3.8),
    "standard": dataclasses.replace(_SHRUNK, z=3.35),
    # (z is not read when z_windows is set: each window has its own multiple.)
    "sensitive": dataclasses.replace(_SHRUNK, z_windows=(3.35, 3.0, 2.9, 2.8, 2.6)),
}
STANDARD = "standard"
PARAMETERS = SETTINGS[STANDARD]


def parameters_for(setting: str | None) -> Parameters:
    """The rule's parameters for a patient's setting (None, or one no longer offered: "standard")."""
    return SETTINGS.get(setting or STANDARD, PARAMETERS)


SIGN_MEASURES = ("swelling", "skin_changes")


@dataclass(frozen=True)
class Evidence:
    baseline_mean: float  # on the measure's own scale (mood: 10 = best)
    baseline_days: int
    recent_mean: float  # on the measure's own scale
    recent_days: int
    window_days: int  # the length of the recent window that met the rule
    change: float  # how much worse, in points (positive = worse, also for mood)
    threshold: float  # the change the rule needed that day, in points


@dataclass(frozen=True)
class Episode:
    measure: str
    kind: str  # sustained, gradual, new_sign, mood_drop
    date: datetime.date  # the first day on which the data up to that day met the rule
    evidence: Evidence
    resolved_on: datetime.date | None


class _Sums:
    """Prefix sums over a list with gaps: count, sum and sum of squares of any slice in O(1)."""

    def __init__(self, values: list[float | None]):
        self.n, self.s, self.q = [0], [0.0], [0.0]
        for v in values:
            if v is None:
                self.n.append(self.n[-1])
                self.s.append(self.s[-1])
                self.q.append(self.q[-1])
            else:
                self.n.append(self.n[-1] + 1)
                self.s.append(self.s[-1] + v)
                self.q.append(self.q[-1] + v * v)

    def window(self, end: int, length: int) -> tuple[int, float, float]:
        """(count, sum, sum of squares) of the `length` items ending at index `end`."""
        hi, lo = end + 1, max(0, end + 1 - length)
        if hi <= 0:
            return 0, 0.0, 0.0
        return self.n[hi] - self.n[lo], self.s[hi] - self.s[lo], self.q[hi] - self.q[lo]


def _window(values: list[float | None], end: int, length: int) -> list[float]:
    return [v for v in values[max(0, end - length + 1) : end + 1] if v is not None]


def _kind(measure: str, values: list, index: int, baseline: float, p: Parameters) -> str:
    if not higher_is_worse(measure):
        return "mood_drop"
    if measure in SIGN_MEASURES and baseline <= p.absent_at_baseline:
        return "new_sign"
    return "gradual" if _rose_gradually(values, index, p) else "sustained"


def _rose_gradually(values: list[float | None], index: int, p: Parameters) -> bool:
    """Whether the last `shape_days` look more like a steady climb than a jump.

    Two shapes are fitted to the logged days, each with its change at the best place: a level
    that then climbs in a straight line (a ramp), and a level that then jumps to another (a step).
    A rise that built over weeks fits the ramp better; a jump fits the step, even when noise
    happens to put the weeks before it in rising order.
    """
    start = max(0, index - p.shape_days + 1)
    points = [(x, v) for x, v in enumerate(values[start : index + 1]) if v is not None]
    if len(points) < p.shape_min:
        return False
    last = points[-1][0]
    knees = range(0, last - p.shape_climb + 1)  # a climb of at least shape_climb days
    if not knees:
        return False
    ramp = min(_ramp_misfit(points, knee) for knee in knees)
    step = min(_step_misfit(points, split) for split in range(3, len(points) - 2))
    return ramp < p.shape_margin * step


def _ramp_misfit(points: list[tuple[int, float]], knee: int) -> float:
    """Squared residuals of the best fit of: a level until day `knee`, then a straight climb.

    A fit that falls instead of climbing is no climb: it counts as no fit at all.
    """
    xs = [max(0, x - knee) for x, _ in points]
    ys = [y for _, y in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    if slope <= 0:
        return float("inf")
    return sum((y - mean_y - slope * (x - mean_x)) ** 2 for x, y in zip(xs, ys, strict=True))


def _step_misfit(points: list[tuple[int, float]], split: int) -> float:
    """Squared residuals of the best fit of: one level for the first `split` points, another after."""
    misfit = 0.0
    for part in (points[:split], points[split:]):
        mean = statistics.fmean(y for _, y in part)
        misfit += sum((y - mean) ** 2 for _, y in part)
    return misfit


def _as_list(series: Mapping[datetime.date, int | None], measure: str, until: datetime.date):
    logged = {d: v for d, v in series.items() if v is not None and d <= until}
    if not logged:
        return None, []
    first = min(logged)
    values: list[float | None] = [None] * ((until - first).days + 1)
    for day, value in logged.items():
        values[(day - first).days] = float(on_worse_scale(measure, value))
    return first, values


def _rises(values: list[float | None], window: tuple[int, int], p: Parameters) -> list[float | None]:
    """For each day: the mean of the window's recent days minus the mean of its baseline days."""
    days, gap = window
    sums = _Sums(values)
    needed = _window_needs(days, p)
    out: list[float | None] = []
    for index in range(len(values)):
        n, s, _ = sums.window(index, days)
        bn, bs, _ = sums.window(index - days - gap, p.baseline_days)
        out.append(s / n - bs / bn if n >= needed and bn >= p.baseline_min else None)
    return out


def _window_needs(days: int, p: Parameters) -> int:
    """How many logged days a recent window of `days` days needs before it counts."""
    return max(2, round(days * p.window_fill))


def can_test(logged: Collection[datetime.date], today: datetime.date, p: Parameters = PARAMETERS) -> bool:
    """Whether the rule can test a diary today: some window has its recent days and its baseline."""
    for days, gap in p.windows:
        recent_from = today - datetime.timedelta(days=days - 1)
        baseline_to = recent_from - datetime.timedelta(days=gap + 1)
        baseline_from = baseline_to - datetime.timedelta(days=p.baseline_days - 1)
        recent = sum(1 for day in logged if recent_from <= day <= today)
        baseline = sum(1 for day in logged if baseline_from <= day <= baseline_to)
        if recent >= _window_needs(days, p) and baseline >= p.baseline_min:
            return True
    return False


def days_to_first_test(p: Parameters = PARAMETERS) -> int:
    """How many days a patient who logs every day waits for the first test: a baseline, then a window."""
    return p.baseline_min + min(days for days, gap in p.windows if gap == 0)


def _mean_squares(rises: list[float | None], p: Parameters, prior: float | None = None) -> list[float | None]:
    """For each day: the mean square of a window's rises over the history before the last two weeks;
    shrunk towards the population's `prior` (empirical Bayes) when the parameters have one."""
    # Capped, so that an earlier real episode in the history does not inflate the noise for good.
    cap = p.noise_rise_cap
    squares = _Sums([min(abs(r), cap) ** 2 if r is not None else None for r in rises])
    out: list[float | None] = []
    for index in range(len(rises)):
        n, total, _ = squares.window(index - p.history_lag, p.history_days)
        if prior is not None:
            out.append((p.noise_prior_days * prior + total) / (p.noise_prior_days + n))
        else:
            out.append(total / n if n >= p.history_min else None)
    return out


def _z(p: Parameters, window: int) -> float:
    """The multiple of the patient's noise that the `window`-th window must rise."""
    return p.z_windows[window] if p.z_windows is not None else p.z


def _prior(p: Parameters, window: int) -> float | None:
    """The population's mean square rise for the `window`-th window, if the parameters shrink towards one."""
    return p.noise_prior[window] if p.noise_prior is not None else None


def detect(
    series: Mapping[datetime.date, int | None],
    measure: str,
    *,
    until: datetime.date,
    p: Parameters = PARAMETERS,
    shared_noise: Mapping[tuple[int, int], Mapping[datetime.date, float]] | None = None,
) -> list[Episode]:
    """Every worsening episode of one measure up to `until`, dated as if the rule had run each day.

    `shared_noise` (window -> day -> mean square rise over the patient's other measures) blends
    the patient's noise on all their measures into this measure's yardstick (see detect_patient).
    """
    prepared = _prepare(series, measure, until, p)
    return _episodes(prepared, measure, p, shared_noise) if prepared else []


@dataclass(frozen=True)
class _Prepared:
    """One measure's diary as a list by day, with each window's rise and own noise on every day."""

    first: datetime.date
    values: list[float | None]
    rises: dict[tuple[int, int], list[float | None]]
    own: dict[tuple[int, int], list[float | None]]


def _prepare(series, measure: str, until: datetime.date, p: Parameters) -> _Prepared | None:
    first, values = _as_list(series, measure, until)
    if first is None:
        return None
    # Each window's rise on every day; the patient's own noise for that window is the root mean
    # square of its rises over the history before the last two weeks (noise averages zero).
    rises = {w: _rises(values, w, p) for w in p.windows}
    own = {w: _mean_squares(rises[w], p, _prior(p, k)) for k, w in enumerate(p.windows)}
    return _Prepared(first, values, rises, own)


def _episodes(
    prepared: _Prepared,
    measure: str,
    p: Parameters,
    shared_noise: Mapping[tuple[int, int], Mapping[datetime.date, float]] | None,
    fallback: Callable[[int], tuple[float, Evidence] | None] | None = None,
) -> list[Episode]:
    """One measure's episodes, walking its days. `fallback` (for the benchmark's comparisons, flags.paired):
    a second verdict on a logged day (its index) that the rule's own test did not pass."""
    first, values = prepared.first, prepared.values
    value_sums = _Sums(values)
    episodes: list[Episode] = []
    open_episode = None  # (index, baseline mean, evidence, kind)
    calm_days = 0
    streak = 0
    for index, today in enumerate(values):
        if open_episode is not None:
            start, baseline_mean, evidence, kind = open_episode
            n, s, _ = value_sums.window(index, 7)
            # Back near the baseline: within a point, or within half the flagged rise if that was small.
            margin = min(p.resolve_margin, evidence.change / 2)
            calm = n >= 4 and s / n <= baseline_mean + margin
            calm_days = calm_days + 1 if calm else 0
            if calm_days >= p.resolve_days:
                episodes.append(_episode(measure, kind, first, start, evidence, index))
                open_episode, calm_days, streak = None, 0, 0
            continue
        if today is None:
            continue  # nothing new today: the evidence cannot have changed
        met = _verdict(prepared, value_sums, measure, index, shared_noise, p)
        if met is None and fallback is not None:
            met = fallback(index)
        streak = streak + 1 if met else 0
        if met and streak >= p.persist:
            baseline_mean, evidence = met
            open_episode = (index, baseline_mean, evidence, _kind(measure, values, index, baseline_mean, p))
            calm_days = streak = 0
    if open_episode is not None:
        start, _baseline, evidence, kind = open_episode
        episodes.append(_episode(measure, kind, first, start, evidence, None))
    return episodes


def _verdict(
    prepared: _Prepared,
    value_sums: _Sums,
    measure: str,
    index: int,
    shared_noise: Mapping[tuple[int, int], Mapping[datetime.date, float]] | None,
    p: Parameters,
) -> tuple[float, Evidence] | None:
    """The rule's verdict on one logged day (steps 1 to 4, the windows in order): (baseline mean, evidence) of the
    first window that meets it, or None. `value_sums`: _Sums of the measure's values."""
    values, rises, own = prepared.values, prepared.rises, prepared.own
    last = _window(values, index, p.broad_of_last + 3)[-p.broad_of_last :]
    day = prepared.first + datetime.timedelta(days=index)
    for k, window in enumerate(p.windows):
        rise = rises[window][index]
        if rise is None:
            continue
        days, gap = window
        shared = shared_noise.get(window, {}).get(day) if shared_noise else None
        baseline = value_sums.window(index - days - gap, p.baseline_days)[:2]
        recent = value_sums.window(index, days)[:2]
        met = _met(measure, days, rise, baseline, own[window][index], shared, last, recent, p, _z(p, k))
        if met is not None:
            return met
    return None


def _met(
    measure: str,
    days: int,
    rise: float,
    baseline: tuple[int, float],
    mean_square: float | None,
    shared: float | None,
    last: list[float],
    recent: tuple[int, float],
    p: Parameters,
    z: float,
) -> tuple[float, Evidence] | None:
    """The rule's verdict on one window on one day (steps 2 to 4): (baseline mean, evidence) if met.

    `rise` is the window's rise, `baseline` and `recent` the (count, sum) of its baseline and recent
    days, `mean_square` the measure's own noise and `shared` the mean over the patient's measures,
    `last` the last logged values (for "broad"), `z` the multiple of the noise this window must rise."""
    mirror = not higher_is_worse(measure)
    bn, bs = baseline
    baseline_mean = bs / bn
    if mean_square is not None and shared is not None:
        mean_square = (1 - p.shared_weight) * mean_square + p.shared_weight * shared
    sd = mean_square**0.5 if mean_square is not None else p.default_sd
    needed = max(clinical_threshold(baseline_mean, higher_is_worse=higher_is_worse(measure)), z * sd)
    if rise < needed or not is_clinically_important(baseline_mean, baseline_mean + rise):
        return None
    broad = sum(1 for v in last if v >= baseline_mean + p.broad_margin) >= p.broad_needed
    if not broad:
        return None
    n, s = recent
    usual, now = _shown(baseline_mean, mirror), _shown(s / n, mirror)
    evidence = Evidence(
        baseline_mean=usual,
        baseline_days=bn,
        recent_mean=now,
        recent_days=n,
        window_days=days,
        # From the means as shown, so that the sentence adds up ("6.4, up 2.6 from 3.8"); the
        # threshold rounded down, so that the change shown is never below it.
        change=one_decimal(usual - now if mirror else now - usual),
        threshold=one_decimal_down(needed),
    )
    return baseline_mean, evidence


def detect_patient_reference(
    daily: Mapping[datetime.date, Mapping[str, int | None]],
    measures: tuple[str, ...],
    *,
    until: datetime.date,
    p: Parameters = PARAMETERS,
) -> list[Episode]:
    """Every worsening episode of all of a patient's measures: the spec, one day at a time in plain
    Python. detect_patient gives the same episodes, fast.

    A patient's day-to-day noise is much the same on all their measures, and a year of five
    measures says more about it than a year of one: each measure's yardstick is blended with the
    mean over the patient's measures (weight `shared_weight`).
    """
    prepared = _prepare_patient(daily, measures, until, p)
    shared = _shared_noise(prepared, p)
    return [episode for measure, one in prepared.items() for episode in _episodes(one, measure, p, shared)]


def _prepare_patient(daily, measures: tuple[str, ...], until: datetime.date, p: Parameters) -> dict[str, _Prepared]:
    """Each measure's diary with its windows' rises and own noise (_prepare), for the measures with a value."""
    prepared = {}
    for measure in measures:
        one = _prepare({d: v.get(measure) for d, v in daily.items()}, measure, until, p)
        if one is not None:
            prepared[measure] = one
    return prepared


def _shared_noise(prepared: dict[str, _Prepared], p: Parameters) -> dict[tuple[int, int], dict[datetime.date, float]]:
    """For each window, the mean of the patient's measures' own noise on each day (window -> day -> mean square)."""
    shared: dict[tuple[int, int], dict[datetime.date, float]] = {}
    for window in p.windows:
        totals: dict[datetime.date, list[float]] = {}
        for one in prepared.values():
            for index, value in enumerate(one.own[window]):
                if value is not None:
                    totals.setdefault(one.first + datetime.timedelta(days=index), []).append(value)
        shared[window] = {day: sum(v) / len(v) for day, v in totals.items()}
    return shared


# The fast path. detect_patient gives exactly the episodes of detect_patient_reference (the
# spec above, one day at a time in plain Python; tests/flags/test_sweep_equivalence.py compares
# the two): every window's rise and noise on every day at once with numpy, then the reference's
# own verdict (_met) only on the days that come within a hair of the threshold.

# How close to its threshold a rise computed with numpy must come to be judged the reference's
# way: numpy squares and square roots may differ from Python's in the last bit (about 1e-16).
_NEAR = 1e-9


def detect_patient(
    daily: Mapping[datetime.date, Mapping[str, int | None]],
    measures: tuple[str, ...],
    *,
    until: datetime.date,
    p: Parameters = PARAMETERS,
) -> list[Episode]:
    """Every worsening episode of all of a patient's measures: detect_patient_reference, fast.

    A patient's day-to-day noise is much the same on all their measures, and a year of five
    measures says more about it than a year of one: each measure's yardstick is blended with the
    mean over the patient's measures (weight `shared_weight`).
    """
    if p.persist != 1:  # a streak of days before a flag: the reference walks it
        return detect_patient_reference(daily, measures, until=until, p=p)
    first, table = diary_table(daily, measures, until)
    return detect_table(first, table, measures, p) if first is not None else []


def diary_table(
    daily: Mapping[datetime.date, Mapping[str, int | None]], measures: tuple[str, ...], until: datetime.date
) -> tuple[datetime.date | None, np.ndarray]:
    """The diary up to `until` as a table (diary_rows_table), from a mapping of day -> measure -> value."""
    days = list(daily)
    ordinals = np.fromiter((day.toordinal() for day in days), dtype=np.int64, count=len(days))
    values = np.array([[daily[day].get(m) for m in measures] for day in days], dtype=float)
    return diary_rows_table(ordinals, values.reshape(len(days), len(measures)), measures, until)


def diary_rows_table(
    ordinals: np.ndarray, values: np.ndarray, measures: tuple[str, ...], until: datetime.date
) -> tuple[datetime.date | None, np.ndarray]:
    """The diary up to `until` as a table: a row per day from the first value to `until`, a column per
    measure, NaN where nothing was logged; mood mirrored (10 - mood) so that up is worse.

    `ordinals` are the days (date.toordinal()) of the diary's rows, `values` their measures (NaN for
    none), a row each; (None, an empty table) when nothing was logged up to `until`."""
    keep = (ordinals <= until.toordinal()) & ~np.isnan(values).all(axis=1)
    ordinals, values = ordinals[keep], values[keep]
    if not len(ordinals):
        return None, np.empty((0, len(measures)))
    start = int(ordinals.min())
    table = np.full((until.toordinal() - start + 1, len(measures)), np.nan)
    table[ordinals - start] = values
    for column, measure in enumerate(measures):
        if not higher_is_worse(measure):
            table[:, column] = 10 - table[:, column]
    return datetime.date.fromordinal(start), table


# detect_many pads tables to a multiple of this many days, so that diaries of about the same length
# are computed together, and stacks at most STACK_DAYS days at once (memory: 40 arrays of 5 measures).
BATCH_DAYS = 64
STACK_DAYS = 20_000


def detect_many(
    diaries: list[tuple[datetime.date, np.ndarray]],
    measures: tuple[str, ...],
    parameters: list[Parameters] | None = None,
) -> list[list[Episode]]:
    """detect_table on many diary tables (diary_rows_table) at once, in their order; each with its own
    parameters (`parameters`, one per diary; PARAMETERS for all when None).

    Tables of about the same length and with the same parameters are computed together: each is padded at
    the front with empty days to a multiple of BATCH_DAYS (days before a diary begins change nothing) and
    stacked, up to STACK_DAYS days a stack."""
    found: list[list[Episode]] = [[] for _ in diaries]
    groups: dict[tuple[int, Parameters], list[int]] = {}
    for index, (_first, table) in enumerate(diaries):
        p = parameters[index] if parameters is not None else PARAMETERS
        groups.setdefault((-(-len(table) // BATCH_DAYS) * BATCH_DAYS, p), []).append(index)
    for (length, p), indexes in groups.items():
        per_stack = max(1, STACK_DAYS // length)
        for start in range(0, len(indexes), per_stack):
            members = indexes[start : start + per_stack]
            stack = np.full((len(members), length, len(measures)), np.nan)
            firsts = []
            for row, index in enumerate(members):
                first, table = diaries[index]
                stack[row, length - len(table) :] = table
                firsts.append(first - datetime.timedelta(days=length - len(table)))
            for index, episodes in zip(members, _detect_stack(firsts, stack, measures, p), strict=True):
                found[index] = episodes
    return found


def detect_table(
    first: datetime.date, table: np.ndarray, measures: tuple[str, ...], p: Parameters = PARAMETERS
) -> list[Episode]:
    """detect_patient on a diary table (diary_rows_table): the reference's episodes, in its order."""
    return _detect_stack([first], table[None], measures, p)[0]


def _detect_stack(
    firsts: list[datetime.date], stack: np.ndarray, measures: tuple[str, ...], p: Parameters
) -> list[list[Episode]]:
    """Tables of the same length stacked (diary, day, measure): each diary's episodes."""
    if p.persist != 1:
        raise ValueError("The fast path judges single days (persist 1); detect_patient handles streaks.")
    t = _Tables(stack, measures, p)
    candidates = np.logical_or.reduce(t.near) & ~np.isnan(stack)
    found: list[list[Episode]] = [[] for _ in firsts]
    diary, column, day = np.nonzero(candidates.transpose(0, 2, 1))  # by diary, then measure, then day
    if not len(day):
        return found
    starts = np.flatnonzero(np.diff(diary * len(measures) + column, prepend=-1))
    for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(day)], strict=True):
        b, c = int(diary[start]), int(column[start])
        found[b] += _column_episodes(t, b, firsts[b], c, measures[c], day[start:end])
    return found


def _window_sums(prefix: np.ndarray, length: int, lag: int = 0) -> np.ndarray:
    """From prefix sums down the days (a leading day of zeros), the sum of the `length` days ending
    `lag` days before each day: the same subtraction as _Sums.window, on every day at once."""
    days = prefix.shape[1] - 1
    padded = np.concatenate([np.zeros((prefix.shape[0], length, prefix.shape[2]), prefix.dtype), prefix], axis=1)
    return _shift(prefix[:, 1:] - padded[:, 1 : days + 1], lag)


def _prefix(values: np.ndarray) -> np.ndarray:
    """Running sums down the days, added in the same order as _Sums adds them."""
    out = np.zeros((values.shape[0], values.shape[1] + 1, values.shape[2]), values.dtype)
    np.cumsum(values, axis=1, out=out[:, 1:])
    return out


def _shift(values: np.ndarray, days: int) -> np.ndarray:
    """Each day's value from `days` days before (zeros before the first)."""
    days = min(days, values.shape[1])
    zeros = np.zeros((values.shape[0], days, values.shape[2]), values.dtype)
    return np.concatenate([zeros, values[:, : values.shape[1] - days]], axis=1)


class _Tables:
    """Diary tables (diary, day, measure) with every window's rise and noise on every day (numpy)."""

    def __init__(self, stack: np.ndarray, measures: tuple[str, ...], p: Parameters):
        self.stack, self.measures, self.p = stack, measures, p
        logged = ~np.isnan(stack)
        self.count, self.total = _prefix(logged.astype(np.int64)), _prefix(np.where(logged, stack, 0.0))
        base_n, base_s = _window_sums(self.count, p.baseline_days), _window_sums(self.total, p.baseline_days)
        self.rises: list[np.ndarray] = []
        self.baselines: list[tuple[np.ndarray, np.ndarray]] = []  # (count, sum) of each window's baseline
        self.recents: list[tuple[np.ndarray, np.ndarray]] = []  # (count, sum) of each recent window
        self.near: list[np.ndarray] = []
        self._exact_own: dict[tuple[int, int], np.ndarray] = {}  # (diary, window): own_exact
        with np.errstate(divide="ignore", invalid="ignore"):
            for days, gap in p.windows:
                n, s = _window_sums(self.count, days), _window_sums(self.total, days)
                bn, bs = _shift(base_n, days + gap), _shift(base_s, days + gap)
                ok = (n >= _window_needs(days, p)) & (bn >= p.baseline_min)
                self.rises.append(np.where(ok, s / n - bs / bn, np.nan))
                self.baselines.append((bn, bs))
                self.recents.append((n, s))
            for window, (rise, (bn, bs)) in enumerate(zip(self.rises, self.baselines, strict=True)):
                own = self._mean_squares(rise, np.minimum(np.abs(rise), p.noise_rise_cap) ** 2, window)
                self.near.append(rise >= self._needed(bs / bn, self._blend(own), _z(p, window)) - _NEAR)

    def _mean_squares(self, rise: np.ndarray, squares: np.ndarray, window: int, diaries=slice(None)) -> np.ndarray:
        """Each day's mean square rise over the history before the last two weeks (_mean_squares)."""
        p = self.p
        has = ~np.isnan(rise)
        n = _window_sums(_prefix(has.astype(np.int64)), p.history_days, p.history_lag)
        total = _window_sums(_prefix(np.where(has, squares, 0.0)), p.history_days, p.history_lag)
        prior = _prior(p, window)
        if prior is not None:
            # From the measure's first value on, as the reference's list by day (_as_list) starts there.
            started = self.count[diaries, 1:] > 0
            return np.where(started, (p.noise_prior_days * prior + total) / (p.noise_prior_days + n), np.nan)
        return np.where(n >= p.history_min, total / np.maximum(n, 1), np.nan)

    def _blend(self, own: np.ndarray) -> np.ndarray:
        """Each measure's own noise blended with the mean over the diary's measures, as _met does."""
        has = ~np.isnan(own)
        count = has.sum(axis=2, keepdims=True)
        shared = np.where(has, own, 0.0).sum(axis=2, keepdims=True) / np.maximum(count, 1)
        return np.where(has, (1 - self.p.shared_weight) * own + self.p.shared_weight * shared, np.nan)

    def _needed(self, base: np.ndarray, mean_square: np.ndarray, z: float) -> np.ndarray:
        """The rise each day needs (_met), from numpy's squares and roots."""
        p = self.p
        sd = np.where(np.isnan(mean_square), p.default_sd, np.sqrt(mean_square))
        # symptoms.yardsticks.clinical_threshold, on every day and measure at once.
        clinical = np.where(
            base <= 0,
            CLINICALLY_IMPORTANT_POINTS,
            np.minimum(CLINICALLY_IMPORTANT_POINTS, CLINICALLY_IMPORTANT_FRACTION * base),
        )
        for column, measure in enumerate(self.measures):
            if not higher_is_worse(measure):
                clinical[:, :, column] = CLINICALLY_IMPORTANT_POINTS
        return np.maximum(clinical, z * sd)

    def own_exact(self, diary: int, window: int) -> np.ndarray:
        """One diary's own noise for a window on every day (day, measure), from Python's own squares:
        exactly _mean_squares's figures."""
        key = (diary, window)
        if key not in self._exact_own:
            rise = self.rises[window][diary : diary + 1]
            has = ~np.isnan(rise)
            squares = np.zeros(rise.shape)
            # min(abs(r), cap) ** 2 as _mean_squares has it: Python's power, which numpy's square can
            # miss by the last bit.
            capped = np.minimum(np.abs(rise[has]), self.p.noise_rise_cap).tolist()
            squares[has] = list(map(operator.pow, capped, itertools.repeat(2)))
            with np.errstate(divide="ignore", invalid="ignore"):
                self._exact_own[key] = self._mean_squares(rise, squares, window, slice(diary, diary + 1))[0]
        return self._exact_own[key]


def _column_episodes(
    t: _Tables, diary: int, first: datetime.date, column: int, measure: str, candidates: np.ndarray
) -> list[Episode]:
    """One measure's episodes: the reference's walk (_episodes), stepping from one candidate day to the next."""
    p = t.p
    values = [None if v != v else v for v in t.stack[diary, :, column].tolist()]
    start = next(i for i, v in enumerate(values) if v is not None)  # where the reference's list starts
    episodes: list[Episode] = []
    at = 0
    while True:
        k = np.searchsorted(candidates, at)
        if k == len(candidates):
            return episodes
        index = int(candidates[k])
        met = _met_on(t, diary, column, measure, values, index)
        if met is None:
            at = index + 1
            continue
        baseline_mean, evidence = met
        kind = _kind(measure, values[start:], index - start, baseline_mean, p)
        resolved = _resolved(t, diary, column, index, baseline_mean, evidence)
        episodes.append(_episode(measure, kind, first, index, evidence, resolved))
        if resolved is None:
            return episodes
        at = resolved + 1


def _met_on(t: _Tables, diary: int, column: int, measure: str, values: list, index: int):
    """The reference's verdict on one day (_episodes), from the tables' exact figures."""
    p = t.p
    last = _window(values, index, p.broad_of_last + 3)[-p.broad_of_last :]
    for window, (days, _gap) in enumerate(p.windows):
        rise = float(t.rises[window][diary, index, column])
        if rise != rise or not t.near[window][diary, index, column]:
            continue  # no rise, or one clearly short of its threshold
        (bn, bs), (n, s) = t.baselines[window], t.recents[window]
        own = t.own_exact(diary, window)[index]
        mean_square = float(own[column])
        shared = [v for v in own.tolist() if v == v]
        met = _met(
            measure,
            days,
            rise,
            (int(bn[diary, index, column]), float(bs[diary, index, column])),
            None if mean_square != mean_square else mean_square,
            sum(shared) / len(shared) if shared else None,
            last,
            (int(n[diary, index, column]), float(s[diary, index, column])),
            p,
            _z(p, window),
        )
        if met is not None:
            return met
    return None


def _resolved(t: _Tables, diary: int, column: int, index: int, baseline_mean: float, evidence: Evidence) -> int | None:
    """The day the episode flagged on `index` ends, as _episodes finds it, or None if it has not."""
    p = t.p
    n, s = (_window_sums(x[diary : diary + 1, :, column : column + 1], 7)[0, :, 0] for x in (t.count, t.total))
    margin = min(p.resolve_margin, evidence.change / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        calm = ((n >= 4) & (s / n <= baseline_mean + margin))[index + 1 :]
    if len(calm) < p.resolve_days:
        return None
    runs = np.concatenate([[0], np.cumsum(calm)])
    ends = np.flatnonzero(runs[p.resolve_days :] - runs[: len(runs) - p.resolve_days] == p.resolve_days)
    return index + p.resolve_days + int(ends[0]) if len(ends) else None


def _shown(value: float, mirror: bool) -> float:
    """A mean as the pages show it (lib.figures), on the measure's own scale."""
    return one_decimal(10 - value if mirror else value)


def _episode(measure, kind, first, start, evidence, resolved) -> Episode:
    day = first + datetime.timedelta(days=start)
    resolved_on = first + datetime.timedelta(days=resolved) if resolved is not None else None
    return Episode(measure, kind, day, evidence, resolved_on)
