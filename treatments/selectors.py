"""Reads of a patient's treatment history, each in a fixed number of queries."""

import datetime
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse

from accounts.models import User
from lib.figures import percent_of
from symptoms.selectors import daily_measures

from .models import (
    DiagnosticTest,
    Medication,
    MedicationAdherence,
    MedicationDose,
    Neurostimulator,
    Procedure,
    Therapy,
)
from .response import (
    ResponseWindow,
    TreatmentResponse,
    block_window,
    course_window,
    titration_window,
    treatment_response,
    trial_window,
)
from .vocabulary import DeviceStage, ProcedureKind

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # installed with django-stubs, for the checker only

# Timeline kinds, in the order of the filter.
TIMELINE_KINDS = {
    "medication": "Medications",
    "therapy": "Therapies",
    "procedure": "Procedures",
    "neurostimulation": "Neurostimulation",
    "diagnostic": "Diagnostic tests",
}


def in_sentence(name: str) -> str:
    """A name made of our vocabulary, after a verb: 'Implanted spinal cord stimulator (trial)'.

    Capitalised words are lowered; an acronym (DRG, TENS) keeps its capitals."""
    return re.sub(r"\b([A-Z])(?=[a-z])", lambda m: m.group(1).lower(), name)


@dataclass
class TimelineEvent:
    date: datetime.date
    kind: str  # a key of TIMELINE_KINDS
    title: str
    detail: str
    url: str
    planned: bool = False
    # The diary days that tell how the patient was before and after it (None: nothing to compare).
    window: ResponseWindow | None = None
    response: TreatmentResponse | None = field(default=None)
    item: str = ""  # which record it belongs to, e.g. "medication-12" (one record has several events)
    helped_rating: int | None = None  # the record's own "how much it helped", 0-10
    relief: str = ""  # a procedure's recorded relief in words: "50 % relief for 4 days"


def medications(patient: User):
    return Medication.objects.filter(patient=patient).prefetch_related(
        Prefetch("doses", queryset=MedicationDose.objects.order_by("started_on"))
    )


def therapies(patient: User):
    return Therapy.objects.filter(patient=patient).prefetch_related("sessions")


def procedures(patient: User):
    return Procedure.objects.filter(patient=patient)


def devices(patient: User):
    return Neurostimulator.objects.filter(patient=patient).prefetch_related("programming_changes")


def diagnostic_tests(patient: User):
    return DiagnosticTest.objects.filter(patient=patient)


class Records:
    """A patient's treatment records, each kind read once, when a page first asks for it: the review and
    the report draw the chart, the timeline and what is current from one read (not three)."""

    def __init__(self, patient: User):
        self.patient = patient

    @cached_property
    def medications(self) -> list[Medication]:
        return list(medications(self.patient))  # with their doses, oldest first

    @cached_property
    def therapies(self) -> list[Therapy]:
        return list(therapies(self.patient))  # with their sessions

    @cached_property
    def procedures(self) -> list[Procedure]:
        return list(procedures(self.patient))

    @cached_property
    def devices(self) -> list[Neurostimulator]:
        return list(devices(self.patient))  # with their programming changes

    @cached_property
    def diagnostic_tests(self) -> list[DiagnosticTest]:
        return list(diagnostic_tests(self.patient))


@dataclass(frozen=True)
class CurrentTreatments:
    medications: list[Medication]
    therapies: list[Therapy]
    devices: list[Neurostimulator]
    planned_procedures: list[Procedure]

    @property
    def empty(self) -> bool:
        return not (self.medications or self.therapies or self.devices or self.planned_procedures)

    @property
    def names(self) -> list[str]:
        """What is being taken or done now, e.g. ["Baclofen 10 mg three times a day", "Physiotherapy"]."""
        medications = [f"{m.name} {m.current_dose}" if m.current_dose else m.name for m in self.medications]
        return medications + [t.name for t in self.therapies] + [d.name for d in self.devices]


def current_treatments(patient: User, *, today: datetime.date, records: Records | None = None) -> CurrentTreatments:
    """What is going on now. Seven queries, none when `records` (of the same patient) were read already."""
    records = records or Records(patient)
    return CurrentTreatments(
        medications=[m for m in records.medications if m.stopped_on is None or m.stopped_on > today],
        therapies=[t for t in records.therapies if t.ended_on is None or t.ended_on >= today],
        devices=[d for d in records.devices if d.removed_on is None or d.removed_on > today],
        planned_procedures=sorted(
            (p for p in records.procedures if p.performed_on > today), key=lambda p: p.performed_on
        ),
    )


class _Recorded(TypedDict):
    recorded: bool | None


def current_medications(patient: User, *, on: datetime.date) -> "list[WithAnnotations[Medication, _Recorded]]":
    """Medications taken on a given day (for adherence), with their doses and, as `recorded`, what
    the diary says of that day (True taken, False not taken, None not recorded). Two queries (one
    when there is none), however many medications."""
    recorded = MedicationAdherence.objects.filter(medication=OuterRef("pk"), date=on).values("taken")[:1]
    return list(
        medications(patient)
        .filter(started_on__lte=on)
        .filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=on))
        .annotate(recorded=Subquery(recorded))
        .order_by("name")
    )


# Windows: which diary days tell how the patient was before and after each kind of event (treatments.response).


def procedure_window(procedure: Procedure, *, today: datetime.date) -> ResponseWindow | None:
    if procedure.performed_on > today:
        return None  # planned
    if procedure.kind == ProcedureKind.BOTULINUM_TOXIN:
        return titration_window(
            procedure.performed_on,
            after="after the injection",
            note="Botulinum toxin takes days to start working and about 4 weeks to work fully, "
            "so it is read like a medication.",
        )
    noun = "the block" if procedure.kind == ProcedureKind.NERVE_BLOCK else "the injection"
    return block_window(procedure.performed_on, noun=noun)


def device_window(device: Neurostimulator) -> ResponseWindow:
    if device.stage == DeviceStage.TRIAL:
        return trial_window(device.implanted_on, device.removed_on)
    return titration_window(
        device.implanted_on,
        after="after the implant",
        stopped_on=device.removed_on,
        note="No trial is recorded on this record, so the implant is read like a medication: "
        "from day 15, once the wound has healed and the settings have settled.",
    )


def therapy_window(therapy: Therapy, *, today: datetime.date) -> ResponseWindow:
    return course_window(therapy.started_on, therapy.ended_on, today=today)


def _medication_events(records: Records, today: datetime.date) -> list[TimelineEvent]:
    events = []
    for med in records.medications:
        url, item = reverse("treatments:medication", args=[med.pk]), f"medication-{med.pk}"
        rating = med.helped_rating
        doses = list(med.doses.all())
        first = doses[0] if doses else None
        events.append(
            TimelineEvent(
                med.started_on,
                "medication",
                f"Started {med.name}",
                ", ".join(str(x) for x in (med.get_drug_class_display(), first) if x),
                url,
                window=titration_window(med.started_on, stopped_on=med.stopped_on),
                item=item,
                helped_rating=rating,
            )
        )
        events.extend(
            TimelineEvent(
                dose.started_on,
                "medication",
                f"{med.name} dose changed",
                f"to {dose}",
                url,
                window=titration_window(dose.started_on, after="after the dose change", stopped_on=med.stopped_on),
                item=item,
                helped_rating=rating,
            )
            for dose in doses[1:]
        )
        if med.stopped_on and med.stopped_on <= today:
            reason = f": {med.get_stop_reason_display().lower()}" if med.stop_reason else ""
            events.append(
                TimelineEvent(
                    med.stopped_on,
                    "medication",
                    f"Stopped {med.name}",
                    f"Stopped{reason}",
                    url,
                    item=item,
                    helped_rating=rating,
                )
            )
    return events


def _therapy_events(records: Records, today: datetime.date) -> list[TimelineEvent]:
    events = []
    for therapy in records.therapies:
        url, item = reverse("treatments:therapy", args=[therapy.pk]), f"therapy-{therapy.pk}"
        sessions = len(therapy.sessions.all())
        events.append(
            TimelineEvent(
                therapy.started_on,
                "therapy",
                f"Started {in_sentence(therapy.name)}",
                therapy.provider or "",
                url,
                window=therapy_window(therapy, today=today),
                item=item,
                helped_rating=therapy.helped_rating,
            )
        )
        if therapy.ended_on and therapy.ended_on <= today:
            done = f"{sessions} session{'s' if sessions != 1 else ''} recorded" if sessions else ""
            events.append(
                TimelineEvent(
                    therapy.ended_on,
                    "therapy",
                    f"Finished {in_sentence(therapy.name)}",
                    done,
                    url,
                    item=item,
                    helped_rating=therapy.helped_rating,
                )
            )
    return events


def _procedure_events(records: Records, today: datetime.date) -> list[TimelineEvent]:
    events = []
    for procedure in records.procedures:
        planned = procedure.performed_on > today
        events.append(
            TimelineEvent(
                procedure.performed_on,
                "procedure",
                f"{'Planned: ' if planned else ''}{procedure.name}",
                ", ".join(x for x in (procedure.agent, procedure.performed_by) if x),
                reverse("treatments:procedure", args=[procedure.pk]),
                planned=planned,
                window=procedure_window(procedure, today=today),
                item=f"procedure-{procedure.pk}",
                helped_rating=procedure.helped_rating,
                relief=procedure.relief,
            )
        )
    return events


def _device_events(records: Records, today: datetime.date) -> list[TimelineEvent]:
    events = []
    for device in records.devices:
        url, item = reverse("treatments:device", args=[device.pk]), f"device-{device.pk}"
        rating = device.helped_rating
        events.append(
            TimelineEvent(
                device.implanted_on,
                "neurostimulation",
                f"Implanted {in_sentence(device.name)}",
                "",
                url,
                window=device_window(device),
                item=item,
                helped_rating=rating,
            )
        )
        events.extend(
            TimelineEvent(
                change.date,
                "neurostimulation",
                f"{device.name} reprogrammed",
                change.note,
                url,
                item=item,
                helped_rating=rating,
            )
            for change in device.programming_changes.all()
        )
        if device.removed_on and device.removed_on <= today:
            events.append(
                TimelineEvent(
                    device.removed_on,
                    "neurostimulation",
                    f"Removed {in_sentence(device.name)}",
                    "",
                    url,
                    item=item,
                    helped_rating=rating,
                )
            )
    return events


def _diagnostic_events(records: Records, today: datetime.date) -> list[TimelineEvent]:
    # A test is no treatment: no window.
    return [
        TimelineEvent(
            test.performed_on,
            "diagnostic",
            test.name,
            test.result_summary,
            reverse("treatments:diagnostic", args=[test.pk]),
            item=f"diagnostic-{test.pk}",
        )
        for test in records.diagnostic_tests
    ]


EVENTS = {
    "medication": _medication_events,
    "therapy": _therapy_events,
    "procedure": _procedure_events,
    "neurostimulation": _device_events,
    "diagnostic": _diagnostic_events,
}


def timeline(
    patient: User, *, today: datetime.date, kind: str | None = None, records: Records | None = None
) -> list[TimelineEvent]:
    """Every dated event of the care history, newest first. At most eight queries (none for records
    already read)."""
    records = records or Records(patient)
    events = [event for key, events_of in EVENTS.items() if kind in (None, key) for event in events_of(records, today)]
    events.sort(key=lambda event: (event.date, event.title), reverse=True)
    return events


def with_responses(patient: User, events: list[TimelineEvent], *, today: datetime.date) -> list[TimelineEvent]:
    """Attach what the diary shows to each event with a window, reading the diary once (one query)."""
    return attach_responses(events, responses_diary(patient, events, today=today), today=today)


def responses_diary(patient: User, events: list[TimelineEvent], *, today: datetime.date) -> dict:
    """The diary days the events' windows read: one query ({} and none when no event has a window)."""
    windows = [event.window for event in events if event.window and event.date <= today]
    if not windows:
        return {}
    return daily_measures(patient, min(w.first for w in windows), max(w.last for w in windows))


def attach_responses(events: list[TimelineEvent], daily, *, today: datetime.date) -> list[TimelineEvent]:
    """Each event with a window gets what `daily` (responses_diary) shows over it. No query."""
    for event in events:
        if event.window and event.date <= today:
            event.response = treatment_response(daily, event.window, today=today)
    return events


def response_for(patient: User, window: ResponseWindow, *, today: datetime.date) -> TreatmentResponse:
    """What the diary shows over one window. One query."""
    return treatment_response(daily_measures(patient, window.first, window.last), window, today=today)


def item_window(item, *, today: datetime.date) -> ResponseWindow | None:
    """The window of a therapy, procedure or neurostimulator record; None for a diagnostic test or a
    planned procedure. (A medication has one per dose: `medication_responses`.)"""
    if isinstance(item, Therapy):
        return therapy_window(item, today=today)
    if isinstance(item, Procedure):
        return procedure_window(item, today=today)
    if isinstance(item, Neurostimulator):
        return device_window(item)
    return None


def medication_responses(
    patient: User, medication: Medication, *, today: datetime.date
) -> list[tuple[MedicationDose, TreatmentResponse]]:
    """What the diary shows after the start and after each dose change (doses prefetched). One query."""
    events = [event for event in _medication_windows(medication) if event[0].started_on <= today]
    if not events:
        return []
    first = min(window.first for _dose, window in events)
    last = max(window.last for _dose, window in events)
    daily = daily_measures(patient, first, last)
    return [(dose, treatment_response(daily, window, today=today)) for dose, window in events]


def _medication_windows(medication: Medication) -> list[tuple[MedicationDose, ResponseWindow]]:
    doses = sorted(medication.doses.all(), key=lambda dose: dose.started_on)
    return [
        (
            dose,
            titration_window(
                dose.started_on,
                after="after starting" if index == 0 else "after the dose change",
                stopped_on=medication.stopped_on,
            ),
        )
        for index, dose in enumerate(doses)
    ]


def treatment_changes(
    patient: User, *, since: datetime.date, today: datetime.date, records: Records | None = None
) -> list[TimelineEvent]:
    """What changed in treatment from `since` to `today`, oldest first, for the pre-appointment report:
    medication starts, dose changes and stops, therapy starts and ends, procedures, stimulator implants,
    reprogramming and removals (diagnostic tests are no treatment: `timeline(kind="diagnostic")`).

    Each event with a window carries what the diary shows (`response`, its window named in words). The
    record's own rating (`helped_rating`) is kept on its first event in the period only, so that a
    medication started and then changed shows it once; a procedure carries its recorded `relief`.
    Eight queries, whatever the length of the history: seven for the records, one for the diary."""
    records = records or Records(patient)
    events = [
        event
        for key, events_of in EVENTS.items()
        if key != "diagnostic"
        for event in events_of(records, today)
        if since <= event.date <= today
    ]
    events.sort(key=lambda event: (event.date, event.title))
    seen = set()
    for event in events:
        if event.item in seen:
            event.helped_rating = None
        seen.add(event.item)
    return with_responses(patient, events, today=today)


@dataclass(frozen=True)
class Adherence:
    """How often one medication was recorded as taken in a period."""

    medication: Medication
    days_on: int  # days of the period it was current
    logged: int  # days on which taken / not taken was recorded
    taken: int

    @property
    def percent(self) -> int | None:
        return percent_of(self.taken, self.logged) if self.logged else None

    @property
    def words(self) -> str:
        """ "taken on 12 of 14 logged days, 86 %" or "not logged"."""
        if not self.logged:
            return "not logged"
        return f"taken on {self.taken} of {self.logged} logged day{'s' if self.logged != 1 else ''}, {self.percent} %"


def adherence_by_medication(patient: User, *, start: datetime.date, end: datetime.date) -> list[Adherence]:
    """For each medication current at some point from `start` to `end`, by name: how many days it was
    current, on how many of them taken / not taken was recorded (on the diary page), and on how many it
    was taken. Two queries, whatever the length of the history."""
    current = list(
        Medication.objects.filter(patient=patient, started_on__lte=end)
        .filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=start))
        .order_by("name", "started_on")
    )
    counts = {
        row["medication_id"]: row
        # Taken / not taken is recorded only within a medication's own dates (services.adherence_record).
        for row in MedicationAdherence.objects.filter(medication__patient=patient, date__gte=start, date__lte=end)
        .values("medication_id")
        .annotate(logged=Count("id"), taken=Count("id", filter=Q(taken=True)))
    }
    result = []
    for med in current:
        first, last = max(start, med.started_on), min(end, med.stopped_on or end)
        row = counts.get(med.pk, {"logged": 0, "taken": 0})
        result.append(Adherence(med, (last - first).days + 1, row["logged"], row["taken"]))
    return result
