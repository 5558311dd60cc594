import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crps_tracker.settings.local")

app = Celery("crps_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
