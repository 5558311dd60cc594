import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from symptoms.models import DiaryEntry
from tests.factories import DiaryEntryFactory

pytestmark = [pytest.mark.usefixtures("frozen_now"), pytest.mark.django_db]
HEADER = "date,pain,spasms,swelling,skin_changes,mood,notes"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_into_a_named_patient(tmp_path, patient):
    path = write(tmp_path, "mine.csv", f"{HEADER}\n2026-11-01,5,4,3,2,6,hello\n")
    out = io.StringIO()
    call_command("import_diary", str(path), "--patient", "alice", stdout=out)
    assert "1 day for alice (1 new, 0 replaced)" in out.getvalue()
    assert DiaryEntry.objects.get(patient=patient).notes == "hello"


def test_import_with_create_names_patients_by_file(tmp_path, db):
    one = write(tmp_path, "dana.csv", f"{HEADER}\n2026-11-01,5,4,3,2,6,\n")
    two = write(tmp_path, "erin.csv", f"{HEADER}\n2026-11-02,6,,,,,\n2026-11-03,7,,,,,\n")
    call_command("import_diary", str(one), str(two), "--create", stdout=io.StringIO())
    dana, erin = User.objects.get(username="dana"), User.objects.get(username="erin")
    assert dana.is_patient and erin.is_patient
    assert not dana.has_usable_password()
    assert dana.diary_entries.count() == 1
    assert erin.diary_entries.count() == 2


def test_import_is_all_or_nothing_across_files(tmp_path, db):
    good = write(tmp_path, "frank.csv", f"{HEADER}\n2026-11-01,5,4,3,2,6,\n")
    bad = write(tmp_path, "gina.csv", f"{HEADER}\n2026-11-01,5,4,3,2,6,\n2026-11-02,50,4,3,2,6,\n")
    with pytest.raises(CommandError) as error:
        call_command("import_diary", str(good), str(bad), "--create")
    assert "Nothing was imported" in str(error.value)
    assert "gina.csv: Line 3: pain '50'" in str(error.value)
    assert not DiaryEntry.objects.exists()
    assert not User.objects.exists()


def test_import_explains_a_missing_patient_or_file(tmp_path, db):
    path = write(tmp_path, "x.csv", f"{HEADER}\n2026-11-01,5,4,3,2,6,\n")
    with pytest.raises(CommandError, match="No patient called nobody"):
        call_command("import_diary", str(path), "--patient", "nobody")
    with pytest.raises(CommandError, match="--patient"):
        call_command("import_diary", str(path))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_diary", str(tmp_path / "missing.csv"), "--create")


def test_import_refuses_a_clinician_account(tmp_path, clinician):
    path = write(tmp_path, "x.csv", f"{HEADER}\n2026-11-01,5,4,3,2,6,\n")
    with pytest.raises(CommandError, match="not a patient"):
        call_command("import_diary", str(path), "--patient", clinician.username)


def test_export_then_import_round_trips(tmp_path, patient):
    DiaryEntryFactory(patient=patient, date=datetime.date(2026, 10, 1), notes="a,b", pain_qualities=["aching"])
    DiaryEntryFactory(patient=patient, date=datetime.date(2026, 10, 2), pain=None, tremor=True)
    out = io.StringIO()
    call_command("export_diary", "--patient", "alice", stdout=out)
    exported = out.getvalue()
    assert exported.count("\n") == 3
    path = write(tmp_path, "alice.csv", exported)
    DiaryEntry.objects.all().delete()
    call_command("import_diary", str(path), "--patient", "alice", stdout=io.StringIO())
    again = io.StringIO()
    call_command("export_diary", "--patient", "alice", stdout=again)
    assert again.getvalue() == exported


def test_export_to_a_file(tmp_path, patient):
    DiaryEntryFactory(patient=patient, date=datetime.date(2026, 10, 1))
    target = tmp_path / "out.csv"
    call_command("export_diary", "--patient", "alice", "--output", str(target), stderr=io.StringIO())
    assert target.read_text().startswith("date,pain,")


def test_export_needs_a_patient(db):
    with pytest.raises(CommandError, match="No patient called ghost"):
        call_command("export_diary", "--patient", "ghost")
