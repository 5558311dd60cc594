"""Questions for the next appointment, written on the dashboard, in a real browser."""

import pytest

from accounts.models import PatientProfile
from tests.browser.conftest import SCREENSHOTS
from tests.factories import PatientFactory

pytestmark = pytest.mark.browser


def test_a_patient_writes_questions_for_the_next_appointment_on_the_dashboard(session):
    patient = PatientFactory(username="asker")
    session.log_in("asker")
    page = session.page
    page.wait_for_url("**/dashboard/")
    section = page.locator("section", has=page.get_by_role("heading", name="For your next appointment"))
    box = section.get_by_label("Questions for my next appointment")
    box.fill("Could the gabapentin be making me dizzy?")
    section.get_by_role("button", name="Save my questions").click()
    page.wait_for_url("**/dashboard/#report-heading")
    assert "Your questions for your next appointment are saved." in page.get_by_role("status").inner_text()
    assert box.input_value() == "Could the gabapentin be making me dizzy?"
    assert PatientProfile.objects.get(user=patient).questions_for_clinic == "Could the gabapentin be making me dizzy?"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=SCREENSHOTS / f"36-dashboard-questions-{session.label}.png")
    if session.label == "phone":
        session.assert_big_enough_to_tap(".questions-form .btn", 1)
    # Too long: kept, refused, and said why, on the form's own page.
    box.fill("Why? " * 401)
    section.get_by_role("button", name="Save my questions").click()
    page.wait_for_url("**/accounts/questions/")
    assert "at most 2000 characters" in page.locator(".invalid-feedback").inner_text()
    session.axe("questions refused")
    session.screenshot("36-questions-refused")
