"""Multivariate evidence (issue 19), measured on the benchmark and not adopted: docs/worsening-detection.md.

A rise that shows on two measures at once, pain with spasms or swelling as in a lasting CRPS flare, is
stronger evidence than the same rise on one. The paired rule is the rule (detection), and besides it: a
measure whose rise reaches the lower multiple `pair_z` of the patient's noise (clinically important and
broad, as the rule asks) is flagged when another of the patient's measures reached `pair_z` on the same day
or in the `pair_days` days before. With `pair_z` at the rule's own multiple it is the rule, episode for
episode (tests/flags/test_paired.py). The benchmark scores it on diaries with joint events
(flags.simulation, kind "joint") and on the usual ones, against the rule at a lower multiple for every rise.
"""

import dataclasses
import datetime
from collections.abc import Mapping

from .detection import (
    PARAMETERS,
    Episode,
    Parameters,
    _episode,
    _kind,
    _met,
    _prepare_patient,
    _Prepared,
    _shared_noise,
    _Sums,
    _window,
    _z,
)


def paired_rule_patient(
    daily: Mapping[datetime.date, Mapping[str, int | None]],
    measures: tuple[str, ...],
    *,
    until: datetime.date,
    pair_z: float,
    pair_days: int = 3,
    p: Parameters = PARAMETERS,
) -> list[Episode]:
    """Every worsening episode of a patient's measures under the paired rule (the module's docstring)."""
    if p.persist != 1:
        raise ValueError("The paired rule judges single days (persist 1).")
    prepared = _prepare_patient(daily, measures, until, p)
    shared = _shared_noise(prepared, p)
    paired = dataclasses.replace(p, z_windows=(pair_z,) * len(p.windows))
    # The days on which each measure's rise reached pair_z: another measure's evidence, whatever its episodes.
    reached: dict[datetime.date, set[str]] = {}
    for measure, one in prepared.items():
        sums = _Sums(one.values)
        for index, value in enumerate(one.values):
            if value is not None and _verdict(one, sums, measure, index, shared, paired) is not None:
                reached.setdefault(one.first + datetime.timedelta(days=index), set()).add(measure)

    episodes: list[Episode] = []
    for measure, one in prepared.items():
        episodes += _walk(one, measure, shared, p, paired, lambda m, day: partnered(reached, m, day, pair_days))
    return episodes


def partnered(reached: Mapping[datetime.date, set[str]], measure: str, day: datetime.date, pair_days: int) -> bool:
    """Whether another measure than `measure` reached the lower multiple on `day` or in the `pair_days` before
    (`reached`: day -> the measures that reached it that day). Never a later day: the rule runs each day."""
    return any(reached.get(day - datetime.timedelta(days=k), set()) - {measure} for k in range(pair_days + 1))


def _verdict(one: _Prepared, sums: _Sums, measure: str, index: int, shared, p: Parameters):
    """The rule's verdict on one logged day (detection._episodes): (baseline mean, evidence), or None.
    `sums`: _Sums of the measure's values."""
    last = _window(one.values, index, p.broad_of_last + 3)[-p.broad_of_last :]
    day = one.first + datetime.timedelta(days=index)
    for k, window in enumerate(p.windows):
        rise = one.rises[window][index]
        if rise is None:
            continue
        days, gap = window
        baseline = sums.window(index - days - gap, p.baseline_days)[:2]
        recent = sums.window(index, days)[:2]
        own, everyone = one.own[window][index], shared[window].get(day)
        met = _met(measure, days, rise, baseline, own, everyone, last, recent, p, _z(p, k))
        if met is not None:
            return met
    return None


def _walk(one: _Prepared, measure: str, shared, p: Parameters, paired: Parameters, partnered) -> list[Episode]:
    """One measure's episodes, as detection._episodes walks them, with the paired evidence beside the rule's."""
    value_sums = _Sums(one.values)
    episodes: list[Episode] = []
    open_episode = None
    calm_days = 0
    for index, today in enumerate(one.values):
        if open_episode is not None:
            start, baseline_mean, evidence, kind = open_episode
            n, s, _ = value_sums.window(index, 7)
            margin = min(p.resolve_margin, evidence.change / 2)
            calm_days = calm_days + 1 if n >= 4 and s / n <= baseline_mean + margin else 0
            if calm_days >= p.resolve_days:
                episodes.append(_episode(measure, kind, one.first, start, evidence, index))
                open_episode, calm_days = None, 0
            continue
        if today is None:
            continue
        met = _verdict(one, value_sums, measure, index, shared, p)
        if met is None and partnered(measure, one.first + datetime.timedelta(days=index)):
            met = _verdict(one, value_sums, measure, index, shared, paired)
        if met is not None:
            baseline_mean, evidence = met
            open_episode = (index, baseline_mean, evidence, _kind(measure, one.values, index, baseline_mean, p))
            calm_days = 0
    if open_episode is not None:
        start, _baseline, evidence, kind = open_episode
        episodes.append(_episode(measure, kind, one.first, start, evidence, None))
    return episodes
