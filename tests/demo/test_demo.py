import datetime
import io
import itertools
import statistics

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from demo.diary import DEMO_DAYS, FLARE_START, GAP_DAYS, GAP_START, WORSENING_START, demo_diary
from symptoms.models import DiaryEntry

TODAY = datetime.date(2026, 11, 24)


def mean(rows, measure, first_day, last_day):
    start = TODAY - datetime.timedelta(days=DEMO_DAYS - 1)
    picked = [r[measure] for r in rows if first_day <= (r["date"] - start).days <= last_day and r[measure] is not None]
    return statistics.mean(picked)


def test_the_demo_diary_is_realistic_and_reproducible():
    rows = demo_diary(TODAY)
    assert rows == demo_diary(TODAY)
    assert rows[-1]["date"] == TODAY
    assert 0.75 * DEMO_DAYS < len(rows) < 0.9 * DEMO_DAYS  # missed days
    dates = {r["date"] for r in rows}
    start = TODAY - datetime.timedelta(days=DEMO_DAYS - 1)
    gap = {start + datetime.timedelta(days=GAP_START + d) for d in range(GAP_DAYS)}
    assert not dates & gap  # a week in a row without entries
    # A sustained worsening of pain and mood over the last four weeks against the weeks before.
    before = mean(rows, "pain", WORSENING_START - 28, WORSENING_START - 1)
    after = mean(rows, "pain", WORSENING_START + 4, DEMO_DAYS - 1)
    assert after - before >= 2
    assert (
        mean(rows, "mood", WORSENING_START - 28, WORSENING_START - 1)
        - mean(rows, "mood", WORSENING_START + 4, DEMO_DAYS - 1)
        >= 1.5
    )
    # The flare is high, and settled a week later.
    assert mean(rows, "pain", FLARE_START, FLARE_START + 1) >= before + 2
    assert abs(mean(rows, "pain", FLARE_START + 5, FLARE_START + 12) - before) < 1.5


@pytest.mark.django_db
def test_load_demo_is_idempotent(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "demo-patient / demo-pass-2026" in out.getvalue()
    assert "demo-clinician / demo-pass-2026" in out.getvalue()
    count = DiaryEntry.objects.count()
    assert count > 120
    call_command("load_demo", stdout=io.StringIO())
    assert DiaryEntry.objects.count() == count
    assert User.objects.count() == 2
    patient = User.objects.get(username="demo-patient")
    assert patient.is_patient
    assert patient.check_password("demo-pass-2026")
    clinician = User.objects.get(username="demo-clinician")
    assert clinician.is_clinician
    assert "two-factor secret (add it to an authenticator app): GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in out.getvalue()
    assert clinician.totpdevice_set.filter(confirmed=True).count() == 1
    assert clinician.patient_accesses.get().patient == patient


@pytest.mark.django_db
def test_load_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_demo_worsening_is_flagged_within_days_with_a_readable_reason_and_the_flare_is_not(settings, frozen_now):
    from flags.models import Flag
    from flags.services import worsening_scan

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    patient = User.objects.get(username="demo-patient")
    worsening_scan(patient=patient, today=TODAY)
    start = TODAY - datetime.timedelta(days=DEMO_DAYS - 1)
    onset = start + datetime.timedelta(days=WORSENING_START)
    flags = {flag.measure: flag for flag in Flag.objects.filter(patient=patient)}
    # The worsening ramps up over 4 days; the rule wants most of the last 4 logged days up.
    assert 0 <= (flags["pain"].date - onset).days <= 7
    assert 0 <= (flags["mood"].date - onset).days <= 10
    assert all(flag.date >= onset for flag in flags.values())  # nothing for the 2-day flare, nor before
    # It came on over 4 days: a jump, not a rise that built over weeks.
    assert {flags[measure].kind for measure in ("pain", "spasms")} == {"sustained"}
    assert flags["pain"].reason.startswith(f"Pain {flags['pain'].window_days}-day average ")
    assert "from your usual" in flags["pain"].reason and "based on" in flags["pain"].reason
    assert flags["mood"].reason.startswith(f"Mood {flags['mood'].window_days}-day average ")
    assert " down " in flags["mood"].reason


@pytest.mark.django_db
def test_the_demo_has_two_css_months_apart_with_a_real_change_and_a_budapest_record_by_the_clinician(
    settings, frozen_now
):
    from assessments.instruments import CSS_REAL_CHANGE
    from assessments.selectors import budapest_latest, css_scores

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    patient, clinician = User.objects.get(username="demo-patient"), User.objects.get(username="demo-clinician")
    first, second = css_scores(patient)
    assert (second.date - first.date).days >= 90  # months apart
    assert second.score - first.score >= CSS_REAL_CHANGE
    assert second.change_words.startswith(f"up {second.score - first.score} since ")
    assert second.change_words.endswith(": a real change")
    for score in (first, second):
        assert score.signs.recorded_by == clinician and score.signs.site == "right_hand"
        assert score.symptoms.recorded_by == patient and score.symptoms.completed_on < score.date
    # The second, three weeks into the worsening; the patient's symptoms started from their diary.
    start = TODAY - datetime.timedelta(days=DEMO_DAYS - 1)
    assert (second.date - start).days > WORSENING_START + 14
    assert {"temperature_asymmetry", "skin_colour_asymmetry"} <= set(second.symptoms.prefilled)
    record = budapest_latest(patient)
    assert record.result.met and record.response.recorded_by == clinician and record.response.completed_on == first.date
    assert record.header == f"Budapest clinical criteria met, recorded {first.date:%-d %b %Y} by Sam Rivera"
    # Loading again adds nothing.
    count = patient.assessments.count()
    call_command("load_demo", stdout=io.StringIO())
    assert patient.assessments.count() == count


@pytest.mark.django_db
def test_the_demo_questionnaires_are_weekly_and_monthly_and_move_with_the_worsening_without_a_safety_alert(
    settings, frozen_now
):
    from assessments.instruments import PEG_IMPORTANT_CHANGE, PHQ9
    from assessments.models import SafetyAlert
    from assessments.selectors import history

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    patient = User.objects.get(username="demo-patient")
    start = TODAY - datetime.timedelta(days=DEMO_DAYS - 1)
    onset = start + datetime.timedelta(days=WORSENING_START)

    def day(response):
        return (response.completed_on - start).days

    pegs = history(patient, "peg")
    assert day(pegs[0]) < 7 and TODAY - pegs[-1].completed_on < datetime.timedelta(days=7)  # the diary's span
    assert {b.completed_on - a.completed_on for a, b in itertools.pairwise(pegs)} == {datetime.timedelta(days=7)} | {
        datetime.timedelta(days=14)  # the week without a diary: skipped
    }
    (skipped,) = patient.assessments.filter(instrument="peg", skipped=True)
    assert GAP_START <= day(skipped) < GAP_START + GAP_DAYS
    before = statistics.mean(r.score for r in pegs if WORSENING_START - 28 <= day(r) < WORSENING_START)
    during = statistics.mean(r.score for r in pegs if day(r) >= WORSENING_START + 4)
    assert during >= before * (1 + PEG_IMPORTANT_CHANGE)  # a clinically important rise
    for code, earlier_band, latest_band in (("phq9", "minimal", "moderate"), ("gad7", "minimal", "moderate")):
        answers = history(patient, code)
        assert len(answers) == 6
        assert {(b.completed_on - a.completed_on).days for a, b in itertools.pairwise(answers)} == {30}
        last_before, latest = [r for r in answers if r.completed_on < onset][-1], answers[-1]
        assert latest.completed_on > onset + datetime.timedelta(days=14)
        assert latest.score - last_before.score >= 5
        definition = latest.definition
        assert (definition.band(last_before.score), definition.band(latest.score)) == (earlier_band, latest_band)
    # Better on gabapentin than before it.
    phq9 = history(patient, "phq9")
    assert phq9[-2].score < phq9[0].score
    # Never a thought of self-harm in the demo: no safety alert.
    assert all(r.answers[PHQ9.items[-1].key] == 0 for r in phq9)
    assert not SafetyAlert.objects.exists()


def test_the_demo_questionnaires_tell_the_same_story_whatever_the_day_the_demo_is_loaded():
    from demo.assessments import MONTHLY, demo_assessments

    for days in range(7):  # the diary's weekly rhythm falls on other days of the demo
        today = TODAY + datetime.timedelta(days=days)
        start = today - datetime.timedelta(days=DEMO_DAYS - 1)
        planned = demo_assessments(demo_diary(today), start)
        for code in ("phq9", "gad7"):
            (instrument,) = {a.instrument for a in planned if a.instrument.code == code}
            bands = [instrument.band(instrument.score(a.answers)) for a in planned if a.instrument is instrument]
            # Before gabapentin, on it, before the worsening, in it.
            assert len(bands) == len(MONTHLY) and bands[0] == "mild", (today, code, bands)
            assert bands[2:5] == ["minimal"] * 3 and bands[5] == "moderate", (today, code, bands)
