from django.core.management.base import BaseCommand

from reminders.push import new_vapid_keys


class Command(BaseCommand):
    help = "Print a new VAPID key pair for Web Push, as lines for the environment (.env)."

    def handle(self, *args, **options):
        public, private = new_vapid_keys()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}\n")
