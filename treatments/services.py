"""Writes to a patient's treatment history.

Creating the same thing twice (a double submit) returns the first one: each kind has a
natural key backed by a unique constraint. Nothing is dated in the patient's future except
a planned procedure.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max, Min, Q

from accounts.models import User
from accounts.selectors import local_today
from lib.dates import EARLIEST_DATE

from .medicines import class_for, medicine_key, plain_name
from .models import (
    DiagnosticTest,
    Medication,
    MedicationAdherence,
    MedicationDose,
    Neurostimulator,
    PatientItem,
    Procedure,
    ProgrammingChange,
    Therapy,
    TherapySession,
)

# What item_save saves: a patient's record, or a record within one (a therapy's session, a device's
# programming change). A medicine's taken or not-taken answers are a Child too (adherence_record).
Record = PatientItem | TherapySession | ProgrammingChange
Child = TherapySession | ProgrammingChange | MedicationAdherence

# The fields that identify a record: a second create with the same values is the same record.
NATURAL_KEYS: dict[type[models.Model], tuple[str, ...]] = {
    Medication: ("patient", "name", "started_on"),
    Therapy: ("patient", "category", "started_on"),
    TherapySession: ("therapy", "date"),
    Procedure: ("patient", "kind", "block_type", "side", "performed_on"),
    Neurostimulator: ("patient", "device_type", "stage", "implanted_on"),
    ProgrammingChange: ("device", "date", "note"),
    DiagnosticTest: ("patient", "kind", "performed_on"),
}
# Date fields that may not lie in the patient's future (a planned procedure may).
PAST_DATES: dict[type[models.Model], tuple[str, ...]] = {
    Medication: ("started_on", "stopped_on"),
    Therapy: ("started_on", "ended_on"),
    TherapySession: ("date",),
    Procedure: (),
    Neurostimulator: ("implanted_on", "removed_on"),
    ProgrammingChange: ("date",),
    DiagnosticTest: ("performed_on",),
}


# How far ahead a planned procedure may be dated: further than this is a typing slip, not a plan.
PLANNED_YEARS_AHEAD = 5


def latest_planned_date(today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year + PLANNED_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + PLANNED_YEARS_AHEAD, day=28)


def check_not_future(patient: User, **dates: datetime.date | None) -> None:
    today = local_today(patient)
    errors = {name: "This date is in the future." for name, value in dates.items() if value and value > today}
    errors.update(
        {
            name: f"Dates before {EARLIEST_DATE:%Y} are not accepted."
            for name, v in dates.items()
            if v and v < EARLIEST_DATE
        }
    )
    if errors:
        raise ValidationError(errors)


def _patient_of(item: Record) -> User:
    if isinstance(item, TherapySession):
        return item.therapy.patient
    if isinstance(item, ProgrammingChange):
        return item.device.patient
    return item.patient


def item_save[R: Record](item: R) -> tuple[R, bool]:
    """Validate and save a new or edited record. Returns (record, created).

    A new record whose natural key already exists returns the existing one.
    """
    model = type(item)
    check_not_future(_patient_of(item), **{name: getattr(item, name) for name in PAST_DATES[model]})
    if isinstance(item, Procedure) and item.performed_on < EARLIEST_DATE:
        raise ValidationError({"performed_on": f"Dates before {EARLIEST_DATE:%Y} are not accepted."})
    if isinstance(item, Procedure):
        latest = latest_planned_date(local_today(item.patient))
        if item.performed_on > latest:
            ahead = f"A planned procedure can be at most {PLANNED_YEARS_AHEAD} years ahead"
            raise ValidationError({"performed_on": f"{ahead}: pick a date up to {latest:%-d %b %Y}."})
    _check_within_parent(item)
    _check_children_within(item)
    item.full_clean(validate_unique=False, validate_constraints=False)
    creating = item.pk is None
    try:
        with transaction.atomic():
            item.save()
            _drop_lapses_outside(item)
    except IntegrityError as error:
        key = {name: getattr(item, name) for name in NATURAL_KEYS[model]}
        existing = model._default_manager.filter(**key).first()
        if creating and isinstance(existing, model):  # found (and so typed as the item's model)
            return existing, False
        raise ValidationError(
            "This could not be saved: it is already recorded for that date, or its details contradict each other."
        ) from error
    return item, creating


@dataclass(frozen=True)
class Span:
    """A record that other records fall within. The one rule: every child lies within its parent's dates."""

    start: str  # its start and end date fields
    end: str
    name: str  # what to call its time ("{parent}" is the record itself)
    children: str  # the related name of its dated children
    recorded: str  # how a child's date is named in an error, e.g. "A session is recorded on"
    # Children that only say something did not happen that day (a medicine not taken): any dates
    # agree with them, so moving the dates past one drops it instead of being refused.
    lapses: Q | None = None


SPANS: dict[type[models.Model], Span] = {
    Therapy: Span("started_on", "ended_on", "the course", "sessions", "A session is recorded on"),
    Neurostimulator: Span(
        "implanted_on", "removed_on", "the device's time", "programming_changes", "A programming change is recorded on"
    ),
    Medication: Span(
        "started_on",
        "stopped_on",
        "the time you took {parent}",
        "adherence",
        "Your diary says you took it on",
        lapses=Q(taken=False),
    ),
}
PARENTS: dict[type[Child], str] = {
    TherapySession: "therapy",
    ProgrammingChange: "device",
    MedicationAdherence: "medication",
}


def _check_within_parent(item: Record | MedicationAdherence) -> None:
    """A session falls within its therapy course, a programming change within the device's time,
    a day's taken or not-taken answer within the time the medicine was taken."""
    if not isinstance(item, Child):
        return
    parent = getattr(item, PARENTS[type(item)])
    span = SPANS[type(parent)]
    start, end = getattr(parent, span.start), getattr(parent, span.end)
    if item.date < start or (end and item.date > end):
        until = f" to {end:%-d %b %Y}" if end else " on"
        name = span.name.format(parent=parent)
        raise ValidationError({"date": f"Pick a date within {name}: {start:%-d %b %Y}{until}."})


def _check_children_within(item: models.Model) -> None:
    """An edited course, device or medication still holds every child recorded in it (but lapses)."""
    span = SPANS.get(type(item))
    if span is None or item.pk is None:
        return
    start, end = getattr(item, span.start), getattr(item, span.end)
    children = getattr(item, span.children).all()
    if span.lapses is not None:
        children = children.exclude(span.lapses)
    dates = children.aggregate(first=Min("date"), last=Max("date"))
    errors = {}
    if dates["first"] and start and dates["first"] < start:
        errors[span.start] = f"{span.recorded} {dates['first']:%-d %b %Y}; pick that day or earlier."
    if dates["last"] and end and dates["last"] > end:
        errors[span.end] = f"{span.recorded} {dates['last']:%-d %b %Y}; pick that day or later."
    if errors:
        raise ValidationError(errors)


def _drop_lapses_outside(item: models.Model) -> None:
    """After an edit, the lapses its new dates left outside it go: the dates now say the same."""
    span = SPANS.get(type(item))
    if span is None or span.lapses is None:
        return
    start, end = getattr(item, span.start), getattr(item, span.end)
    outside = Q(date__lt=start) | Q(date__gt=end) if end else Q(date__lt=start)
    getattr(item, span.children).filter(span.lapses).filter(outside).delete()


def item_delete(item: models.Model) -> None:
    item.delete()


class DuplicateMedication(ValidationError):
    """A medication that is already recorded for that time, under this or another name
    (gabapentin and Neurontin are one medicine). `medication` is the one already recorded."""

    def __init__(self, message: str, medication: Medication):
        super().__init__(message)
        self.medication = medication


def _check_not_duplicate(
    patient_id: int, name: str, started_on: datetime.date, stopped_on: datetime.date | None, exclude: int | None
) -> None:
    """Two courses of one medicine never overlap: a dose change or a restart is how it goes on.

    A medicine stopped before `started_on` may start again (a new course). The same name on the
    same start date is left alone: that is the same record again (a double submit).
    """
    key = medicine_key(name)
    others = Medication.objects.filter(patient_id=patient_id).order_by("-started_on")
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others:
        if medicine_key(other.name) != key:
            continue
        if exclude is None and other.name == name and other.started_on == started_on:
            continue
        ends_before = other.stopped_on is not None and other.stopped_on < started_on
        starts_after = stopped_on is not None and stopped_on < other.started_on
        if ends_before or starts_after:
            continue
        same = _same_medicine_words(other.name, name, key)
        if other.stopped_on is None:
            raise DuplicateMedication(
                f"You already take {other.name}, since {other.started_on:%-d %b %Y}{same}. "
                "To take more or less of it, change its dose instead.",
                other,
            )
        raise DuplicateMedication(
            f"You took {other.name} from {other.started_on:%-d %b %Y} to {other.stopped_on:%-d %b %Y}{same}. "
            f"Taking it again starts after {other.stopped_on:%-d %b %Y}; or correct the dates of that record.",
            other,
        )


def _same_medicine_words(recorded: str, typed: str, generic: str) -> str:
    """ " (Lyrica is pregabalin)": why two different names are one medicine ("" when it is plain)."""
    if plain_name(recorded) == plain_name(typed):
        return ""
    brands = [n for n in (recorded, typed) if plain_name(n) != generic]
    if len(brands) == 2:
        return f" ({brands[0]} and {brands[1]} are both {generic})"
    return f" ({brands[0]} is {generic})" if brands else ""


@transaction.atomic
def medication_start(
    *,
    patient: User,
    name: str,
    drug_class: str,
    started_on: datetime.date,
    amount,
    unit: str,
    frequency: str,
    side_effects: str = "",
    helped_rating: int | None = None,
    notes: str = "",
) -> tuple[Medication, bool]:
    """Record a newly started medication with its first dose.

    A medicine the patient already takes (or took over that time) under this or another name is
    refused with DuplicateMedication. A class left empty ("Not sure") comes from the app's list
    when the list knows the medicine.
    """
    name = name.strip()
    # One start at a time per patient: two submits at once cannot both pass the duplicate check.
    User.objects.select_for_update().filter(pk=patient.pk).first()
    _check_not_duplicate(patient.pk, name, started_on, None, exclude=None)
    medication, created = item_save(
        Medication(
            patient=patient,
            name=name,
            drug_class=drug_class or class_for(name),
            started_on=started_on,
            side_effects=side_effects,
            helped_rating=helped_rating,
            notes=notes,
        )
    )
    if created:
        dose = MedicationDose(
            medication=medication, amount=amount, unit=unit, frequency=frequency, started_on=started_on
        )
        dose.full_clean()
        dose.save()
    return medication, created


@transaction.atomic
def medication_change_dose(
    *, medication: Medication, changed_on: datetime.date, amount, unit: str, frequency: str
) -> MedicationDose:
    """A new dose period from `changed_on`; the previous period ends the day before.

    Changing the dose again on the same day corrects that day's change (back to the previous
    dose, it undoes it). The dose already taken is no change and is refused.
    """
    check_not_future(medication.patient, changed_on=changed_on)
    doses = list(medication.doses.select_for_update().order_by("started_on"))
    current = doses[-1] if doses else None
    if medication.stopped_on and changed_on > medication.stopped_on:
        raise ValidationError({"changed_on": f"{medication.name} was stopped on {medication.stopped_on:%-d %b %Y}."})
    if changed_on < medication.started_on or (current and changed_on < current.started_on):
        since = current.started_on if current else medication.started_on
        raise ValidationError({"changed_on": f"The current dose began on {since:%-d %b %Y}; pick a later date."})
    if current and _same_dose(current, amount, unit, frequency):
        raise ValidationError("That is the dose you already take: change the amount, the unit or how often.")
    if current and current.started_on == changed_on:
        previous = doses[-2] if len(doses) > 1 else None
        if previous and _same_dose(previous, amount, unit, frequency):
            current.delete()
            previous.stopped_on = medication.stopped_on
            previous.save(update_fields=["stopped_on"])
            return previous
        current.amount, current.unit, current.frequency = amount, unit, frequency
        current.full_clean()
        current.save(update_fields=["amount", "unit", "frequency"])
        return current
    if current:
        current.stopped_on = changed_on - datetime.timedelta(days=1)
        current.save(update_fields=["stopped_on"])
    dose = MedicationDose(
        medication=medication,
        amount=amount,
        unit=unit,
        frequency=frequency,
        started_on=changed_on,
        stopped_on=medication.stopped_on,
    )
    dose.full_clean()
    dose.save()
    return dose


def _same_dose(dose: MedicationDose, amount, unit: str, frequency: str) -> bool:
    return (dose.amount, dose.unit, dose.frequency) == (amount, unit, frequency)


@transaction.atomic
def medication_stop(
    *, medication: Medication, stopped_on: datetime.date, stop_reason: str, side_effects: str | None = None
) -> Medication:
    check_not_future(medication.patient, stopped_on=stopped_on)
    last = medication.doses.order_by("-started_on").first()
    earliest = last.started_on if last else medication.started_on
    if stopped_on < earliest:
        raise ValidationError({"stopped_on": f"The last dose began on {earliest:%-d %b %Y}; pick that day or later."})
    medication.stopped_on = stopped_on
    medication.stop_reason = stop_reason
    if side_effects is not None:
        medication.side_effects = side_effects
    item_save(medication)
    if last:
        last.stopped_on = stopped_on
        last.save(update_fields=["stopped_on"])
    return medication


@transaction.atomic
def medication_update(*, medication: Medication, **fields) -> Medication:
    """Correct a medication's details; its first and last dose periods follow its dates.

    A class left empty comes from the app's list; a new name or new dates may not make it a
    second course of a medicine taken over the same time (DuplicateMedication).
    """
    for name, value in fields.items():
        setattr(medication, name, value)
    medication.name = medication.name.strip()
    medication.drug_class = medication.drug_class or class_for(medication.name)
    User.objects.select_for_update().filter(pk=medication.patient_id).first()
    _check_not_duplicate(
        medication.patient_id, medication.name, medication.started_on, medication.stopped_on, exclude=medication.pk
    )
    doses = list(medication.doses.order_by("started_on"))
    if len(doses) > 1 and medication.started_on >= doses[1].started_on:
        raise ValidationError(
            {"started_on": f"The dose changed on {doses[1].started_on:%-d %b %Y}; start before that."}
        )
    if doses and medication.stopped_on and medication.stopped_on < doses[-1].started_on:
        raise ValidationError({"stopped_on": f"The last dose began on {doses[-1].started_on:%-d %b %Y}."})
    if not medication.stopped_on:
        medication.stop_reason = ""
    item_save(medication)
    if doses:
        doses[0].started_on = medication.started_on
        doses[-1].stopped_on = medication.stopped_on
        for dose in {doses[0], doses[-1]}:
            dose.save(update_fields=["started_on", "stopped_on"])
    return medication


@transaction.atomic
def adherence_record(*, patient: User, day: datetime.date, taken: Mapping[int, bool | None]) -> None:
    """Record which of the patient's medications were taken on `day` (None = not recorded).

    Three queries however many medications: the patient's medications among them, one delete of the
    day's answers taken back (None), one upsert of the others (none when nothing is answered).
    """
    check_not_future(patient, day=day)
    own = Medication.objects.filter(patient=patient, pk__in=list(taken)).in_bulk()
    answers = []
    for medication_id, value in taken.items():
        if medication_id not in own:
            raise ValidationError("Unknown medication.")
        if value is not None:
            answer = MedicationAdherence(medication=own[medication_id], date=day, taken=value)
            _check_within_parent(answer)
            answers.append(answer)
    if not taken:
        return
    answered = [answer.medication_id for answer in answers]
    MedicationAdherence.objects.filter(medication_id__in=list(taken), date=day).exclude(
        medication_id__in=answered
    ).delete()
    MedicationAdherence.objects.bulk_create(
        answers, update_conflicts=True, unique_fields=["medication", "date"], update_fields=["taken"]
    )
