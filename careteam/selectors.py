import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from accounts.models import PatientProfile, User
from accounts.selectors import local_today, patient_profile, patient_time_zone
from assessments.selectors import AssessmentRecord, assessment_record, patients_with_open_alerts
from dashboard.selectors import Dashboard, dashboard
from dashboard.summary import now_against_usual
from flags.models import Flag
from symptoms.models import DiaryEntry
from symptoms.vocabulary import MEASURE_NAMES, MEASURES, Measure
from symptoms.yardsticks import LOOKBACK_DAYS, NOW_DAYS, NOW_MIN, Comparison
from treatments import selectors as treatment_selectors
from treatments.selectors import Adherence, CurrentTreatments, TimelineEvent

from .models import AccessLog, Appointment, CareAccess, ShareCode, ShareCodeQuerySet


def can_see(clinician: User, patient_id: int) -> bool:
    return CareAccess.objects.filter(
        clinician=clinician, patient_id=patient_id, status=CareAccess.Status.ACTIVE
    ).exists()


def accesses_of_patient(patient: User) -> QuerySet[CareAccess]:
    return CareAccess.objects.filter(patient=patient).select_related("clinician").order_by("-created_at")


def share_codes_of(patient: User) -> ShareCodeQuerySet:
    """Every share code the patient has made (used, expired and cancelled ones too)."""
    return ShareCode.objects.filter(patient=patient)


def unused_share_codes(patient: User) -> ShareCodeQuerySet:
    """The codes a clinician could still use (not used, expired or cancelled), soonest to expire first."""
    return ShareCode.objects.filter(patient=patient).usable().order_by("expires_at")


def access_log_for(patient: User, limit: int = 200) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(patient=patient).select_related("actor")[:limit]


@dataclass
class TriageRow:
    patient: User
    open_flags: list[Flag]
    last_entry: datetime.date | None
    now: dict[str, Comparison]  # each measure's last 7 days against usual, as on the dashboard's cards
    recent_days: int = 0  # days logged in the last 7
    safety_alert: bool = False  # a PHQ-9 self-harm answer no clinician has acknowledged (assessments)
    window_days = NOW_DAYS

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
        return self.recent_days >= NOW_MIN

    @property
    def measure_rows(self) -> list[tuple[Measure, Comparison]]:
        return [(m, self.now[m.name]) for m in MEASURES]

    @property
    def worst(self) -> float:
        """The largest worsening against usual in points among measures that are worse (clinically
        important, or with a flag open); 0 when none is."""
        return max([0.0, *(c.worse_by for c in self.now.values() if c.verdict == "worse")])

    def priority(self) -> tuple:
        """A safety alert no clinician has acknowledged first of all; then open flags no clinician has
        acknowledged, the largest clinically important worsening, other open flags (newest first), and the
        longest without a diary entry."""
        latest = self.latest_flag
        return (
            not self.safety_alert,
            not self.unreviewed,
            -self.worst,
            not self.open_flags,
            -(latest.toordinal() if latest else 0),
            self.last_entry or datetime.date.min,
        )


def triage(clinician: User, *, search: str = "") -> list[TriageRow]:
    """The clinician's patients by need of attention (TriageRow.priority), each measure's last 7 days
    against usual ending on each patient's own today. Five queries whatever the number of patients."""
    shared = User.objects.filter(
        care_accesses__clinician=clinician, care_accesses__status=CareAccess.Status.ACTIVE
    ).distinct()
    if search:
        shared = shared.filter(
            Q(username__icontains=search) | Q(first_name__icontains=search) | Q(last_name__icontains=search)
        )
    patients = list(shared.select_related("patient_profile").order_by("username"))
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
    since = min(today.values(), default=datetime.date.max) - datetime.timedelta(days=LOOKBACK_DAYS - 1)
    recent_rows = DiaryEntry.objects.filter(patient_id__in=ids, date__gte=since).values(
        "patient_id", "date", *MEASURE_NAMES
    )
    by_patient: dict[int, dict[datetime.date, dict]] = {}
    for row in recent_rows:
        by_patient.setdefault(row.pop("patient_id"), {})[row.pop("date")] = row
    alerts = patients_with_open_alerts(ids)
    rows = []
    for patient in patients:
        daily = by_patient.get(patient.pk, {})
        end = today[patient.pk]
        now = now_against_usual(daily, end, flags.get(patient.pk, []))
        logged = sum(1 for day in daily if end - datetime.timedelta(days=NOW_DAYS) < day <= end)
        row = TriageRow(patient, flags.get(patient.pk, []), last.get(patient.pk), now, logged, patient.pk in alerts)
        rows.append(row)
    return sorted(rows, key=TriageRow.priority)


@dataclass(frozen=True)
class TreatmentHistory:
    """The review's treatment timeline. What the diary shows after each event is worked out when the page
    first asks for `events`: a page whose body is kept (lib.pages) never does."""

    timeline: list[TimelineEvent]
    diary: Mapping  # the days the events' windows read (treatments.selectors.responses_diary)
    today: datetime.date

    @cached_property
    def events(self) -> list[TimelineEvent]:
        return treatment_selectors.attach_responses(self.timeline, self.diary, today=self.today)


def treatment_history(
    patient: User, *, today: datetime.date, records: treatment_selectors.Records | None = None
) -> TreatmentHistory:
    """Every dated event of the care history, newest first, for the review. At most nine queries (two when
    the page has read the treatment `records` already)."""
    events = treatment_selectors.timeline(patient, today=today, records=records)
    diary = treatment_selectors.responses_diary(patient, events, today=today)
    return TreatmentHistory(events, diary, today)


def last_appointment(patient: User, *, today: datetime.date) -> datetime.date | None:
    """The most recent appointment before today: "since the last appointment" starts there."""
    return (
        Appointment.objects.filter(patient=patient, date__lt=today)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )


def since_last_appointment(params, last: datetime.date | None):
    """The range asked for, or by default everything since the last appointment (if there was one)."""
    if params.get("range") or params.get("start") or params.get("end") or last is None:
        return params
    return {"start": last.isoformat()}


def appointments_of(patient: User) -> QuerySet[Appointment]:
    return Appointment.objects.filter(patient=patient).select_related("clinician").order_by("-date")[:20]


def appointments_deletable_by(user: User, patient: User) -> QuerySet[Appointment]:
    """The appointments of `patient` that `user` may delete: those they recorded themselves. The
    caller has checked that `user` is the patient or a clinician the patient lets in."""
    if user.pk == patient.pk:
        return Appointment.objects.filter(patient=patient, clinician__isnull=True)
    return Appointment.objects.filter(patient=patient, clinician=user)


def care_team(patient: User) -> list[User]:
    """The clinicians the patient lets in now. One query."""
    return [
        access.clinician
        for access in CareAccess.objects.filter(patient=patient, status=CareAccess.Status.ACTIVE)
        .select_related("clinician")
        .order_by("granted_at", "pk")
    ]


@dataclass(frozen=True)
class NoteForClinic:
    date: datetime.date
    text: str
    source: str  # "diary" (a note put in the report), "flag" (the patient's note on a flag)
    about: str = ""  # what a flag note is about, e.g. "Pain: sustained rise since 11 Nov"


REPORT_NOTES = 12


def notes_for_clinic(
    patient: User, flags: list[Flag], *, start: datetime.date, end: datetime.date
) -> list[NoteForClinic]:
    """The patient's own words for the report: the diary notes of the period they chose to put in it
    ("Put this note in my clinician's appointment report"; the 12 newest), and their notes on the
    flags shown. One query."""
    marked = (
        DiaryEntry.objects.filter(patient=patient, date__gte=start, date__lte=end, note_for_clinician=True)
        .exclude(notes="")
        .order_by("-date")
        .values_list("date", "notes")[:REPORT_NOTES]
    )
    notes = [NoteForClinic(day, text, "diary") for day, text in marked]
    notes += [
        NoteForClinic(
            timezone.localtime(flag.patient_acknowledged_at, patient_time_zone(patient)).date(),
            flag.patient_note,
            "flag",
            about=f"{flag.title} since {flag.date:%-d %b}",
        )
        for flag in flags
        if flag.patient_note and flag.patient_acknowledged_at
    ]
    return notes


@dataclass(frozen=True)
class Report:
    """Everything the pre-appointment report shows, read in a fixed number of queries."""

    dash: Dashboard
    profile: PatientProfile
    age: int | None
    last_appointment: datetime.date | None
    next_appointment: datetime.date | None
    care_team: list[User]
    changes: list[TimelineEvent]  # what changed in treatment in the period, each with its response
    current: CurrentTreatments
    adherence: list[Adherence]
    notes: list[NoteForClinic]
    flags: list[Flag]  # open ones, and those resolved in the period
    assessments: AssessmentRecord  # the CRPS Severity Score, the Budapest record, the questionnaires

    @property
    def diary_notes(self) -> list[NoteForClinic]:
        return [n for n in self.notes if n.source == "diary"]

    @property
    def flag_notes(self) -> list[NoteForClinic]:
        return [n for n in self.notes if n.source == "flag"]


def pre_appointment_report(patient: User, params, *, today: datetime.date, measure_height: int) -> Report:
    """The report for the range in `params`, by default everything since the last appointment."""
    last = last_appointment(patient, today=today)
    records = treatment_selectors.Records(patient)  # one read for the chart, the changes and what is current
    dash = dashboard(
        patient, since_last_appointment(params, last), today=today, measure_height=measure_height, records=records
    )
    start = dash.range.start
    flags = [f for f in dash.flags if f.is_open or (f.resolved_on and f.resolved_on >= start)]
    upcoming = (
        Appointment.objects.filter(patient=patient, date__gte=today)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    profile = patient_profile(patient)
    return Report(
        dash=dash,
        profile=profile,
        age=profile.age(today),
        last_appointment=last,
        next_appointment=upcoming,
        care_team=care_team(patient),
        changes=treatment_selectors.treatment_changes(patient, since=start, today=today, records=records),
        current=treatment_selectors.current_treatments(patient, today=today, records=records),
        adherence=treatment_selectors.adherence_by_medication(patient, start=start, end=today),
        notes=notes_for_clinic(patient, flags, start=start, end=today),
        flags=flags,
        assessments=assessment_record(patient),
    )
