"""Reads of a patient's treatment history, each in a fixed number of queries."""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.urls import reverse

from accounts.models import User
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
from .response import TreatmentResponse, response_window, treatment_response

# Timeline kinds, in the order of the filter.
KINDS = {
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
    kind: str  # a key of KINDS
    title: str
    detail: str
    url: str
    planned: bool = False
    # A start (medication, dose change, therapy, procedure, implant) has a before/after summary.
    is_start: bool = False
    response: TreatmentResponse | None = field(default=None)


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


def current_treatments(patient: User, *, today: datetime.date) -> CurrentTreatments:
    """What is going on now. Six queries."""
    return CurrentTreatments(
        medications=list(medications(patient).filter(Q(stopped_on__isnull=True) | Q(stopped_on__gt=today))),
        therapies=list(
            Therapy.objects.filter(patient=patient).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        ),
        devices=list(devices(patient).filter(Q(removed_on__isnull=True) | Q(removed_on__gt=today))),
        planned_procedures=list(procedures(patient).filter(performed_on__gt=today).order_by("performed_on")),
    )


def current_medications(patient: User, *, on: datetime.date) -> list[Medication]:
    """Medications taken on a given day (for adherence), with their doses. Two queries."""
    return list(
        medications(patient)
        .filter(started_on__lte=on)
        .filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=on))
        .order_by("name")
    )


def adherence_on(medication_ids: list[int], day: datetime.date) -> dict[int, bool]:
    rows = MedicationAdherence.objects.filter(medication_id__in=medication_ids, date=day)
    return {row.medication_id: row.taken for row in rows}


def timeline(patient: User, *, today: datetime.date, kind: str | None = None) -> list[TimelineEvent]:
    """Every dated event of the care history, newest first. At most eight queries."""
    events: list[TimelineEvent] = []
    if kind in (None, "medication"):
        for med in medications(patient):
            url = reverse("treatments:medication", args=[med.pk])
            doses = list(med.doses.all())
            first = doses[0] if doses else None
            events.append(
                TimelineEvent(
                    med.started_on,
                    "medication",
                    f"Started {med.name}",
                    ", ".join(str(x) for x in (med.get_drug_class_display(), first) if x),
                    url,
                    is_start=True,
                )
            )
            events.extend(
                TimelineEvent(
                    dose.started_on, "medication", f"{med.name} dose changed", f"to {dose}", url, is_start=True
                )
                for dose in doses[1:]
            )
            if med.stopped_on and med.stopped_on <= today:
                reason = f": {med.get_stop_reason_display().lower()}" if med.stop_reason else ""
                events.append(
                    TimelineEvent(med.stopped_on, "medication", f"Stopped {med.name}", f"Stopped{reason}", url)
                )
    if kind in (None, "therapy"):
        for therapy in therapies(patient):
            url = reverse("treatments:therapy", args=[therapy.pk])
            sessions = len(therapy.sessions.all())
            detail = therapy.provider or ""
            events.append(
                TimelineEvent(
                    therapy.started_on, "therapy", f"Started {in_sentence(therapy.name)}", detail, url, is_start=True
                )
            )
            if therapy.ended_on and therapy.ended_on <= today:
                done = f"{sessions} session{'s' if sessions != 1 else ''} recorded" if sessions else ""
                events.append(
                    TimelineEvent(therapy.ended_on, "therapy", f"Finished {in_sentence(therapy.name)}", done, url)
                )
    if kind in (None, "procedure"):
        for procedure in procedures(patient):
            url = reverse("treatments:procedure", args=[procedure.pk])
            detail = ", ".join(x for x in (procedure.agent, procedure.performed_by) if x)
            planned = procedure.performed_on > today
            events.append(
                TimelineEvent(
                    procedure.performed_on,
                    "procedure",
                    f"{'Planned: ' if planned else ''}{procedure.name}",
                    detail,
                    url,
                    planned=planned,
                    is_start=not planned,
                )
            )
    if kind in (None, "neurostimulation"):
        for device in devices(patient):
            url = reverse("treatments:device", args=[device.pk])
            events.append(
                TimelineEvent(
                    device.implanted_on,
                    "neurostimulation",
                    f"Implanted {in_sentence(device.name)}",
                    "",
                    url,
                    is_start=True,
                )
            )
            events.extend(
                TimelineEvent(change.date, "neurostimulation", f"{device.name} reprogrammed", change.note, url)
                for change in device.programming_changes.all()
            )
            if device.removed_on and device.removed_on <= today:
                events.append(
                    TimelineEvent(device.removed_on, "neurostimulation", f"Removed {in_sentence(device.name)}", "", url)
                )
    if kind in (None, "diagnostic"):
        for test in diagnostic_tests(patient):
            url = reverse("treatments:diagnostic", args=[test.pk])
            events.append(TimelineEvent(test.performed_on, "diagnostic", test.name, test.result_summary, url))
    events.sort(key=lambda event: (event.date, event.title), reverse=True)
    return events


def with_responses(patient: User, events: list[TimelineEvent], *, today: datetime.date) -> list[TimelineEvent]:
    """Attach the before/after summary to each start event, reading the diary once."""
    starts = [event.date for event in events if event.is_start and event.date <= today]
    if starts:
        first, _ = response_window(min(starts))
        _, last = response_window(max(starts))
        daily = daily_measures(patient, first, last)
        for event in events:
            if event.is_start and event.date <= today:
                event.response = treatment_response(daily, event.date)
    return events


def response_for(patient: User, start: datetime.date) -> TreatmentResponse:
    first, last = response_window(start)
    return treatment_response(daily_measures(patient, first, last), start)
