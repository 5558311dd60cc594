import os

from django.core.wsgi import get_wsgi_application

# A WSGI server is a deployment: default to the production settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crps_tracker.settings.production")

application = get_wsgi_application()
