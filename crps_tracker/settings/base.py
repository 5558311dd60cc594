"""Settings shared by every environment. Values come from the environment.

With nothing set the app runs on SQLite and executes Celery tasks in-process,
so that "clone, make run" works on any machine with Python 3.12+.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A form sent with an out-of-date token: the app's own page that says nothing was saved and how to resend.
CSRF_FAILURE_VIEW = "lib.views.csrf_failure"

# Apps
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]
LOCAL_APPS = [
    "accounts",
    "symptoms",
    "treatments",
    "dashboard",
    "flags",
    "assessments",
    "careteam",
    "reminders",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, compressed ahead (Brotli, gzip)
    # Pages compressed, when the browser accepts it (a 5-year dashboard: 82 KB to 13 KB). Below
    # whitenoise, which answers static files itself; above every middleware that writes the body. Its
    # gzip carries random padding against BREACH, and the CSRF token is masked anew on every page.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lib.cache_control.PrivateNoStoreMiddleware",  # a signed-in user's pages: never cached
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "accounts.middleware.SessionPolicyMiddleware",
    "accounts.middleware.PatientTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as its documentation asks: turns locked-out logins into a clear page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an account is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling, per account: 5 failures lock the account for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["username"]
# Per account, on purpose: behind the reverse proxy every request can carry the proxy's address,
# and an address-based lockout would lock everyone out at once (axes.W006 warns about that choice).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Sessions end after inactivity: two weeks for patients on their own phone, 30 minutes for clinicians.
PATIENT_SESSION_SECONDS = 14 * 24 * 3600
CLINICIAN_SESSION_SECONDS = 30 * 60
OTP_TOTP_ISSUER = "CRPS Tracker"

ROOT_URLCONF = "crps_tracker.urls"
WSGI_APPLICATION = "crps_tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "symptoms.context_processors.yardsticks",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://...) in production; SQLite when unset.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer: take the write lock when a transaction starts, and wait for it, so that
    # a double submit waits its turn instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The rendered bodies of the dashboard, review and report, keyed by who asks, what they asked and the
# patient's data version (lib.pages, accounts.data_version): an edit makes a new key, so nothing is ever
# stale. In each process's own memory: no health data leaves the process, nothing to fail when Redis is
# down, and ten minutes ({% cache 600 %}) is all it is kept. 300 bodies: at most about 80 MB (the
# 5-year "All" page is the largest, 265 kB), a few MB usually.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# A new patient's zone until they choose theirs (the sign-up page proposes the browser's).
DEFAULT_PATIENT_TIME_ZONE = env.str("DEFAULT_PATIENT_TIME_ZONE", default="Europe/London")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded diary CSVs are read in memory and never stored: form fields up to 5 MB, files up to
# 5 MB in all; past that the request is no longer read (lib.uploads) and the page says why.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["lib.uploads.LimitedMemoryUploadHandler"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers that hold everywhere; production.py adds the HTTPS-only ones.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# Inactivity, not age, ends a session: accounts.middleware.SessionPolicyMiddleware moves its end on,
# at most once a minute (a page does not write the session table each time).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Strict CSP: our own origin only, no inline scripts or styles, no third parties.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # The app's own service worker (served at /sw.js) and web app manifest.
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}


def mailers_from_url(url: str) -> dict:
    """Django 6.1 MAILERS from one URL, e.g. smtp+tls://user:password@smtp.example.org:587."""
    config = environ.Env.email_url_config(url)
    backend = config["EMAIL_BACKEND"]
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        given = {
            "host": config.get("EMAIL_HOST"),
            "port": config.get("EMAIL_PORT"),
            "username": config.get("EMAIL_HOST_USER"),
            "password": config.get("EMAIL_HOST_PASSWORD"),
            "use_tls": config.get("EMAIL_USE_TLS"),
            "use_ssl": config.get("EMAIL_USE_SSL"),
        }
        options = {key: value for key, value in given.items() if value}
        # Seconds before a connection or an answer of the mail server is given up: a hung relay must not hold
        # a worker (or a reminder sweep) for ever.
        options["timeout"] = env.int("EMAIL_TIMEOUT", default=10)
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


# E-mail: printed to the console in development; production.py defaults to SMTP.
MAILERS = mailers_from_url(env.str("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CRPS Tracker <noreply@localhost>")
# Web Push (reminders.push): the VAPID key pair that signs every push, and a contact for the push
# services (mailto: or https:). Without the keys, notifications on the phone are not offered.
# Make a pair with `manage.py vapid_keys`.
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default="mailto:admin@localhost")
# The address people open the app at: e-mails sent by background tasks link to it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Who runs this installation, as the front page names it to visitors ("Run by ...").
SITE_OPERATOR = env.str("SITE_OPERATOR", default="your clinic")
# The safety message a patient sees at once when a PHQ-9 answer tells of thoughts of self-harm
# (assessments.views.answer), and the crisis lines of this installation's country, "Name|number" separated by
# semicolons (e.g. "Samaritans, any time|116 123; NHS 111, option 2|111"). Without lines, the message alone,
# which sends to emergency services.
CRISIS_MESSAGE = env.str(
    "CRISIS_MESSAGE",
    default=(
        "If you might act on these thoughts, or you do not feel safe right now, call your local emergency "
        "number now (112 in Europe, 999 in the UK, 911 in North America) or go to the nearest emergency department."
    ),
)
CRISIS_CONTACTS = [
    tuple(part.strip() for part in line.split("|", 1))
    for line in env.str("CRISIS_CONTACTS", default="").split(";")
    if "|" in line
]

# Celery: the broker is Redis from CELERY_BROKER_URL or REDIS_URL. Without one,
# tasks run eagerly in the web process (zero-setup development and tests).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default=""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
# The longest hard time limit of any task (flags.tasks.evaluate_chunk, 200 patients).
FLAGS_CHUNK_TIME_LIMIT = 10 * 60
# A task whose worker died unacknowledged goes back to the queue after the visibility timeout: a
# little above the longest hard time limit, so no running task is handed out twice, and a killed
# worker's chunk is redelivered within 11 minutes (Redis' default is an hour). Web requests never
# wait on these options: they publish with their own sub-second budget (flags.scheduling).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=FLAGS_CHUNK_TIME_LIMIT + 60),
}
# The schedule lives here, in code (django-celery-beat does not support Django 6.1 yet).
CELERY_BEAT_SCHEDULE = {
    "nightly-worsening-sweep": {"task": "flags.tasks.nightly_sweep", "schedule": crontab(hour=2, minute=30)},
    # Queues every patient whose evaluation is still due (the save's own publish failed or was lost).
    "relay-pending-evaluations": {"task": "flags.tasks.relay_pending_evaluations", "schedule": 60.0},
    "daily-reminders": {"task": "reminders.tasks.send_reminders", "schedule": crontab(minute="*/15")},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
