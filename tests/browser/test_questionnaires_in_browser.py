"""The questionnaires in a real browser: every form at 360 and 1280 px with axe, the diary's suggestions on
the CRPS Severity Score, the clinician's records, and the safety path end to end with the broker down."""

import datetime
import re

import pytest

from accounts.selectors import local_today
from assessments.instruments import BUDAPEST, CSS_SIGNS, CSS_SYMPTOMS, GAD7, PEG, PHQ9
from assessments.models import Response, SafetyAlert
from careteam.services import access_grant
from tests.factories import ClinicianFactory, DiaryEntryFactory, PatientFactory

pytestmark = pytest.mark.browser


def answer(page, instrument, values):
    """Tap one answer in each item's group (the group is named by its question)."""
    for number, (item, value) in enumerate(zip(instrument.items, values, strict=True), 1):
        group = page.get_by_role("group", name=re.compile(rf"^{number}\. "))
        group.locator("label", has_text=re.compile(rf"^{re.escape(dict(item.choices)[value])}$")).click()


def test_a_patient_answers_each_questionnaire_from_the_dashboard(session):
    patient = PatientFactory(username="answers")
    today = local_today(patient)
    for d in range(6):
        DiaryEntryFactory(
            patient=patient, date=today - datetime.timedelta(days=d), skin_colour="red", sweating="normal"
        )
    session.log_in("answers")
    page = session.page
    page.wait_for_url("**/dashboard/")
    due = page.locator("section", has=page.get_by_role("heading", name="Questionnaires to answer"))
    assert [a.inner_text() for a in due.get_by_role("link").all()] == ["PEG", "PHQ-9", "GAD-7", "CSS symptoms"]
    due.get_by_role("link", name="PEG").click()
    page.wait_for_url("**/questionnaires/peg/")
    session.axe("PEG")
    answer(page, PEG, [7, 6, 5])
    session.screenshot("50-questionnaire-peg")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/questionnaires/")
    assert "PEG saved: 6 of 10." in page.get_by_role("status").inner_text()
    for instrument, values in ((PHQ9, [1, 1, 2, 0, 0, 1, 0, 0, 0]), (GAD7, [2, 2, 1, 1, 0, 1, 0])):
        session.goto(f"/questionnaires/{instrument.code}/")
        session.axe(instrument.short)
        answer(page, instrument, values)
        page.get_by_role("button", name="Save").click()
        page.wait_for_url("**/questionnaires/")
    # The CSS symptoms: the diary suggests skin colour (6 of 6 days) and not sweating; each marked.
    session.goto("/questionnaires/css_symptoms/")
    assert "present on 6 of 6 recorded days" in page.locator("#id_skin_colour_asymmetry_suggested").inner_text()
    assert "present on 0 of 6 recorded days" in page.locator("#id_sweating_asymmetry_suggested").inner_text()
    assert page.locator("#id_skin_colour_asymmetry_0").is_checked()  # "Yes", from the diary
    session.axe("CSS symptoms")
    session.screenshot("50-questionnaire-css-suggested")
    page.get_by_role("button", name="Save").click()  # not yet confirmed, and items unanswered
    assert "Answer every question to save" in page.get_by_role("alert").first.inner_text()
    session.axe("CSS symptoms refused")
    answer(page, CSS_SYMPTOMS, [1, 0, 1, 0, 0, 0, 1, 1])
    page.get_by_label("I have checked the answers marked").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/questionnaires/")
    session.axe("questionnaires overview")
    session.screenshot("50-questionnaires-overview")
    assert sorted(Response.objects.filter(patient=patient).values_list("instrument", flat=True)) == [
        "css_symptoms",
        "gad7",
        "peg",
        "phq9",
    ]
    session.goto("/dashboard/")
    assert page.locator("section", has=page.get_by_role("heading", name="Questionnaires to answer")).count() == 0
    table = page.locator("section", has=page.get_by_role("heading", name="Questionnaires", exact=True))
    assert "moderate" not in table.inner_text() and "mild" in table.inner_text()  # PHQ-9 5, GAD-7 7


def test_the_safety_path_end_to_end_with_the_broker_down(browser, live_server, monkeypatch, settings):
    from celery.app.task import Task

    from tests.browser.conftest import DESKTOP, PHONE, Session

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("Redis is down")

    monkeypatch.setattr(Task, "apply_async", broker_down)
    settings.CRISIS_CONTACTS = [("Samaritans, any time", "116 123")]
    patient = PatientFactory(username="needs-help", first_name="Jo", last_name="Bloggs")
    other = PatientFactory(username="flagged-other")
    clinician = ClinicianFactory(username="on-call", email="on-call@clinic.example")
    for who in (patient, other):
        access_grant(patient=who, clinician_identifier=clinician.username)
    phone = Session(browser, live_server, PHONE, "phone")
    try:
        phone.log_in("needs-help")
        phone.goto("/questionnaires/phq9/")
        answer(phone.page, PHQ9, [2, 2, 1, 1, 0, 2, 1, 0, 1])
        phone.page.get_by_role("button", name="Save").click()
        heading = phone.page.get_by_role("heading", level=1)
        assert heading.inner_text() == "Thank you for telling us. You are not alone."
        assert heading.bounding_box()["y"] < 200  # first on the screen, before anything else
        assert phone.page.get_by_role("link", name="116 123").get_attribute("href") == "tel:116123"
        phone.axe("safety message")
        phone.screenshot("51-safety-message")
    finally:
        phone.context.close()
        phone.check_clean()
    assert SafetyAlert.objects.filter(patient=patient, acknowledged_at__isnull=True).count() == 1
    from tests.assessments.test_questionnaires import mail_sent

    (sent,) = mail_sent(1)
    assert sent.to == ["on-call@clinic.example"] and "PHQ" not in sent.body and "harm" not in sent.body
    desk = Session(browser, live_server, DESKTOP, "desktop")
    try:
        desk.log_in("on-call")
        page = desk.page
        rows = page.locator("tbody tr")
        assert "Jo Bloggs" in rows.first.inner_text() and "Mood answer: check today" in rows.first.inner_text()
        desk.screenshot("51-safety-on-the-list")
        rows.first.get_by_role("link", name="Jo Bloggs").click()
        alert = page.locator("section", has=page.get_by_role("heading", name="Needs attention today: a mood answer"))
        assert alert.is_visible()
        desk.axe("review with a safety alert")
        desk.screenshot("51-safety-on-the-review")
        alert.get_by_role("button", name="I have seen this and will follow it up").click()
        assert "Safety alert acknowledged." in page.get_by_role("status").inner_text()
        assert page.locator("text=Needs attention today").count() == 0
    finally:
        desk.context.close()
        desk.check_clean()
    assert SafetyAlert.objects.get(patient=patient).acknowledged_by == clinician


def test_a_clinician_records_the_examination_and_the_budapest_criteria(session):
    patient = PatientFactory(username="examined")
    clinician = ClinicianFactory(username="examiner")
    access_grant(patient=patient, clinician_identifier=clinician.username)
    session.log_in("examiner")
    page = session.page
    session.goto(f"/care/clinician/patients/{patient.pk}/")
    page.get_by_role("link", name="Record a CSS examination").click()
    page.get_by_label("Affected limb and side").select_option("right_hand")
    answer(page, CSS_SIGNS, [1, 1, 0, 1, 1, 0, 1, 1, 0])
    session.axe("CSS examination")
    session.screenshot("52-css-examination")
    page.get_by_role("button", name="Record").click()
    assert "Examination recorded." in page.get_by_role("status").inner_text()
    page.get_by_role("link", name="Record the Budapest criteria").click()
    answer(page, BUDAPEST, [1, 1, 1, 1, 0, 1, 1, 0, 0, 1])
    session.axe("Budapest checklist")
    session.screenshot("52-budapest")
    page.get_by_role("button", name="Record").click()
    section = page.locator("section", has=page.get_by_role("heading", name="CRPS assessments and questionnaires"))
    assert "Budapest clinical criteria met, recorded" in section.inner_text()
    session.axe("review with assessments")
    assert Response.objects.get(patient=patient, instrument="css_signs").site == "right_hand"
