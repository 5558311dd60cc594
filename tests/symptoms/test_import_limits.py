"""An upload over 5 MB is refused with the import page's message after about 5 MB is read, never written to disk."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

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
