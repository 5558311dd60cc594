from django.apps import AppConfig


class CareteamConfig(AppConfig):
    name = "careteam"
    verbose_name = "Care team: consent, access log, appointments"
