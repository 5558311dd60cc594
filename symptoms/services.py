import datetime
import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import User
from accounts.selectors import local_today
from accounts.validators import ChoiceListValidator
from lib.dates import EARLIEST_DATE

from .day_parts import DayPart
from .models import ENTRY_FIELDS, LIST_FIELDS, DiaryEntry
from .signals import diary_changed


def _check_date(patient: User, date: datetime.date, *, today: datetime.date | None = None) -> None:
    if date > (today or local_today(patient)):
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
        diary_changed.send(sender=DiaryEntry, patient_id=patient.pk)
    return entry, created


def diary_day_save(
    *, patient: User, date: datetime.date, values: Mapping[str, object], parts: Iterable[DayPart] = ()
) -> tuple[DiaryEntry, bool]:
    """The day page's save: the entry (diary_entry_save) and the parts the apps above add to the page
    (symptoms.day_parts: the medicines taken), in one transaction. Returns (entry, created)."""
    with transaction.atomic():
        entry, created = diary_entry_save(patient=patient, date=date, values=values)
        for part in parts:
            part.save()
    return entry, created


def diary_entry_delete(*, entry: DiaryEntry) -> None:
    with transaction.atomic():
        entry.delete()
        diary_changed.send(sender=DiaryEntry, patient_id=entry.patient_id)


def _field_rules() -> dict[str, object]:
    """Each entry field's rule as a plain check: (low, high) for a number, the allowed values (with
    the length) for a choice or a list, bool for yes/no, str for the notes."""
    rules: dict[str, Any] = {}  # bool, str, (low, high), ("list", allowed) or ("choice", allowed, max_length)
    for name in ENTRY_FIELDS:
        field = DiaryEntry._meta.get_field(name)
        assert isinstance(field, models.Field)  # the entry's own columns, never a reverse relation
        if isinstance(field, models.PositiveSmallIntegerField):
            low = max(v.limit_value for v in field.validators if isinstance(v, MinValueValidator))
            high = min(v.limit_value for v in field.validators if isinstance(v, MaxValueValidator))
            rules[name] = (low, high)
        elif isinstance(field, models.JSONField):
            (validator,) = [v for v in field.validators if isinstance(v, ChoiceListValidator)]
            rules[name] = ("list", frozenset(validator.allowed))
        elif isinstance(field, models.BooleanField):
            rules[name] = bool
        elif field.choices:
            rules[name] = ("choice", frozenset(value for value, _label in field.choices) | {""}, field.max_length)
        else:
            rules[name] = str
    return rules


FIELD_RULES: dict[str, Any] = _field_rules()


def _plainly_valid(values: Mapping[str, object]) -> bool:
    """True when every value is plainly one its field takes (full_clean would pass it unchanged), in
    plain Python: a 20,000-line import checks in milliseconds. False means "ask full_clean"."""
    for name, rule in FIELD_RULES.items():
        value = values[name]
        if rule is bool:
            if value is not None and type(value) is not bool:
                return False
        elif rule is str:
            if type(value) is not str:
                return False
        elif rule[0] == "list":
            if type(value) is not list or not rule[1].issuperset(value) or len(set(value)) != len(value):
                return False
        elif rule[0] == "choice":
            if type(value) is not str or value not in rule[1] or len(value) > rule[2]:
                return False
        elif value is not None and (type(value) is not int or not rule[0] <= value <= rule[1]):
            return False
    return True


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
    today = local_today(patient)
    checked: list[tuple[datetime.date, dict]] = []
    for row in rows:
        day = row["date"]
        assert isinstance(day, datetime.date)  # the parser's rows carry a date (symptoms.diary_csv)
        _check_date(patient, day, today=today)
        values = {name: row[name] for name in ENTRY_FIELDS}
        if not _plainly_valid(values):  # the model's own check: it words what is wrong (no query)
            entry = DiaryEntry(patient=patient, date=day, **values)
            entry.full_clean(exclude=["patient"], validate_unique=False, validate_constraints=False)
            values = {name: getattr(entry, name) for name in ENTRY_FIELDS}
        checked.append((day, values))
    dates = {date for date, _values in checked}
    if not dates:
        return ImportResult(created=0, updated=0)
    # Rows in date order, and the patient's row locked first: two imports of one patient (overlapping
    # dates, in opposite orders) then run one after the other instead of deadlocking.
    checked.sort(key=lambda item: item[0])
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=patient.pk)
        in_range = DiaryEntry.objects.filter(patient=patient, date__gte=min(dates), date__lte=max(dates))
        existing = dates & set(in_range.values_list("date", flat=True))
        if connection.vendor == "postgresql":
            _upsert_by_copy(patient.pk, checked, update_fields)
        else:
            DiaryEntry.objects.bulk_create(
                [DiaryEntry(patient=patient, date=date, **values) for date, values in checked],
                batch_size=500,
                update_conflicts=True,
                unique_fields=["patient", "date"],
                update_fields=[*update_fields, "updated_at"],
            )
        diary_changed.send(sender=DiaryEntry, patient_id=patient.pk)
    return ImportResult(created=len(checked) - len(existing), updated=len(existing))


@functools.lru_cache(maxsize=1024)
def _json_of(items: tuple[str, ...]) -> str:
    return json.dumps(list(items))


def _json_list(items: list[str]) -> str:
    """A list field's JSON; a diary holds few different lists, each written once."""
    return _json_of(tuple(items))


# The columns an import writes. An entry it creates is not for the clinician's report (the default);
# one it replaces keeps that choice, and its creation time.
_COPY_COLUMNS = ("patient_id", "date", *ENTRY_FIELDS, "note_for_clinician", "created_at", "updated_at")


def _upsert_by_copy(patient_id: int, checked: list[tuple[datetime.date, dict]], update_fields: list[str]) -> None:
    """On PostgreSQL: the rows COPYed into a temporary table, then one INSERT ... ON CONFLICT DO UPDATE.

    The statement bulk_create(update_conflicts=True) makes, without building a model and preparing
    24 parameters a line in Python: a 20,000-line diary is written in about 0.4 s instead of 2 s.
    Only the model's own table and column names go into the SQL; every value goes through COPY.
    """
    quote = connection.ops.quote_name
    table = quote(DiaryEntry._meta.db_table)
    columns = ", ".join(map(quote, _COPY_COLUMNS))
    changes = ", ".join(f"{name} = EXCLUDED.{name}" for name in map(quote, [*update_fields, "updated_at"]))
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE diary_import ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608 - names only
        )
        with cursor.cursor.copy(f"COPY diary_import ({columns}) FROM STDIN") as copy:
            for date, values in checked:
                cells = [_json_list(values[name]) if name in LIST_FIELDS else values[name] for name in ENTRY_FIELDS]
                copy.write_row((patient_id, date, *cells, False, now, now))
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM diary_import ORDER BY date"  # noqa: S608 - names only
            f" ON CONFLICT (patient_id, date) DO UPDATE SET {changes}"
        )
        cursor.execute("DROP TABLE diary_import")  # a second file in the same transaction makes its own


@dataclass(frozen=True)
class PhoneSaveResult:
    """What became of an entry saved on the patient's phone and sent later (diary_entry_save_from_phone).

    kind: "saved" (a new entry), "updated" (it replaced the day's entry), "same" (the day already held
    these values: sent before), or "kept_other" (the day was changed elsewhere after the phone's save,
    and that newer change stays). `other_at` is when the day's entry was last changed before this.
    """

    kind: str
    entry: DiaryEntry
    other_at: datetime.datetime | None = None
    replaced_newer_edit: bool = False


def diary_entry_save_from_phone(
    *,
    patient: User,
    date: datetime.date,
    values: Mapping[str, object],
    saved_at: datetime.datetime,
    seen_at: datetime.datetime | None,
    parts: Iterable[DayPart] = (),
) -> PhoneSaveResult:
    """Save an entry the patient saved on their phone at `saved_at`, possibly offline: the newer edit wins.

    The day's entry is locked while this decides, so that two sends of the same entry (two pages, or
    a page and the worker) make one write. `seen_at` is when the entry the phone's form showed was
    last changed (None when the form showed none): a later change was made elsewhere. The day page's
    parts (symptoms.day_parts: the medicines taken) are saved with the entry, in its transaction, and
    only when it is written: not when it was sent before, nor when a newer change is kept.
    """
    _check_date(patient, date)
    with transaction.atomic():
        existing = DiaryEntry.objects.select_for_update().filter(patient=patient, date=date).first()
        if existing is not None:
            current = {name: getattr(existing, name) for name in values}
            if current == dict(values):
                return PhoneSaveResult("same", existing, existing.updated_at)
            if existing.updated_at > saved_at:
                return PhoneSaveResult("kept_other", existing, existing.updated_at)
        entry, created = diary_entry_save(patient=patient, date=date, values=values)
        for part in parts:
            part.save()
    other_at = existing.updated_at if existing is not None else None
    replaced_newer = other_at is not None and (seen_at is None or other_at > seen_at)
    return PhoneSaveResult("saved" if created else "updated", entry, other_at, replaced_newer)
