import base64

from django.core.management.base import BaseCommand, CommandError

from demo.services import DEMO_PASSWORD, DEMO_TOTP_KEY, demo_data_load


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
            f"  Clinician: {result.clinician.username} / {DEMO_PASSWORD}\n"
            f"             two-factor secret (add it to an authenticator app): {demo_totp_secret()}"
        )


def demo_totp_secret() -> str:
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode().rstrip("=")
