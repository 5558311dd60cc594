import json

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from flags.models import Flag
from flags.selectors import flag_history
from flags.services import worsening_scan


class Command(BaseCommand):
    help = "Run worsening detection now (all patients when none is named); --json prints every flag."

    def add_arguments(self, parser):
        parser.add_argument("--patient", action="append", default=[], metavar="USERNAME")
        parser.add_argument("--json", action="store_true", help="Print the scanned patients' flags as JSON.")

    def handle(self, *args, patient, **options):
        as_json = options["json"]
        patients = User.objects.filter(role=User.Role.PATIENT).order_by("username")
        if patient:
            patients = patients.filter(username__in=patient)
            missing = sorted(set(patient) - set(patients.values_list("username", flat=True)))
            if missing:
                raise CommandError(f"No patient called {', '.join(missing)}.")
        flags: list[Flag] = []
        for user in patients:
            result = worsening_scan(patient=user)
            if not as_json:
                self.stdout.write(
                    f"{user.username}: {len(result.created)} new, {result.updated} updated, {result.removed} removed."
                )
            flags.extend(flag_history(user).select_related("patient"))
        if as_json:
            self.stdout.write(_json([_flag_json(f) for f in flags]))


def _json(data) -> str:
    return json.dumps(data, indent=2)


def _flag_json(flag) -> dict:
    return {
        "patient": flag.patient.username,
        "measure": flag.measure,
        "kind": flag.kind,
        "date": flag.date.isoformat(),
        "reason": flag.reason,
        "resolved_on": flag.resolved_on.isoformat() if flag.resolved_on else None,
        "baseline_mean": flag.baseline_mean,
        "baseline_days": flag.baseline_days,
        "recent_mean": flag.recent_mean,
        "recent_days": flag.recent_days,
        "window_days": flag.window_days,
        "change": flag.change,
        "threshold": flag.threshold,
        "acknowledged_by_patient": flag.patient_acknowledged_at is not None,
        "acknowledged_by_clinician": flag.clinician_acknowledged_at is not None,
    }
