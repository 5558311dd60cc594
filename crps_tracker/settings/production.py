"""Production: refuses to start without SECRET_KEY; HTTPS everywhere; `check --deploy` clean."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, mailers_from_url

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")  # raises ImproperlyConfigured when unset

# Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a monitor's plain "ok" (no data, no session, no cookie)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405


def _site_url() -> str:
    """Links in e-mails: SITE_URL, else the first allowed host that names one host, over HTTPS."""
    configured = env.str("SITE_URL", default="")
    if configured:
        return configured.rstrip("/")
    hosts = [host for host in ALLOWED_HOSTS if host and host != "*" and not host.startswith(".")]  # noqa: F405
    if not hosts:
        raise ImproperlyConfigured("Set SITE_URL, the address people open the app at (for links in e-mails).")
    return f"https://{hosts[0]}"


SITE_URL = _site_url()

# A local mail relay unless EMAIL_URL names another (smtp+tls://user:password@host:587).
MAILERS = mailers_from_url(env.str("EMAIL_URL", default="smtp://localhost:25"))
