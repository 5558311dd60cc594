from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.timezone import now
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import PatientProfile, User
from accounts.selectors import local_today
from assessments.models import Response
from careteam.services import access_grant
from flags.models import DetectionSetting
from symptoms.models import DiaryEntry
from symptoms.services import diary_import

from .assessments import demo_assessments_load
from .diary import QUESTIONS, demo_diary, demo_report_notes
from .treatments import demo_treatments_load

DEMO_PATIENT = "demo-patient"
DEMO_CLINICIAN = "demo-clinician"
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (public demo login, DEBUG only)
DEMO_TIME_ZONE = "Europe/London"
# The demo clinician's authenticator secret (hex; shown as base32 by load_demo). Public: demo only.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_DETECTION = {"level": "sensitive", "reason": "New medication: watching closely for a few weeks."}


@dataclass(frozen=True)
class DemoResult:
    patient: User
    clinician: User
    diary_days_added: int


@transaction.atomic
def demo_data_load() -> DemoResult:
    """Create (or restore) the demo accounts and the demo diary. Safe to run again.

    The diary and treatments are generated only when the demo patient has no diary, and the questionnaires
    and assessments only when they have none, so entries made while trying the app are kept.
    """
    if not settings.DEBUG:
        raise RuntimeError("Demo data is for development only: DEBUG is off.")
    patient = _demo_user(DEMO_PATIENT, User.Role.PATIENT, first_name="Alex", last_name="Demo")
    profile, _ = PatientProfile.objects.get_or_create(user=patient, defaults={"time_zone": DEMO_TIME_ZONE})
    today = local_today(patient)
    added = 0
    if not DiaryEntry.objects.filter(patient=patient).exists():
        # Watched closely since the new medication (flags: the care team's setting, set before the import).
        DetectionSetting.objects.update_or_create(patient=patient, defaults=DEMO_DETECTION | {"changed_at": now()})
        rows = demo_diary(today)
        added = diary_import(patient=patient, rows=rows).created
        # The import leaves "put this note in the report" alone (not a CSV column): set as a patient would.
        DiaryEntry.objects.filter(patient=patient, date__in=demo_report_notes(today)).update(note_for_clinician=True)
        profile.affected_sites = ["right_hand", "right_arm"]
        profile.onset_date = today.replace(year=today.year - 2)
        profile.questions_for_clinic = QUESTIONS
        profile.birth_year = today.year - 44
        profile.save(update_fields=["affected_sites", "onset_date", "questions_for_clinic", "birth_year", "updated_at"])
        demo_treatments_load(patient, today)
    clinician = _demo_user(DEMO_CLINICIAN, User.Role.CLINICIAN, first_name="Sam", last_name="Rivera")
    access_grant(patient=patient, clinician_identifier=clinician.username)
    TOTPDevice.objects.update_or_create(
        user=clinician, name="Demo authenticator", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )
    if not Response.objects.filter(patient=patient).exists():
        demo_assessments_load(patient, clinician)
    return DemoResult(patient=patient, clinician=clinician, diary_days_added=added)


def _demo_user(username: str, role: str, **names: str) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, **names})
    user.role = role
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user
