"""The care team's choice of sensitivity: set on the review (audited, with consent only), shown to the
patient, and used by every evaluation (a save's, the sweep's) with the same flags as the reference."""

import random

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import data_version
from careteam.models import AccessLog
from careteam.services import access_grant
from flags import tasks
from flags.detection import SETTINGS, detect_patient, detect_patient_reference, parameters_for
from flags.forms import SensitivityForm
from flags.models import DetectionSetting, Flag
from flags.services import setting_change
from flags.simulation import MEASURE_NAMES, USERS, simulate_patient
from symptoms.models import DiaryEntry
from tests.conftest import TODAY, login_with_second_factor
from tests.factories import ClinicianFactory, PatientFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def _shifted(daily, until):
    offset = until - max(daily)
    return {day + offset: values for day, values in daily.items()}


def _diary_that_only_sensitive_flags():
    """A simulated 180-day diary (ending TODAY) in which "sensitive" finds an episode "standard" does not."""
    for seed in range(200):
        simulated = simulate_patient(random.Random(seed), days=180, event_kind="sustained", profile=USERS)
        daily = _shifted(simulated.daily, TODAY)
        standard = detect_patient(daily, MEASURE_NAMES, until=TODAY, p=SETTINGS["standard"])
        sensitive = detect_patient(daily, MEASURE_NAMES, until=TODAY, p=SETTINGS["sensitive"])
        if len(sensitive) > len(standard):
            return daily
    raise AssertionError("no such diary among the first 200 seeds")


def _store(patient, daily):
    DiaryEntry.objects.bulk_create(DiaryEntry(patient=patient, date=day, **values) for day, values in daily.items())


def _stored(patient):
    return sorted(Flag.objects.filter(patient=patient).values_list("measure", "date", "threshold"))


def _reference(daily, level):
    episodes = detect_patient_reference(daily, MEASURE_NAMES, until=TODAY, p=parameters_for(level))
    return sorted((e.measure, e.date, e.evidence.threshold) for e in episodes)


def _set(client, patient, level, reason=""):
    return client.post(reverse("flags:sensitivity", args=[patient.pk]), {"level": level, "reason": reason})


@pytest.fixture
def shared(client, patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    return client


def test_a_clinician_with_consent_sets_it_on_the_review_audited_and_the_flags_follow(
    shared, patient, clinician, django_capture_on_commit_callbacks
):
    daily = _diary_that_only_sensitive_flags()
    _store(patient, daily)
    tasks.evaluate_patient.delay(patient.pk).get()
    assert _stored(patient) == _reference(daily, "standard")
    review = shared.get(reverse("careteam:patient", kwargs={"patient_id": patient.pk})).text
    assert "Worsening detection: Standard" in review and 'value="sensitive"' in review
    version = data_version(patient)
    with django_capture_on_commit_callbacks(execute=True):
        response = _set(shared, patient, "sensitive", "New medication from Monday")
    assert response.status_code == 302
    setting = DetectionSetting.objects.get(patient=patient)
    assert (setting.level, setting.reason, setting.changed_by) == ("sensitive", "New medication from Monday", clinician)
    # The save's evaluation ran at the new setting: the flags of a replay at it, more than before.
    assert _stored(patient) == _reference(daily, "sensitive") != _reference(daily, "standard")
    assert data_version(patient) > version  # the kept review is drawn again, with the new setting
    review = shared.get(reverse("careteam:patient", kwargs={"patient_id": patient.pk})).text
    assert "Worsening detection: Sensitive" in review and "New medication from Monday" in review
    log = AccessLog.objects.filter(patient=patient, actor=clinician, what="changed the worsening-detection setting")
    assert log.count() == 1


def test_the_setting_form_takes_its_labels_from_the_form_with_the_reason_kept_or_as_typed(shared, patient, clinician):
    setting_change(patient=patient, level="sensitive", reason="New medication", by=clinician)
    review = " ".join(shared.get(reverse("careteam:patient", kwargs={"patient_id": patient.pk})).text.split())
    reason = SensitivityForm()["reason"]
    assert f'for="sensitivity-reason">{reason.label}</label>' in review
    assert f'name="{reason.html_name}" maxlength="{reason.field.max_length}" value="New medication"' in review
    refused = _set(shared, patient, "sensitive", "x" * 301)
    assert refused.status_code == 400
    page = " ".join(refused.text.split())
    assert f'name="{reason.html_name}" maxlength="300" value="{"x" * 301}" aria-invalid="true"' in page


def test_the_patient_sees_which_setting_is_on_and_why(client, patient, clinician):
    client.force_login(patient)
    page = " ".join(client.get(reverse("flags:list")).text.split())
    assert "How closely the app watches: Standard" in page and "This is the usual setting." in page
    setting_change(patient=patient, level="quiet", reason="Flags were worrying more than helping", by=clinician)
    page = " ".join(client.get(reverse("flags:list")).text.split())
    assert "How closely the app watches: Quiet" in page
    assert f"Your care team ({clinician.display_name}) chose this setting on" in page
    assert "“Flags were worrying more than helping”" in page


def test_only_a_clinician_the_patient_shares_with_can_set_it(client, patient, clinician):
    stranger = ClinicianFactory(username="stranger")
    login_with_second_factor(client, stranger)
    assert _set(client, patient, "sensitive").status_code == 404
    client.force_login(patient)  # the patient sees the setting but does not choose it
    assert _set(client, patient, "sensitive").status_code == 404
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    assert client.get(reverse("flags:sensitivity", args=[patient.pk])).status_code == 405
    assert not DetectionSetting.objects.exists()
    assert not AccessLog.objects.filter(what="changed the worsening-detection setting").exists()


def test_a_refused_setting_changes_nothing_and_logs_nothing(shared, patient):
    response = _set(shared, patient, "loudest", "x" * 301)
    assert response.status_code == 400
    assert "Choose a setting." in response.text and "x" * 301 in response.text
    assert not DetectionSetting.objects.exists()
    assert not AccessLog.objects.filter(what="changed the worsening-detection setting").exists()


def test_the_sweep_evaluates_each_patient_at_their_own_setting():
    levels = ("quiet", "standard", "sensitive", None)
    rng = random.Random(61)
    clinician = ClinicianFactory()
    patients, diaries = [], []
    for n in range(12):
        patient = PatientFactory(username=f"level-{n}")
        simulated = simulate_patient(rng, days=rng.choice((60, 120, 240)), event_kind="sustained", profile=USERS)
        daily = _shifted(simulated.daily, TODAY)
        _store(patient, daily)
        level = levels[n % len(levels)]
        if level:
            DetectionSetting.objects.create(
                patient=patient, level=level, changed_by=clinician, changed_at=timezone.now()
            )
        patients.append(patient)
        diaries.append((daily, level))
    tasks.evaluate_chunk.delay([p.pk for p in patients]).get()
    for patient, (daily, level) in zip(patients, diaries, strict=True):
        assert _stored(patient) == _reference(daily, level)
    assert Flag.objects.filter(patient__in=patients).count() > 10
