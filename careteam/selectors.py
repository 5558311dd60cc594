import datetime
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet

from accounts.models import User
from accounts.selectors import local_today
from dashboard.series import ROLLING_DAYS, ROLLING_MIN, rolling_mean
from flags.models import Flag
from lib.figures import one_decimal
from symptoms.models import DiaryEntry
from symptoms.vocabulary import MEASURE_NAMES, MEASURES

from .models import AccessLog, Appointment, CareAccess, ShareCode


def can_see(clinician: User, patient_id: int) -> bool:
    return CareAccess.objects.filter(
        clinician=clinician, patient_id=patient_id, status=CareAccess.Status.ACTIVE
    ).exists()


def accesses_of_patient(patient: User) -> QuerySet[CareAccess]:
    return CareAccess.objects.filter(patient=patient).select_related("clinician").order_by("-created_at")


def unused_share_codes(patient: User) -> QuerySet[ShareCode]:
    """The codes a clinician could still use (not used, expired or cancelled), soonest to expire first."""
    return ShareCode.objects.filter(patient=patient).usable().order_by("expires_at")


def access_log_for(patient: User, limit: int = 200) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(patient=patient).select_related("actor")[:limit]


@dataclass
class TriageRow:
    patient: User
    open_flags: list[Flag]
    last_entry: datetime.date | None
    recent: dict[str, float | None]  # 7-day mean of each measure, as the dashboard draws it
    change: dict[str, float | None]  # against the 7 days before
    recent_days: int = 0  # days logged in the last 7
    window_days = ROLLING_DAYS

    @property
    def latest_flag(self) -> datetime.date | None:
        return max((f.date for f in self.open_flags), default=None)

    @property
    def unreviewed(self) -> list[Flag]:
        """The open flags no clinician has acknowledged yet."""
        return [f for f in self.open_flags if f.clinician_acknowledged_at is None]

    @property
    def enough_days(self) -> bool:
        """Enough days logged for a 7-day mean (as on the dashboard's chart and cards)."""
        return self.recent_days >= ROLLING_MIN

    @property
    def measure_rows(self):
        return [(m, self.recent[m.name], self.change[m.name]) for m in MEASURES]


def triage(clinician: User, *, search: str = "") -> list[TriageRow]:
    """The clinician's patients by need of attention: open flags no clinician has acknowledged yet
    first, then open flags already acknowledged (each most recent first), then the longest without a
    diary entry. The 7-day means end on each patient's own today. Four queries whatever the number
    of patients."""
    patients = User.objects.filter(
        care_accesses__clinician=clinician, care_accesses__status=CareAccess.Status.ACTIVE
    ).distinct()
    if search:
        patients = patients.filter(
            Q(username__icontains=search) | Q(first_name__icontains=search) | Q(last_name__icontains=search)
        )
    patients = list(patients.select_related("patient_profile").order_by("username"))
    today = {p.pk: local_today(p) for p in patients}
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
    since = min(today.values(), default=datetime.date.max) - datetime.timedelta(days=2 * ROLLING_DAYS - 1)
    recent_rows = DiaryEntry.objects.filter(patient_id__in=ids, date__gte=since).values(
        "patient_id", "date", *MEASURE_NAMES
    )
    by_patient: dict[int, list[dict]] = {}
    for row in recent_rows:
        by_patient.setdefault(row["patient_id"], []).append(row)
    rows = []
    for patient in patients:
        entries = by_patient.get(patient.pk, [])
        end, week_before = today[patient.pk], today[patient.pk] - datetime.timedelta(days=ROLLING_DAYS)
        recent, change = {}, {}
        for name in MEASURE_NAMES:
            series = {r["date"]: r[name] for r in entries if r[name] is not None}
            mean, before = rolling_mean(series, end), rolling_mean(series, week_before)
            recent[name] = one_decimal(mean) if mean is not None else None
            change[name] = (
                round(recent[name] - one_decimal(before), 1) if mean is not None and before is not None else None
            )
        logged = sum(1 for r in entries if week_before < r["date"] <= end)
        rows.append(TriageRow(patient, flags.get(patient.pk, []), last.get(patient.pk), recent, change, logged))
    unreviewed = sorted((r for r in rows if r.unreviewed), key=lambda r: r.latest_flag, reverse=True)
    reviewed = sorted((r for r in rows if r.open_flags and not r.unreviewed), key=lambda r: r.latest_flag, reverse=True)
    quiet = sorted((r for r in rows if not r.open_flags), key=lambda r: r.last_entry or datetime.date.min)
    return unreviewed + reviewed + quiet


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
