import json

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from careteam.fhir import patient_bundle


class Command(BaseCommand):
    help = "Write a patient's data as a FHIR R4 Bundle (JSON) to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--patient", required=True, help="Username of the patient.")

    def handle(self, *args, patient, **options):
        user = User.objects.filter(username=patient, role=User.Role.PATIENT).first()
        if user is None:
            raise CommandError(f"No patient called {patient}.")
        self.stdout.write(json.dumps(patient_bundle(user), indent=1))
