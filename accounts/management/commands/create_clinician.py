import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import clinician_create


class Command(BaseCommand):
    help = "Create a clinician account (self-signup only ever creates patients)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--password", help="Prompted for when omitted.")

    def handle(self, *args, username, email, first_name, last_name, password, **options):
        if password is None:
            password = getpass.getpass("Password: ")
        try:
            user = clinician_create(
                username=username,
                password=password,
                email=email,
                first_name=first_name,
                last_name=last_name,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Created clinician {user.username}."))
