"""Development: DEBUG on, a throwaway secret, SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# The demo data (manage.py load_demo, make run): only where DEBUG is on; production never loads the app.
if DEBUG:
    INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-local-development-only-do-not-deploy")
# runserver serves static files itself; no manifest needed.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
