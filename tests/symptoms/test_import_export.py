import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from symptoms.models import DiaryEntry
from tests.conftest import TODAY, login_with_second_factor
from tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.usefixtures("frozen_now")
IMPORT_URL = reverse("symptoms:import")
EXPORT_URL = reverse("symptoms:export")
HEADER = "date,pain,spasms,swelling,skin_changes,mood,notes"


def upload(content: str | bytes, name="diary.csv"):
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_it_imports_a_good_file(patient_client, patient):
    response = patient_client.post(
        IMPORT_URL, {"file": upload(f"{HEADER}\n2026-11-01,5,4,3,2,6,Hello\n2026-11-02,6,,,,5,\n")}
    )
    assert response.status_code == 302
    entries = list(DiaryEntry.objects.filter(patient=patient).order_by("date"))
    assert [(e.date.day, e.pain, e.spasms, e.notes) for e in entries] == [(1, 5, 4, "Hello"), (2, 6, None, "")]
    followed = patient_client.get(response["Location"])
    assert "Imported 2 days: 2 new, 0 replaced." in followed.text


def test_a_bad_file_writes_nothing_and_names_each_bad_line(patient_client, patient):
    DiaryEntryFactory(patient=patient, date=datetime.date(2026, 11, 1), pain=2)
    content = f"{HEADER}\n2026-11-01,9,9,9,9,9,\n2026-11-02,12,4,3,2,6,\n2026-11-03,5,4,3,2,six,\n"
    response = patient_client.post(IMPORT_URL, {"file": upload(content)})
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert "Line 3: pain &#x27;12&#x27;: Ensure this value is less than or equal to 10." in response.text
    assert "Line 4: mood &#x27;six&#x27;: Enter a whole number from 0 to 10." in response.text
    assert DiaryEntry.objects.get().pain == 2  # the good first line was not written either


def test_it_replaces_entries_for_dates_already_logged(patient_client, patient):
    DiaryEntryFactory(patient=patient, date=datetime.date(2026, 11, 1), pain=2, mood=9)
    patient_client.post(IMPORT_URL, {"file": upload(f"{HEADER}\n2026-11-01,7,,,,,\n")})
    entry = DiaryEntry.objects.get()
    assert (entry.pain, entry.mood) == (7, None)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00d\x00a", "not UTF-8"),
        (b"", "The submitted file is empty."),
        (b"date,pain\n", "missing the column(s) spasms"),
        (b"just some text\n", "unknown column(s)"),
        (f"{HEADER}\n2027-01-01,5,4,3,2,6,\n".encode(), "is in the future"),
    ],
)
def test_it_explains_bad_files(patient_client, content, message):
    response = patient_client.post(IMPORT_URL, {"file": upload(content)})
    assert response.status_code == 200
    assert message in response.text
    assert not DiaryEntry.objects.exists()


def test_it_requires_a_file(patient_client):
    response = patient_client.post(IMPORT_URL, {})
    assert response.status_code == 200
    assert "This field is required." in response.text


def test_export_then_import_round_trips(patient_client, patient):
    DiaryEntryFactory(
        patient=patient,
        date=datetime.date(2026, 11, 1),
        notes='Comma, "quotes"\r\nand a new line',
        pain_qualities=["burning"],
        allodynia=True,
        skin_colour="red",
    )
    DiaryEntryFactory(patient=patient, date=datetime.date(2026, 11, 3), pain=None, mood=0)
    first = patient_client.get(EXPORT_URL).content
    DiaryEntry.objects.all().delete()
    patient_client.post(IMPORT_URL, {"file": upload(first)})
    assert patient_client.get(EXPORT_URL).content == first
    assert DiaryEntry.objects.count() == 2


def test_export_is_a_csv_download_of_only_the_patients_diary(patient_client, patient, other_patient):
    DiaryEntryFactory(patient=patient, date=datetime.date(2026, 11, 1), notes="mine")
    DiaryEntryFactory(patient=other_patient, date=datetime.date(2026, 11, 2), notes="theirs")
    response = patient_client.get(EXPORT_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="crps-diary-alice-{TODAY.isoformat()}.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbfdate,")  # a byte order mark: Excel reads it as UTF-8
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("date,pain,spasms,swelling,skin_changes,mood,notes,")
    assert len(lines) == 2
    assert "mine" in lines[1]


def test_export_uses_a_fixed_number_of_queries(patient_client, patient, django_assert_num_queries):
    for day in range(1, 60):
        DiaryEntryFactory(patient=patient, date=datetime.date(2026, 1, 1) + datetime.timedelta(days=day))
    # session, user, second factor, profile, entries (the session is written at most once a minute)
    with django_assert_num_queries(5):
        patient_client.get(EXPORT_URL)


def test_import_and_export_require_a_patient(client, clinician):
    assert client.get(EXPORT_URL).status_code == 302
    login_with_second_factor(client, clinician)
    assert client.get(EXPORT_URL).status_code == 404
    assert client.post(IMPORT_URL, {"file": upload(f"{HEADER}\n2026-11-01,5,4,3,2,6,\n")}).status_code == 404
    assert not DiaryEntry.objects.exists()


def test_a_repeated_choice_is_reported_not_a_500(patient_client):
    content = f"{HEADER},triggers\n2026-11-01,5,4,3,2,6,,touch;touch\n"
    response = patient_client.post(IMPORT_URL, {"file": upload(content)})
    assert response.status_code == 200
    assert "A choice is listed twice." in response.text
    assert not DiaryEntry.objects.exists()


def test_a_file_with_only_some_columns_keeps_the_rest_of_the_entry(patient_client, patient):
    DiaryEntryFactory(patient=patient, date=datetime.date(2026, 11, 1), pain=2, notes="Keep", sleep_quality=4)
    patient_client.post(IMPORT_URL, {"file": upload("date,pain,spasms,swelling,skin_changes,mood\n2026-11-01,7,,,,\n")})
    entry = DiaryEntry.objects.get()
    assert (entry.pain, entry.notes, entry.sleep_quality) == (7, "Keep", 4)


def test_a_non_latin_username_gets_a_safe_download_name(client, db):
    from tests.factories import PatientFactory

    client.force_login(PatientFactory(username="ゆき"))
    disposition = client.get(EXPORT_URL)["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''crps-diary-%E3%82%86%E3%81%8D-")
