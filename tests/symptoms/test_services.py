import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from symptoms.models import ENTRY_FIELDS, DiaryEntry
from symptoms.services import diary_entry_save, diary_import
from tests.conftest import TODAY, needs, run_at_once, uses_postgresql
from tests.factories import DiaryEntryFactory, PatientFactory

pytestmark = pytest.mark.usefixtures("frozen_now")


def values(**given):
    blank = dict.fromkeys(ENTRY_FIELDS)
    blank.update(notes="", skin_colour="", limb_temperature="", sweating="")
    blank.update(pain_qualities=[], triggers=[], body_sites=[])
    blank.update(given)
    return blank


@pytest.mark.django_db
def test_save_creates_then_edits(patient):
    entry, created = diary_entry_save(patient=patient, date=TODAY, values=values(pain=4))
    assert created
    again, created_again = diary_entry_save(patient=patient, date=TODAY, values=values(pain=6))
    assert not created_again
    assert again.pk == entry.pk
    assert DiaryEntry.objects.get().pain == 6


@pytest.mark.django_db
def test_save_refuses_the_patients_future(patient):
    with pytest.raises(ValidationError, match="future"):
        diary_entry_save(patient=patient, date=TODAY + datetime.timedelta(days=1), values=values(pain=4))


@pytest.mark.django_db
def test_save_validates_values(patient):
    with pytest.raises(ValidationError):
        diary_entry_save(patient=patient, date=TODAY, values=values(pain=12))
    with pytest.raises(ValidationError):
        diary_entry_save(patient=patient, date=TODAY, values=values(triggers=["moon"]))
    assert not DiaryEntry.objects.exists()


@pytest.mark.django_db
def test_the_database_allows_one_entry_per_day(patient):
    DiaryEntryFactory(patient=patient, date=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        DiaryEntryFactory(patient=patient, date=TODAY)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["pain", "mood", "sleep_quality"])
def test_the_database_keeps_scores_within_0_to_10(patient, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        DiaryEntryFactory(patient=patient, date=TODAY, **{field: 11})


@pytest.mark.django_db
def test_import_is_all_or_nothing(patient):
    rows = [
        {"date": TODAY - datetime.timedelta(days=2), **values(pain=3)},
        {"date": TODAY + datetime.timedelta(days=5), **values(pain=3)},  # future: refused
    ]
    with pytest.raises(ValidationError):
        diary_import(patient=patient, rows=rows)
    assert not DiaryEntry.objects.exists()


@pytest.mark.django_db
def test_import_counts_new_and_replaced(patient):
    DiaryEntryFactory(patient=patient, date=TODAY - datetime.timedelta(days=1), pain=9)
    rows = [{"date": TODAY - datetime.timedelta(days=d), **values(pain=d)} for d in (1, 2, 3)]
    result = diary_import(patient=patient, rows=rows)
    assert (result.created, result.updated) == (2, 1)
    assert DiaryEntry.objects.get(date=TODAY - datetime.timedelta(days=1)).pain == 1


@pytest.mark.django_db
def test_import_takes_as_many_queries_for_1000_lines_as_for_10(patient, django_assert_max_num_queries):
    def lines(count):
        return [{"date": TODAY - datetime.timedelta(days=d + 1), **values(pain=d % 11)} for d in range(count)]

    # Nothing per line. Once per import: the lock on the patient's row (concurrent imports queue instead
    # of deadlocking), the dates already logged, the write and the evaluation mark (flags.PendingEvaluation,
    # in the import's transaction so a broker outage loses nothing), in a savepoint. On PostgreSQL the
    # write is a temporary table, a COPY into it (not a query Django counts), one upsert from it and the
    # table dropped, whatever the length; elsewhere one bulk upsert per 500 lines.
    with django_assert_max_num_queries(8) as small:
        diary_import(patient=patient, rows=lines(10))
    with django_assert_max_num_queries(8) as large:
        diary_import(patient=patient, rows=lines(1000))
    if uses_postgresql():
        assert len(large.captured_queries) == len(small.captured_queries)
    assert DiaryEntry.objects.filter(patient=patient).count() == 1000


@pytest.mark.django_db
def test_import_changes_only_the_columns_the_file_has(patient):
    day = TODAY - datetime.timedelta(days=1)
    DiaryEntryFactory(patient=patient, date=day, pain=9, notes="Keep me", triggers=["touch"], sleep_quality=3)
    diary_import(patient=patient, rows=[{"date": day, **values(pain=2)}], columns=["pain", "spasms"])
    entry = DiaryEntry.objects.get()
    assert (entry.pain, entry.spasms) == (2, None)
    assert (entry.notes, entry.triggers, entry.sleep_quality) == ("Keep me", ["touch"], 3)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_of_one_day_make_one_entry():
    needs(uses_postgresql(), "needs PostgreSQL (DATABASE_URL) for real concurrent transactions")
    patient = PatientFactory()
    errors = run_at_once(
        lambda pain: diary_entry_save(patient=patient, date=TODAY, values=values(pain=pain)), [(3,), (4,), (5,), (6,)]
    )
    assert errors == []
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
