"""The front page a visitor sees, in a real browser at phone and desktop widths."""

import pytest

from tests.factories import PASSWORD, PatientFactory

pytestmark = pytest.mark.browser


def test_a_visitor_learns_what_the_app_is_and_logs_in_from_the_front_page(session):
    PatientFactory(username="visitor")
    session.goto("/")
    page = session.page
    assert page.get_by_role("heading", level=1).inner_text() == "CRPS Tracker"
    assert "people with CRPS" in page.locator(".lead").inner_text()
    assert page.get_by_text("no ads, no analytics, no trackers").is_visible()
    assert page.get_by_role("link", name="Create a patient account").is_visible()
    session.axe("front page")
    session.screenshot("00-front-page")
    # The login form is in the first screen, beside the intro on a desktop and under it on a phone.
    form = page.locator(".landing-login").bounding_box()
    intro = page.locator(".landing-intro").bounding_box()
    assert form["y"] < page.evaluate("window.innerHeight")
    if session.label == "desktop":
        assert form["x"] > intro["x"] + intro["width"]
    else:
        assert form["y"] >= intro["y"] + intro["height"]
    page.get_by_label("Username").fill("visitor")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator(".landing-login").get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard/")
