import datetime
import json
import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from crps_tracker.celery import app as celery_app
from flags.models import Flag
from flags.services import worsening_scan
from symptoms.models import DiaryEntry
from tests.conftest import TODAY, login_with_second_factor
from tests.factories import PatientFactory

pytestmark = [pytest.mark.usefixtures("frozen_now")]


def test_the_flags_page_lists_open_flags_with_reasons(client, worsening_patient):
    worsening_scan(patient=worsening_patient)
    client.force_login(worsening_patient)
    page = client.get(reverse("flags:list"))
    flag = Flag.objects.get()
    assert flag.reason in page.text
    assert f"{flag.title} since" in page.text
    assert Flag(measure="mood", kind="mood_drop").title == "Mood: fall"
    assert Flag(measure="pain", kind="gradual").title == "Pain: gradual rise"
    assert "Acknowledge" in page.text
    dashboard = client.get(reverse("dashboard:patient"))
    assert "Worth a look: 1 change in your diary" in dashboard.text
    assert flag.reason in dashboard.text


def test_the_flags_page_of_a_new_diary_says_when_watching_starts(client, db):
    patient = PatientFactory()
    login_with_second_factor(client, patient)
    for day in range(3):
        DiaryEntry.objects.create(patient=patient, date=TODAY - datetime.timedelta(days=day), pain=4)
    page = " ".join(client.get(reverse("flags:list")).text.split())
    assert "Nothing open. The app starts watching your diary once it has learnt your usual level" in page
    assert "19 days in all if you log every day. You have logged 3." in page
    for day in range(3, 19):
        DiaryEntry.objects.create(patient=patient, date=TODAY - datetime.timedelta(days=day), pain=4)
    page = " ".join(client.get(reverse("flags:list")).text.split())
    assert "Nothing open. The app checks your diary every time you save and every night." in page


def test_acknowledging_a_flag(client, worsening_patient):
    worsening_scan(patient=worsening_patient)
    client.force_login(worsening_patient)
    flag = Flag.objects.get()
    response = client.post(reverse("flags:acknowledge", args=[flag.pk]), {"note": "Called the clinic"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.patient_acknowledged_at is not None and flag.patient_note == "Called the clinic"
    assert "Called the clinic" in client.get(reverse("flags:list")).text
    client.post(reverse("flags:acknowledge", args=[flag.pk]), {"note": "Second thoughts"})  # a second submit
    flag.refresh_from_db()
    assert flag.patient_note == "Called the clinic"  # the first acknowledgement stands


def test_another_patients_flag_is_a_404(client, worsening_patient):
    worsening_scan(patient=worsening_patient)
    flag = Flag.objects.get()
    stranger = PatientFactory(username="stranger")
    login_with_second_factor(client, stranger)
    assert client.post(reverse("flags:acknowledge", args=[flag.pk])).status_code == 404
    assert client.get(reverse("flags:acknowledge", args=[flag.pk])).status_code == 405
    assert flag.reason not in client.get(reverse("flags:list")).text
    flag.refresh_from_db()
    assert flag.patient_acknowledged_at is None


def test_an_oversized_note_is_refused_politely(client, worsening_patient):
    worsening_scan(patient=worsening_patient)
    client.force_login(worsening_patient)
    flag = Flag.objects.get()
    response = client.post(reverse("flags:acknowledge", args=[flag.pk]), {"note": "x" * 3000}, follow=True)
    assert "at most 2000 characters" in response.text
    flag.refresh_from_db()
    assert flag.patient_acknowledged_at is None


def test_scan_worsening_prints_json(worsening_patient):
    PatientFactory(username="calm")
    out = StringIO()
    call_command("scan_worsening", "--json", stdout=out)
    (flag,) = json.loads(out.getvalue())
    assert flag["patient"] == "worse" and flag["measure"] == "pain" and flag["kind"] == "sustained"
    assert flag["date"] == Flag.objects.get().date.isoformat()
    assert flag["reason"].startswith("Pain ")
    out = StringIO()
    call_command("scan_worsening", "--patient", "calm", "--json", stdout=out)
    assert json.loads(out.getvalue()) == []
    call_command("scan_worsening", "--patient", "worse", stdout=out)
    assert Flag.objects.count() == 1  # run again: no duplicate


def test_scan_worsening_names_an_unknown_patient(db):
    with pytest.raises(CommandError, match="No patient called ghost"):
        call_command("scan_worsening", "--patient", "ghost")


def test_saving_an_entry_evaluates_the_diary_after_commit(
    client, worsening_patient, django_capture_on_commit_callbacks
):
    client.force_login(worsening_patient)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("symptoms:today"), {"pain": "8"})
    assert len(callbacks) == 1
    assert Flag.objects.filter(patient=worsening_patient, measure="pain").exists()


def test_with_the_broker_down_the_entry_is_saved_and_the_failure_logged(
    client, patient, caplog, django_capture_on_commit_callbacks
):
    saved = dict(celery_app.conf)
    celery_app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:6399/0")  # nothing listens
    _reset_connections()
    client.force_login(patient)
    try:
        with (
            caplog.at_level(logging.WARNING, logger="flags.scheduling"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.post(reverse("symptoms:today"), {"pain": "5"})
    finally:
        celery_app.conf.update(task_always_eager=saved["task_always_eager"], broker_url=saved["broker_url"])
        _reset_connections()
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient, date=TODAY).pain == 5
    assert "Could not queue the evaluation" in caplog.text


def _reset_connections():
    """Forget pooled broker connections, so the next send uses the broker configured now."""
    celery_app.close()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
