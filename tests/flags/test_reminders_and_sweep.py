import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from flags import tasks
from flags.models import Flag
from reminders.reminders import reminder_due, send_due_reminders
from tests.factories import DiaryEntryFactory, PatientFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
EVENING = datetime.datetime(2026, 11, 24, 20, 30, tzinfo=LONDON)


def test_reminder_due():
    at = datetime.time(20, 0)
    assert reminder_due(now_local=EVENING, reminder_time=at, last_reminded_on=None, logged_today=False)
    assert not reminder_due(
        now_local=EVENING, reminder_time=datetime.time(21, 0), last_reminded_on=None, logged_today=False
    )
    assert not reminder_due(now_local=EVENING, reminder_time=at, last_reminded_on=EVENING.date(), logged_today=False)
    assert not reminder_due(now_local=EVENING, reminder_time=at, last_reminded_on=None, logged_today=True)


@pytest.mark.django_db
def test_reminders_go_once_to_those_who_asked_and_have_not_logged():
    asked = PatientFactory(username="asked", email="asked@example.org", profile__reminder_enabled=True)
    PatientFactory(username="quiet", email="quiet@example.org")  # did not opt in
    logged = PatientFactory(username="logged", email="logged@example.org", profile__reminder_enabled=True)
    DiaryEntryFactory(patient=logged, date=EVENING.date())
    DiaryEntryFactory(patient=asked, date=EVENING.date() - datetime.timedelta(days=1))
    with time_machine.travel(EVENING, tick=False):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0  # once a day
    assert [m.to for m in mail.outbox] == [["asked@example.org"]]
    assert mail.outbox[0].subject == "CRPS Tracker: how was today?"
    assert "Log today: http://testserver.example/diary/today/" in mail.outbox[0].body


@pytest.mark.django_db
def test_after_several_missed_days_the_reminder_is_gentler():
    patient = PatientFactory(username="away", email="away@example.org", profile__reminder_enabled=True)
    DiaryEntryFactory(patient=patient, date=EVENING.date() - datetime.timedelta(days=5))
    with time_machine.travel(EVENING, tick=False):
        send_due_reminders()
    assert mail.outbox[0].subject == "CRPS Tracker: we have missed you"
    assert "not logged for 4 days" in mail.outbox[0].body


@pytest.mark.django_db
def test_the_reminder_follows_the_patients_own_clock():
    tokyo = PatientFactory(
        username="tokyo", email="t@example.org", profile__reminder_enabled=True, profile__time_zone="Asia/Tokyo"
    )
    with time_machine.travel(EVENING, tick=False):  # 05:30 next morning in Tokyo
        assert send_due_reminders() == 0
    assert tokyo.patient_profile.last_reminded_on is None


@pytest.mark.django_db
def test_the_nightly_sweep_evaluates_every_patient_in_chunks(monkeypatch, frozen_now, worsening_patient):
    PatientFactory.create_batch(3)
    monkeypatch.setattr(tasks, "SWEEP_CHUNK", 2)
    chunks = []
    original = tasks.evaluate_chunk.delay
    monkeypatch.setattr(tasks.evaluate_chunk, "delay", lambda ids: chunks.append(ids) or original(ids))
    assert tasks.nightly_sweep() == 4
    assert [len(c) for c in chunks] == [2, 2]
    assert Flag.objects.filter(patient=worsening_patient).exists()
