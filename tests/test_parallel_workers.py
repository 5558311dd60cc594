"""The suite runs in parallel (pytest-xdist, `make test`): each worker process has its own Redis database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from crps_tracker.settings.test import redis_url_for_worker

ROOT = Path(__file__).resolve().parent.parent
SHOW = (
    "import os, django; django.setup(); from django.conf import settings;"
    " print(settings.CELERY_BROKER_URL, os.environ['REDIS_URL'])"
)
OURS = ("REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER", "CRPS_REDIS_URL_WORKER")


def test_each_worker_adds_its_number_to_the_database_it_was_given():
    assert redis_url_for_worker("redis://127.0.0.1:6379/12", "gw0") == "redis://127.0.0.1:6379/12"
    assert redis_url_for_worker("redis://127.0.0.1:6379/12", "gw1") == "redis://127.0.0.1:6379/13"
    assert (
        redis_url_for_worker("redis://:secret@cache.example.org:6380", "gw3")
        == "redis://:secret@cache.example.org:6380/3"
    )
    assert redis_url_for_worker("rediss://cache.example.org/2?ssl_cert_reqs=none", "gw1") == (
        "rediss://cache.example.org/3?ssl_cert_reqs=none"
    )


def test_a_worker_past_the_last_database_or_off_redis_is_refused():
    with pytest.raises(ImproperlyConfigured, match="past the last one"):
        redis_url_for_worker("redis://127.0.0.1:6379/12", "gw4")
    with pytest.raises(ImproperlyConfigured, match="redis://"):
        redis_url_for_worker("memory://", "gw1")


def show_settings(**env) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if k not in OURS}
    environment.update(env, DJANGO_SETTINGS_MODULE="crps_tracker.settings.test")
    result = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", SHOW], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_settings_and_what_the_worker_passes_on_agree():
    """Celery's broker and the REDIS_URL that tests read and hand to the Celery workers they start."""
    assert show_settings(REDIS_URL="redis://127.0.0.1:6379/5", PYTEST_XDIST_WORKER="gw2") == [
        "redis://127.0.0.1:6379/7",
        "redis://127.0.0.1:6379/7",
    ]
    assert show_settings(REDIS_URL="redis://127.0.0.1:6379/5") == ["redis://127.0.0.1:6379/5"] * 2  # no xdist
    # A process the worker starts with the test settings inherits the rewritten URL: not moved again.
    inherited = {"REDIS_URL": "redis://127.0.0.1:6379/7", "PYTEST_XDIST_WORKER": "gw2", "CRPS_REDIS_URL_WORKER": "gw2"}
    assert show_settings(**inherited) == ["redis://127.0.0.1:6379/7"] * 2
