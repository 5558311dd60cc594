"""make bench-load's arithmetic, pacing and tables. The run itself (gunicorn, a worker, a private Redis,
100 patients for about 2 minutes) is left to the make target: it cannot finish inside a test's time."""

import math
import os
import random
import statistics
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from flags.management.commands.bench_load import (
    ANCHOR,
    PROBE,
    THINK_CAP,
    Run,
    Tally,
    format_run,
    format_servers,
    format_table,
    parse_servers,
    percentile,
    server_label,
    server_row,
    summarise,
    think_time,
    verdict,
)


def test_percentile_is_nearest_rank():
    values = [v / 1000 for v in range(100, 0, -1)]  # 0.001 .. 0.100, unsorted
    assert percentile(values, 0.50) == 0.050
    assert percentile(values, 0.95) == 0.095
    assert percentile(values, 0.99) == 0.099
    assert percentile([0.3, 0.1, 0.2], 0.50) == 0.2
    assert percentile([0.7], 0.99) == 0.7
    assert math.isnan(percentile([], 0.5))


def test_summary_counts_errors_as_requests_and_divides_by_the_time_measured():
    summary = summarise([0.010] * 90 + [0.500] * 10, errors=20, seconds=10.0)
    assert summary["requests"] == 120
    assert summary["per_second"] == 12.0
    assert summary["p50"] == 0.010
    assert summary["p95"] == 0.500
    assert summary["errors"] == 20


def test_table_gives_each_state_and_its_ratio_to_up():
    up = summarise([0.010] * 50 + [0.020] * 50, errors=0, seconds=10.0)
    down = summarise([0.011] * 50 + [0.030] * 45, errors=5, seconds=10.0)
    table = format_table({"up": up, "down": down}).splitlines()
    assert table[0].split() == ["redis", "requests", "req/s", "p50", "ms", "p95", "ms", "p99", "ms", "errors"]
    assert table[1].split() == ["up", "100", "10.0", "10", "20", "20", "0"]
    assert table[2].split() == ["down", "100", "10.0", "11", "30", "30", "5"]
    assert table[3] == "down/up: req/s 1.00, p50 1.10, p95 1.50, p99 1.50"


def test_think_time_is_exponential_with_the_mean_asked_and_cut():
    rng = random.Random(7)
    draws = [think_time(rng, 4.0) for _ in range(20_000)]
    assert 3.85 < statistics.fmean(draws) < 4.1  # the cut at 5x removes under 1 % of the mean
    assert max(draws) == THINK_CAP * 4.0  # some draws are cut...
    assert 0.005 < sum(d == THINK_CAP * 4.0 for d in draws) / len(draws) < 0.01  # ...about e^-5 of them
    assert 0.60 < sum(d < 4.0 for d in draws) / len(draws) < 0.66  # exponential: 1 - 1/e below the mean
    assert think_time(rng, 0.0) == 0.0  # --think 0: the closed loop


def test_the_same_seed_paces_a_patient_the_same_way_on_every_server():
    assert [think_time(random.Random(3), 4.0) for _ in range(3)] == [think_time(random.Random(3), 4.0)] * 3


def test_servers_are_workers_by_threads():
    assert parse_servers("2x1, 4x1,2x4,3X2".lower()) == [(2, 1), (4, 1), (2, 4), (3, 2)]
    assert parse_servers("2x4,2x4") == [(2, 4)]
    assert server_label(2, 1) == "2 sync"
    assert server_label(3, 2) == "3x2 gthread"
    for wrong in ("2", "2x", "x4", "0x1", "9x1", "2x17", "4x16", "2x4;4x1"):
        with pytest.raises(CommandError):
            parse_servers(wrong)


def _run(seconds, cpu, pages, errors=()):
    run = Run(seconds)
    run.cpu = cpu
    run.busy = Counter(web=cpu, machine=2 * cpu)
    for page, values in pages.items():
        for value in values:
            run.record(page, latency=value)
    for page, kind in errors:
        run.record(page, error=kind)
    return run


def test_a_tally_sums_rounds_per_page_and_leaves_the_probe_out_of_the_patients():
    tally = Tally()
    tally.add(_run(10.0, 2.0, {"today": [0.02] * 50, "dashboard": [0.1] * 50, PROBE: [0.002] * 20}))
    tally.add(_run(10.0, 2.0, {"today": [0.03] * 50, "dashboard": [0.2] * 49}, errors=[("dashboard", "500")]))
    overall = tally.summary()
    assert overall["requests"] == 200 and overall["errors"] == 1
    assert overall["per_second"] == 10.0
    assert tally.per_round == [10.0, 10.0]
    assert tally.summary(["dashboard"])["p95"] == 0.2
    assert tally.summary(["today"])["p50"] == 0.02
    assert tally.summary([PROBE])["requests"] == 20
    assert tally.cpu_per_request_ms() == 20.0  # 4 CPU seconds over 200 requests
    assert tally.kinds == {"dashboard: 500": 1}


def test_the_run_table_puts_the_patients_beside_the_bare_page():
    tallies = {"up": Tally(), ANCHOR: Tally()}
    pages = {"today": [0.04] * 25, "save": [0.03] * 25, "history": [0.05] * 25, "dashboard": [0.2] * 25}
    tallies["up"].add(_run(10.0, 5.0, {**pages, PROBE: [0.004] * 20}))
    tallies[ANCHOR].add(_run(5.0, 2.5, {ANCHOR: [0.002] * 5000}))
    lines = format_run(tallies, ("up",)).splitlines()
    assert lines[0].split() == ["requests", "req/s", "p50", "ms", "p95", "ms", "p99", "ms", "errors", "CPU", "ms"]
    assert lines[4].split() == ["dashboard", "25", "2.5", "200", "200", "200", "0"]
    assert lines[5].split() == ["all", "pages", "100", "10.0", "40", "200", "200", "0", "50.0"]
    assert lines[7].split() == ["bare", "/healthz", "5000", "1000.0", "2", "2", "2", "0", "0.5"]
    rest = "the rest (other jobs) 0.50"
    assert lines[9] == f"  cores busy: gunicorn 0.50, {rest}, whole machine 1.00 of {os.cpu_count()}"
    assert lines[10] == "  against the bare page: req/s 0.010 of its 1000; CPU per request 100.0x; p95 100.0x"
    row = server_row(tallies)
    assert (row["per_second"], row["bare_per_second"], row["busy"]) == (10.0, 1000.0, 0.5)
    assert row["machine"] == 1.0
    table = format_servers({"2x4 gthread": row}).splitlines()
    assert table[1].split() == [
        "2x4",
        "gthread",
        "10.0",
        "40",
        "200",
        "200",
        "200",
        "0",
        "0.50",
        "1.00",
        "1000",
        "2.0",
        "4.0",
    ]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--patients", "0"], "--patients 1-200"),
        (["--seconds", "500"], "--patients 1-200"),
        (["--rounds", "9"], "--patients 1-200"),
        (["--think", "99"], "--think 0-30"),
        (["--anchor-threads", "50"], "--anchor-threads 1-16"),
        (["--servers", "2x40"], "--servers"),
    ],
)
def test_out_of_range_options_are_refused_before_anything_starts(option, message):
    with pytest.raises(CommandError, match=message):
        call_command("bench_load", *option)


def test_the_verdict_needs_no_error_and_p95_under_300_ms():
    fast = summarise([0.100] * 95 + [0.290] * 5, errors=0, seconds=10.0)
    assert verdict(fast) == "goal (0 errors, p95 under 300 ms): met (0 errors, p95 100 ms)"
    assert verdict(summarise([0.100] * 94 + [0.300] * 6, errors=0, seconds=10.0)).startswith(
        "goal (0 errors, p95 under 300 ms): NOT met"
    )
    assert "NOT met (1 errors, p95 100 ms)" in verdict(summarise([0.100] * 99, errors=1, seconds=10.0))
