"""Production: refuses to start without SECRET_KEY; HTTPS everywhere; `check --deploy` clean."""

from .base import *  # noqa: F403
from .base import env, mailers_from_url

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")  # raises ImproperlyConfigured when unset

# Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405

# Links in e-mails: the first allowed host over HTTPS unless SITE_URL says otherwise.
SITE_URL = env.str("SITE_URL", default=f"https://{ALLOWED_HOSTS[0]}").rstrip("/")  # noqa: F405

# A local mail relay unless EMAIL_URL names another (smtp+tls://user:password@host:587).
MAILERS = mailers_from_url(env.str("EMAIL_URL", default="smtp://localhost:25"))
