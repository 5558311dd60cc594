import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from flags.models import Flag
from flags.services import flag_acknowledge, worsening_scan
from tests.conftest import TODAY

pytestmark = [pytest.mark.usefixtures("frozen_now"), pytest.mark.django_db]


def test_a_scan_records_the_flag_with_its_numbers(worsening_patient):
    result = worsening_scan(patient=worsening_patient)
    (flag,) = result.created
    assert flag.measure == "pain" and flag.kind == "sustained" and flag.is_open
    assert TODAY - datetime.timedelta(days=20) <= flag.date <= TODAY - datetime.timedelta(days=12)
    assert flag.change >= 2 and flag.baseline_days >= 14
    assert flag.reason.startswith(f"Pain {flag.window_days}-day average {flag.recent_mean:.1f}, up ")
    assert f"from your usual {flag.baseline_mean:.1f}" in flag.reason


def test_running_twice_adds_nothing(worsening_patient):
    worsening_scan(patient=worsening_patient)
    again = worsening_scan(patient=worsening_patient)
    assert (again.created, again.updated, again.removed) == ([], 0, 0)
    assert Flag.objects.count() == 1


def test_the_database_allows_one_flag_per_episode(worsening_patient):
    (flag,) = worsening_scan(patient=worsening_patient).created
    flag.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        flag.save()


def test_a_flag_whose_evidence_is_gone_is_removed_unless_acknowledged(worsening_patient):
    worsening_scan(patient=worsening_patient)
    worsening_patient.diary_entries.filter(date__gt=TODAY - datetime.timedelta(days=21)).update(pain=3)
    assert worsening_scan(patient=worsening_patient).removed == 1
    assert not Flag.objects.exists()


def test_an_acknowledged_flag_is_kept(worsening_patient):
    (flag,) = worsening_scan(patient=worsening_patient).created
    flag_acknowledge(flag=flag, by=worsening_patient, note="  Seen my GP  ")
    worsening_patient.diary_entries.filter(date__gt=TODAY - datetime.timedelta(days=21)).update(pain=3)
    worsening_scan(patient=worsening_patient)
    flag.refresh_from_db()
    assert flag.patient_note == "Seen my GP"
    assert flag.resolved_on == TODAY  # kept for the record, but no longer open


def test_a_fresh_flag_is_emailed_only_to_patients_who_asked(worsening_patient):
    worsening_scan(patient=worsening_patient)  # the flag is two weeks old: shown, not e-mailed
    assert mail.outbox == []
    Flag.objects.all().delete()
    profile = worsening_patient.patient_profile
    profile.email_flags = True
    profile.save()
    # A new worsening of spasms over the last days.
    worsening_patient.diary_entries.filter(date__gte=TODAY - datetime.timedelta(days=3)).update(spasms=9)
    created = worsening_scan(patient=worsening_patient).created
    fresh = [f for f in created if (TODAY - f.date).days <= 3]
    assert fresh, "expected a fresh spasms flag"
    assert len(mail.outbox) == len(fresh)
    assert mail.outbox[0].subject == "CRPS Tracker: a change in your diary"
    assert mail.outbox[0].to == ["worse@example.org"]
    # A link to the numbers, not the numbers: e-mail passes through other people's servers.
    body = mail.outbox[0].body
    assert "a change worth a look in spasms, since" in body
    assert "http://testserver.example/flags/" in body and "average" not in body
    assert worsening_scan(patient=worsening_patient).created == []
    assert len(mail.outbox) == len(fresh)
