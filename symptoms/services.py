import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.selectors import local_today
from flags.scheduling import schedule_evaluation

from .diary_csv import EARLIEST_DATE
from .models import ENTRY_FIELDS, DiaryEntry


def _check_date(patient: User, date: datetime.date) -> None:
    if date > local_today(patient):
        raise ValidationError({"date": "That date is in the future: log it on the day."})
    if date < EARLIEST_DATE:
        raise ValidationError({"date": f"Dates before {EARLIEST_DATE.isoformat()} are not accepted."})


def diary_entry_save(*, patient: User, date: datetime.date, values: Mapping[str, object]) -> tuple[DiaryEntry, bool]:
    """Create or replace the patient's entry for `date`. Returns (entry, created).

    Saving a date that already has an entry edits it: the (patient, date) unique
    constraint holds even when two submits race, and the loser updates the winner's row.
    """
    _check_date(patient, date)
    values = {name: values[name] for name in (*ENTRY_FIELDS, "note_for_clinician") if name in values}
    candidate = DiaryEntry(patient=patient, date=date, **values)
    # Field validation in Python; the database's constraints back it under concurrency.
    # The patient is the signed-in one: checking that it exists would cost a query.
    candidate.full_clean(exclude=["patient"], validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        entry, created = DiaryEntry.objects.update_or_create(patient=patient, date=date, defaults=values)
        schedule_evaluation(patient.pk)
    return entry, created


def diary_entry_delete(*, entry: DiaryEntry) -> None:
    with transaction.atomic():
        entry.delete()
        schedule_evaluation(entry.patient_id)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int

    @property
    def total(self) -> int:
        return self.created + self.updated


def diary_import(
    *, patient: User, rows: Iterable[Mapping[str, object]], columns: Iterable[str] = ENTRY_FIELDS
) -> ImportResult:
    """Write parsed CSV rows for one patient, all or nothing.

    A row creates the entry for its date, or replaces that entry's values in `columns`
    (the columns the file has): what the file does not mention stays as it was.
    Export then import round-trips exactly.
    """
    update_fields = [name for name in ENTRY_FIELDS if name in set(columns)]
    entries = []
    for row in rows:
        _check_date(patient, row["date"])
        entry = DiaryEntry(patient=patient, date=row["date"], **{n: row[n] for n in ENTRY_FIELDS})
        entry.full_clean(exclude=["patient"], validate_unique=False, validate_constraints=False)  # no query a line
        entries.append(entry)
    dates = {entry.date for entry in entries}
    if not dates:
        return ImportResult(created=0, updated=0)
    # Rows in date order, and the patient's row locked first: two imports of one patient (overlapping
    # dates, in opposite orders) then run one after the other instead of deadlocking.
    entries.sort(key=lambda entry: entry.date)
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=patient.pk)
        in_range = DiaryEntry.objects.filter(patient=patient, date__gte=min(dates), date__lte=max(dates))
        existing = dates & set(in_range.values_list("date", flat=True))
        DiaryEntry.objects.bulk_create(
            entries,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["patient", "date"],
            update_fields=[*update_fields, "updated_at"],
        )
        schedule_evaluation(patient.pk)
    return ImportResult(created=len(entries) - len(existing), updated=len(existing))
