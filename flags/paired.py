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
from collections.abc import Callable, Mapping

from .detection import (
    PARAMETERS,
    Episode,
    Evidence,
    Parameters,
    _episodes,
    _prepare_patient,
    _Prepared,
    _shared_noise,
    _Sums,
    _verdict,
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
    prepared = _prepare_patient(daily, measures, until, p)
    shared = _shared_noise(prepared, p)
    paired = dataclasses.replace(p, z_windows=(pair_z,) * len(p.windows))
    # The days on which each measure's rise reached pair_z: another measure's evidence, whatever its episodes.
    reached: dict[datetime.date, set[str]] = {}
    sums = {measure: _Sums(one.values) for measure, one in prepared.items()}
    for measure, one in prepared.items():
        for index, value in enumerate(one.values):
            if value is not None and _verdict(one, sums[measure], measure, index, shared, paired) is not None:
                reached.setdefault(one.first + datetime.timedelta(days=index), set()).add(measure)

    def fallback(one: _Prepared, measure: str) -> Callable[[int], tuple[float, Evidence] | None]:
        def paired_verdict(index: int) -> tuple[float, Evidence] | None:
            day = one.first + datetime.timedelta(days=index)
            if not partnered(reached, measure, day, pair_days):
                return None
            return _verdict(one, sums[measure], measure, index, shared, paired)

        return paired_verdict

    return [
        episode
        for measure, one in prepared.items()
        for episode in _episodes(one, measure, p, shared, fallback(one, measure))
    ]


def partnered(reached: Mapping[datetime.date, set[str]], measure: str, day: datetime.date, pair_days: int) -> bool:
    """Whether another measure than `measure` reached the lower multiple on `day` or in the `pair_days` before
    (`reached`: day -> the measures that reached it that day). Never a later day: the rule runs each day."""
    return any(reached.get(day - datetime.timedelta(days=k), set()) - {measure} for k in range(pair_days + 1))
