from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.selectors import local_today
from accounts.services import patient_sign_up
from lib.figures import days_in_words
from symptoms.diary_csv import decode_csv_bytes, parse_diary_csv
from symptoms.services import diary_import


class Command(BaseCommand):
    help = (
        "Import diary CSV files, all or nothing. With --patient every file goes to that patient; "
        "with --create and no --patient, each file's name (without .csv) names its patient."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--patient", help="Username of the patient the entries belong to.")
        parser.add_argument(
            "--create",
            action="store_true",
            help="Create missing patients (with an unusable password: they reset it to log in).",
        )

    def handle(self, *args, files, patient, create, **options):
        if not patient and not create:
            raise CommandError("Name the patient with --patient USERNAME (or use --create to name them by file).")
        plan = [(path, patient or path.stem) for path in files]
        failures = []
        parsed = []
        for path, username in plan:
            user = self._existing_patient(username, create)
            try:
                data = path.read_bytes()
            except OSError as error:
                failures.append(f"{path}: cannot read ({error.strerror}).")
                continue
            text, errors = decode_csv_bytes(data)
            if errors:
                failures.extend(f"{path}: {error}" for error in errors)
                continue
            result = parse_diary_csv(text, today=local_today(user))
            if result.errors:
                failures.extend(f"{path}: {error}" for error in result.errors)
            else:
                parsed.append((path, username, result))
        if failures:
            raise CommandError("Nothing was imported.\n" + "\n".join(failures))

        with transaction.atomic():
            for path, username, result in parsed:
                user = self._patient(username, create)
                try:
                    outcome = diary_import(patient=user, rows=result.rows, columns=result.columns)
                except ValidationError as error:
                    raise CommandError(f"{path}: {'; '.join(error.messages)}. Nothing was imported.") from error
                self.stdout.write(
                    f"{path}: {days_in_words(outcome.total)} for {username} "
                    f"({outcome.created} new, {outcome.updated} replaced)."
                )
        self.stdout.write(self.style.SUCCESS(f"Imported {len(parsed)} file(s)."))

    def _existing_patient(self, username: str, create: bool) -> User | None:
        """The patient called `username`; None for one --create is to make (an error without it)."""
        user = User.objects.filter(username=username).first()
        if user is not None:
            if not user.is_patient:
                raise CommandError(f"{username} is not a patient account.")
            return user
        if not create:
            raise CommandError(f"No patient called {username}. Use --create to create them.")
        return None

    def _patient(self, username: str, create: bool) -> User:
        """The patient called `username`, made now if --create allows and there is none."""
        user = self._existing_patient(username, create)
        if user is not None:
            return user
        try:
            return patient_sign_up(username=username, password=None)
        except ValidationError as error:
            raise CommandError(f"Cannot create patient {username!r}: {'; '.join(error.messages)}") from error
