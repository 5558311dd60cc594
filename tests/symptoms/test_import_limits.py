"""Import limits: an upload over 5 MB is refused with the import page's message after about 5 MB is
read, never written to disk; any diary the export writes imports again."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lib.dates import EARLIEST_DATE
from symptoms.diary_csv import parse_diary_csv
from symptoms.models import DiaryEntry
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("symptoms:import")
MB = 1024 * 1024
HEADER = "date,pain,spasms,swelling,skin_changes,mood"


def test_a_file_over_5_mb_is_refused_clearly_after_about_5_mb_read(patient, monkeypatch):
    from django.core.files import temp

    written = []  # temporary files an upload handler opened on disk
    on_disk = temp.NamedTemporaryFile
    monkeypatch.setattr(temp, "NamedTemporaryFile", lambda *a, **k: written.append(k) or on_disk(*a, **k))
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient)
    token = client.get(IMPORT_URL).context["csrf_token"]
    line = f"{TODAY.isoformat()},5,4,3,2,6\n"
    big = (HEADER + "\n" + line * (40 * MB // len(line))).encode()  # 40 MB: one good line, many times
    response = client.post(IMPORT_URL, {"csrfmiddlewaretoken": str(token), "file": SimpleUploadedFile("d.csv", big)})
    assert response.status_code == 413
    assert "The file is larger than 5 MB." in response.text
    assert not DiaryEntry.objects.exists()
    assert written == []
    read = response.wsgi_request.META["wsgi.input"]._FakePayload__content.tell()
    assert read < 5.2 * MB  # the limit and the chunk (64 kB) being read when it was passed, no more


def test_a_file_just_under_5_mb_still_imports(patient_client, patient):
    line = f"{TODAY.isoformat()},5,4,3,2,6\n"
    body = HEADER + "\n" + line
    body += "\n" * (5 * MB - 1024 - len(body))  # blank lines are skipped
    response = patient_client.post(IMPORT_URL, {"file": SimpleUploadedFile("d.csv", body.encode())})
    assert response.status_code == 302
    assert DiaryEntry.objects.filter(patient=patient).count() == 1


def test_an_exported_diary_of_20_001_days_imports_again(patient_client, patient):
    """The line limit is a line a day since 1950, so whatever the export writes, the import takes."""
    days = 20_001
    DiaryEntry.objects.bulk_create(
        DiaryEntry(patient=patient, date=TODAY - datetime.timedelta(days=n), pain=n % 11, mood=5, notes=f"Day {n}")
        for n in range(days)
    )
    exported = patient_client.get(reverse("symptoms:export")).content
    DiaryEntry.objects.filter(patient=patient).update(pain=None, notes="")
    response = patient_client.post(IMPORT_URL, {"file": SimpleUploadedFile("d.csv", exported)})
    assert response.status_code == 302, response.text[:2000]
    assert DiaryEntry.objects.filter(patient=patient, pain__isnull=False).count() == days
    assert DiaryEntry.objects.get(patient=patient, date=TODAY - datetime.timedelta(days=20_000)).notes == "Day 20000"


def test_more_lines_than_days_since_1950_are_refused():
    today = EARLIEST_DATE + datetime.timedelta(days=2)  # three days to fill, so three lines at most
    lines = "".join(f"{EARLIEST_DATE + datetime.timedelta(days=n)},5,,,,\n" for n in range(3))
    assert parse_diary_csv(f"{HEADER}\n{lines}", today=today).ok
    refused = parse_diary_csv(f"{HEADER}\n{lines}{today},5,,,,\n", today=today)
    assert [str(e) for e in refused.errors] == ["Line 5: too many lines (at most 3, a line a day since 1950)."]
