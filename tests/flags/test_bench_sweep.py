"""make bench-sweep on a few patients: the real Celery path with 1 and 2 workers, its figures, and no trace left."""

import shutil
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from flags.models import Flag, PendingEvaluation
from symptoms.models import DiaryEntry
from tests.conftest import needs, uses_postgresql


@pytest.mark.django_db(transaction=True)
def test_the_sweep_bench_times_both_worker_counts_against_the_read_and_cleans_up():
    needs(shutil.which("redis-server") is not None, "needs redis-server")
    needs(uses_postgresql(), "needs PostgreSQL (DATABASE_URL): the workers are other processes")
    out = StringIO()
    call_command("bench_sweep", patients=30, days=140, rounds=1, stdout=out)
    text = out.getvalue()
    assert "30 patients x 140 days" in text
    assert "First sweep (2 worker processes, stores" in text
    assert "| 1 | " in text  # the round's three timings
    assert "Medians: reading the rows" in text and "x the read" in text and "2 workers against 1:" in text
    assert not User.objects.filter(username__startswith="bench-sweep-").exists()
    assert not DiaryEntry.objects.exists() and not Flag.objects.exists() and not PendingEvaluation.objects.exists()
