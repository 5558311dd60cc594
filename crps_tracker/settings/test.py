"""Tests: fast hashing, mail to the outbox, plain static storage for the live server.

The database is SQLite unless DATABASE_URL is set (CI sets PostgreSQL); Celery is
eager unless a test starts a real worker against REDIS_URL. Under pytest-xdist each worker
process (gw0, gw1, ...) takes its own Redis database: see redis_url_for_worker.
"""

import os
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

REDIS_DATABASES = 16  # Redis' default: databases 0-15


def redis_url_for_worker(url: str, worker: str) -> str:
    """The Redis URL for pytest-xdist's worker `worker` ("gw0", "gw1", ...): the database in `url` (0 if
    none) plus the worker's number, so that no two workers share Celery queues or kombu's bookkeeping of
    unacknowledged tasks (which a starting Celery worker hands back to their queues)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ImproperlyConfigured(f"Tests under pytest-xdist need a redis:// URL, not {url!r}.")
    number = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    if number >= REDIS_DATABASES:
        raise ImproperlyConfigured(
            f"pytest-xdist worker {worker} would use Redis database {number} of {url!r}, past the last one "
            f"({REDIS_DATABASES - 1}): start from a lower database or run fewer workers."
        )
    return urlunsplit(parts._replace(path=f"/{number}"))


# The environment is rewritten, once per worker, so that what the tests read from it and the Celery
# workers they start (which inherit it) agree with the settings.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER and os.environ.get("CRPS_REDIS_URL_WORKER") != XDIST_WORKER:
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        if os.environ.get(name):
            os.environ[name] = redis_url_for_worker(os.environ[name], XDIST_WORKER)
    os.environ["CRPS_REDIS_URL_WORKER"] = XDIST_WORKER
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default=""))

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405 (the demo data is tested; production has no demo app)
SECRET_KEY = "test-secret-key-not-for-production-use-0123456789abcdef"  # noqa: S105 (tests only)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SITE_URL = "http://testserver.example"  # links in e-mails
# Serve static files from the finders (no collectstatic) for the live server.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
del STATIC_ROOT  # noqa: F821 (from base) - Django's default, None: the finders serve the files
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Tests decide per test whether a real broker is used.
CELERY_TASK_ALWAYS_EAGER = True
LOGGING["root"] = {"handlers": ["console"], "level": "WARNING"}  # noqa: F405
