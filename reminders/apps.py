from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """The app on the patient's phone: its manifest and service worker (installable, offline, push)
    and the reminders and notices it sends."""

    name = "reminders"
