"""Tests: fast hashing, mail to the outbox, plain static storage for the live server.

The database is SQLite unless DATABASE_URL is set (CI sets PostgreSQL); Celery is
eager unless a test starts a real worker against REDIS_URL.
"""

from .base import *  # noqa: F403

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
