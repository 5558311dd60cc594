from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from demo.services import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the demo clinician's current two-factor code (DEBUG only), for trying the demo without an app."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only: DEBUG is off.")
        self.stdout.write(f"{TOTP(bytes.fromhex(DEMO_TOTP_KEY)).token():06d}")
