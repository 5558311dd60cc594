"""A long import on PostgreSQL: the COPY-and-upsert write gives the rows the model's own bulk upsert gives."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from flags.models import PendingEvaluation
from symptoms.diary_csv import CSV_COLUMNS, parse_diary_csv, write_diary_csv
from symptoms.management.commands.bench_import import diary_text
from symptoms.models import ENTRY_FIELDS, DiaryEntry
from symptoms.services import diary_import
from tests.conftest import TODAY, needs, uses_postgresql
from tests.factories import PatientFactory

pytestmark = [pytest.mark.usefixtures("frozen_now"), pytest.mark.django_db]
LINES = 3000
DAY = datetime.timedelta(days=1)
# What a row holds after an import: every value, the clinician-report choice, and when it was created.
COMPARED = ("date", *ENTRY_FIELDS, "note_for_clinician")


def the_file(columns=CSV_COLUMNS) -> str:
    """A diary of LINES days up to yesterday, every column used, cut down to `columns`."""
    full = parse_diary_csv(diary_text(LINES, TODAY - DAY), today=TODAY)
    out = io.StringIO()
    write_diary_csv(full.rows, out)
    if columns == CSV_COLUMNS:
        return out.getvalue()
    keep = [CSV_COLUMNS.index(name) for name in columns]
    cut = io.StringIO()
    writer = csv.writer(cut, lineterminator="\n")
    for cells in csv.reader(io.StringIO(out.getvalue())):
        writer.writerow([cells[i] for i in keep])
    return cut.getvalue()


def with_a_diary(patient):
    """A diary that overlaps the file on every third day and goes on past its first day (kept as it is)."""
    first = TODAY - LINES * DAY
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            patient=patient,
            date=first + offset * DAY,
            pain=offset % 11,
            sleep_quality=3,
            notes=f"logged {offset}",
            triggers=["touch"],
            skin_colour="red",
            note_for_clinician=offset % 2 == 0,
        )
        for offset in range(-30, LINES, 3)
    )
    return {entry.date: entry.created_at for entry in DiaryEntry.objects.filter(patient=patient)}


def rows_of(patient):
    return list(DiaryEntry.objects.filter(patient=patient).order_by("date").values_list(*COMPARED))


def import_as_before(patient, rows, columns):
    """The write the import made before (and still makes off PostgreSQL): the model's bulk upsert."""
    update_fields = [name for name in ENTRY_FIELDS if name in columns]
    DiaryEntry.objects.bulk_create(
        [DiaryEntry(patient=patient, date=row["date"], **{n: row[n] for n in ENTRY_FIELDS}) for row in rows],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["patient", "date"],
        update_fields=[*update_fields, "updated_at"],
    )


@pytest.mark.parametrize(
    "columns",
    [CSV_COLUMNS, ("date", "pain", "spasms", "swelling", "skin_changes", "mood", "notes", "worst_pain")],
    ids=["replace every column", "merge some columns"],
)
def test_a_long_import_writes_the_rows_the_model_s_bulk_upsert_writes(columns):
    needs(uses_postgresql(), "needs PostgreSQL (DATABASE_URL): the COPY write is PostgreSQL's")
    parsed = parse_diary_csv(the_file(columns), today=TODAY)
    assert parsed.ok and len(parsed.rows) == LINES
    new, before = PatientFactory(username="new"), PatientFactory(username="before")
    created_new, created_before = with_a_diary(new), with_a_diary(before)

    result = diary_import(patient=new, rows=parsed.rows, columns=parsed.columns)
    import_as_before(before, parsed.rows, parsed.columns)

    assert rows_of(new) == rows_of(before)
    assert len(rows_of(new)) == LINES + 10  # the ten days before the file are kept
    assert (result.created, result.updated) == (LINES - LINES // 3, LINES // 3)
    # A replaced entry keeps its creation time and its "for my clinician" choice; updated_at moves.
    kept = {e.date: e.created_at for e in DiaryEntry.objects.filter(patient=new, date__in=created_new)}
    assert kept == created_new
    assert len(created_new) == len(created_before)
    first_replaced = DiaryEntry.objects.filter(patient=new, date=TODAY - LINES * DAY).get()
    assert first_replaced.updated_at > first_replaced.created_at
    if columns != CSV_COLUMNS:  # merged: what the file does not have stays
        assert (first_replaced.sleep_quality, first_replaced.triggers, first_replaced.skin_colour) == (
            3,
            ["touch"],
            "red",
        )


def test_an_import_marks_the_patient_for_evaluation_once(patient, django_capture_on_commit_callbacks):
    parsed = parse_diary_csv(the_file(), today=TODAY)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as queued:
        diary_import(patient=patient, rows=parsed.rows, columns=parsed.columns)
    marks = [q["sql"] for q in queries.captured_queries if "flags_pendingevaluation" in q["sql"]]
    assert len(marks) == 1
    assert len(queued) == 1  # one evaluation queued after the commit, for the whole file
    assert list(PendingEvaluation.objects.values_list("patient_id", flat=True)) == [patient.pk]
    assert DiaryEntry.objects.filter(patient=patient).count() == LINES


def test_a_bad_last_row_leaves_nothing_written(patient):
    with_a_diary(patient)
    before = rows_of(patient)
    rows = parse_diary_csv(the_file(), today=TODAY).rows
    rows[-1] = {**rows[-1], "pain": 11}  # past the file's checks: the service checks again
    with pytest.raises(ValidationError):
        diary_import(patient=patient, rows=rows)
    assert rows_of(patient) == before
    assert not PendingEvaluation.objects.exists()


def test_a_bad_line_in_a_long_file_leaves_nothing_written(patient_client, patient):
    with_a_diary(patient)
    before = rows_of(patient)
    text = the_file().replace(f"\n{(TODAY - DAY).isoformat()},", f"\n{(TODAY - DAY).isoformat()},x", 1)
    upload = io.BytesIO(text.encode())
    upload.name = "diary.csv"
    response = patient_client.post(reverse("symptoms:import"), {"file": upload})
    assert f"Line {LINES + 1}: pain" in response.text
    assert rows_of(patient) == before
    assert not PendingEvaluation.objects.exists()
