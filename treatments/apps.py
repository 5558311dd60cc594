from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "treatments"

    def ready(self) -> None:
        # The diary's day page asks which medicines were taken that day through a hook the diary owns:
        # symptoms never imports treatments.
        from symptoms import day_parts

        from .day_part import medicines_taken

        day_parts.register(medicines_taken)
