import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet

from accounts.models import User
from flags.models import Flag
from lib.figures import one_decimal
from symptoms.models import DiaryEntry
from symptoms.vocabulary import MEASURE_NAMES, MEASURES

from .models import AccessLog, Appointment, CareAccess


def can_see(clinician: User, patient_id: int) -> bool:
    return CareAccess.objects.filter(
        clinician=clinician, patient_id=patient_id, status=CareAccess.Status.ACTIVE
    ).exists()


def accesses_of_patient(patient: User) -> QuerySet[CareAccess]:
    return CareAccess.objects.filter(patient=patient).select_related("clinician").order_by("-created_at")


def access_log_for(patient: User, limit: int = 200) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(patient=patient).select_related("actor")[:limit]


@dataclass
class TriageRow:
    patient: User
    open_flags: list[Flag]
    last_entry: datetime.date | None
    recent: dict[str, float | None]  # 7-day mean of each measure
    change: dict[str, float | None]  # against the 7 days before

    @property
    def latest_flag(self) -> datetime.date | None:
        return max((f.date for f in self.open_flags), default=None)

    @property
    def logged_recently(self) -> bool:
        return any(value is not None for value in self.recent.values())

    @property
    def measure_rows(self):
        return [(m, self.recent[m.name], self.change[m.name]) for m in MEASURES]


def triage(clinician: User, *, today: datetime.date, search: str = "") -> list[TriageRow]:
    """The clinician's patients by need of attention: open flags first (most recent first), then the
    longest without a diary entry. Four queries whatever the number of patients."""
    patients = User.objects.filter(
        care_accesses__clinician=clinician, care_accesses__status=CareAccess.Status.ACTIVE
    ).distinct()
    if search:
        patients = patients.filter(
            Q(username__icontains=search) | Q(first_name__icontains=search) | Q(last_name__icontains=search)
        )
    patients = list(patients.order_by("username"))
    ids = [p.pk for p in patients]
    flags: dict[int, list[Flag]] = {}
    for flag in Flag.objects.filter(patient_id__in=ids, resolved_on__isnull=True).order_by("-date"):
        flags.setdefault(flag.patient_id, []).append(flag)
    last = dict(
        DiaryEntry.objects.filter(patient_id__in=ids)
        .values_list("patient_id")
        .annotate(last=Max("date"))
        .values_list("patient_id", "last")
    )
    since = today - datetime.timedelta(days=13)
    recent_rows = DiaryEntry.objects.filter(patient_id__in=ids, date__gte=since, date__lte=today).values(
        "patient_id", "date", *MEASURE_NAMES
    )
    by_patient: dict[int, list[dict]] = {}
    for row in recent_rows:
        by_patient.setdefault(row["patient_id"], []).append(row)
    rows = []
    for patient in patients:
        entries = by_patient.get(patient.pk, [])
        recent, change = {}, {}
        for name in MEASURE_NAMES:
            this_week = [
                r[name] for r in entries if r["date"] > today - datetime.timedelta(days=7) and r[name] is not None
            ]
            last_week = [
                r[name] for r in entries if r["date"] <= today - datetime.timedelta(days=7) and r[name] is not None
            ]
            recent[name] = one_decimal(statistics.fmean(this_week)) if this_week else None
            before = one_decimal(statistics.fmean(last_week)) if last_week else None
            change[name] = round(recent[name] - before, 1) if recent[name] is not None and before is not None else None
        rows.append(TriageRow(patient, flags.get(patient.pk, []), last.get(patient.pk), recent, change))
    flagged = sorted((r for r in rows if r.open_flags), key=lambda r: r.latest_flag, reverse=True)
    quiet = sorted((r for r in rows if not r.open_flags), key=lambda r: r.last_entry or datetime.date.min)
    return flagged + quiet


def last_appointment(patient: User, *, today: datetime.date) -> datetime.date | None:
    """The most recent appointment before today: "since the last appointment" starts there."""
    return (
        Appointment.objects.filter(patient=patient, date__lt=today)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )


def appointments_of(patient: User) -> QuerySet[Appointment]:
    return Appointment.objects.filter(patient=patient).select_related("clinician").order_by("-date")[:20]


def appointments_deletable_by(user: User, patient: User) -> QuerySet[Appointment]:
    """The appointments of `patient` that `user` may delete: those they recorded themselves. The
    caller has checked that `user` is the patient or a clinician the patient lets in."""
    if user.pk == patient.pk:
        return Appointment.objects.filter(patient=patient, clinician__isnull=True)
    return Appointment.objects.filter(patient=patient, clinician=user)
