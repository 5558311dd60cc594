from django.apps import AppConfig


class FlagsConfig(AppConfig):
    name = "flags"
    verbose_name = "Worsening flags"

    def ready(self) -> None:
        from symptoms.signals import diary_changed

        from .scheduling import evaluate_after_change

        # A changed diary is marked for evaluation in the same transaction (flags.scheduling).
        diary_changed.connect(evaluate_after_change, dispatch_uid="flags.evaluate_after_change")
