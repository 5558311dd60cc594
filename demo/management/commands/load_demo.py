from django.core.management.base import BaseCommand, CommandError

from demo.services import DEMO_PASSWORD, demo_data_load


class Command(BaseCommand):
    help = "Load the demo patient and clinician with ~180 days of diary (DEBUG only; safe to rerun)."

    def handle(self, *args, **options):
        try:
            result = demo_data_load()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Demo data ready ({result.diary_days_added} diary days added).\n"
            f"  Patient:   {result.patient.username} / {DEMO_PASSWORD}\n"
            f"  Clinician: {result.clinician.username} / {DEMO_PASSWORD}"
        )
