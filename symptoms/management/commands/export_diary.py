from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from lib.figures import days_in_words
from symptoms.diary_csv import write_diary_csv
from symptoms.selectors import entries_for_export


class Command(BaseCommand):
    help = "Write a patient's whole diary as CSV (to standard output, or --output FILE)."

    def add_arguments(self, parser):
        parser.add_argument("--patient", required=True, help="Username of the patient.")
        parser.add_argument("--output", "-o", type=Path, help="File to write instead of standard output.")

    def handle(self, *args, patient, output, **options):
        user = User.objects.filter(username=patient, role=User.Role.PATIENT).first()
        if user is None:
            raise CommandError(f"No patient called {patient}.")
        entries = entries_for_export(user)
        if output is None:
            self.stdout.ending = ""  # the CSV writer ends its own lines
            write_diary_csv(entries, self.stdout)
            return
        with output.open("w", encoding="utf-8", newline="") as out:
            write_diary_csv(entries, out)
        self.stderr.write(f"Wrote {days_in_words(entries.count())} to {output}.")
