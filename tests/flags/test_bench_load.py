"""make bench-load's arithmetic and table. The run itself (gunicorn, a worker, a private Redis,
50 patients for about 3 minutes) is left to the make target: it cannot finish inside a test's time."""

import math

import pytest
from django.core.management import CommandError, call_command

from flags.management.commands.bench_load import format_table, percentile, summarise


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


@pytest.mark.parametrize("option", [["--patients", "0"], ["--seconds", "500"], ["--rounds", "9"]])
def test_out_of_range_options_are_refused_before_anything_starts(option):
    with pytest.raises(CommandError, match="--patients 1-200"):
        call_command("bench_load", *option)
