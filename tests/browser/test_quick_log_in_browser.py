"""The daily log the patient shapes, on a 360 x 640 phone: their detail items in their order, quick
notes as one-tap chips, "Same as yesterday", and the five measures and Save without scrolling."""

import datetime

import pytest

from accounts.models import PatientProfile
from accounts.selectors import local_today
from symptoms.models import DiaryEntry
from tests.browser.conftest import Session
from tests.factories import DiaryEntryFactory, PatientFactory

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 640}


@pytest.fixture
def small_phone(browser, live_server):
    session = Session(browser, live_server, SMALL_PHONE, "phone-640")
    yield session
    session.context.close()
    session.check_clean()


def in_view(page, locator) -> bool:
    """On the screen, and not under the Save bar that sticks to its bottom."""
    box = locator.bounding_box()
    bar = page.locator(".save-bar").bounding_box()
    bottom = min(page.viewport_size["height"], bar["y"]) if locator.locator(".save-bar").count() == 0 else 1e9
    inside_bar = bar["y"] <= box["y"] and box["y"] + box["height"] <= bar["y"] + bar["height"]
    return box["y"] >= 0 and (box["y"] + box["height"] <= bottom or inside_bar)


def test_the_patient_arranges_the_log_and_saves_in_six_taps_without_scrolling(small_phone):
    patient = PatientFactory(username="shaper")
    small_phone.log_in("shaper")
    small_phone.goto("/diary/quick-log/")
    page = small_phone.page
    page.get_by_label("Sleep quality").fill("1")
    page.get_by_label("Triggers").fill("2")
    page.get_by_label("Quick note 1").fill("Cold weather")
    page.get_by_label("Quick note 2").fill("Bad night")
    page.get_by_label("On my phone, the five measures and Save on one screen").check()
    small_phone.axe("arrange the daily log")
    small_phone.screenshot("quick-01-arrange")
    page.get_by_role("button", name="Save the arrangement").click()
    page.wait_for_url("**/diary/today/")
    profile = PatientProfile.objects.get(user=patient)
    assert profile.quick_log_details == ["sleep_quality", "triggers"]
    assert profile.quick_notes == ["Cold weather", "Bad night"]
    assert profile.quick_log_one_screen

    # The five measures first, then the patient's items in their order; the rest under "More detail".
    labels = page.locator(
        ".diary-form > .headline-measures .measure-label, .diary-form > .measure .measure-label, "
        ".diary-form > .quick-detail legend, .diary-form > .quick-detail label.form-label"
    )
    order = [text.strip() for text in labels.all_inner_texts()]
    assert order[:7] == ["Pain", "Spasms", "Swelling", "Skin changes", "Mood", "Sleep quality", "Triggers"], order
    more = page.locator(".detail-section")
    assert more.get_by_text("Worst pain", exact=True).count() == 1
    assert more.get_by_text("Sleep quality", exact=True).count() == 0

    # At 360 x 640, with nothing scrolled: the five measures and Save are on the screen.
    page.goto(small_phone.base + "/diary/today/")
    assert page.evaluate("window.scrollY") == 0
    small_phone.page.screenshot(path=str(small_phone_path("quick-02-today-first-screen")))
    for label in ("Pain", "Spasms", "Swelling", "Skin changes", "Mood"):
        measure = page.locator(".headline-measures [data-scale]", has=page.get_by_label(label, exact=True))
        assert in_view(page, measure.locator(".scale-buttons")), label
    save = page.get_by_role("button", name="Save today")
    assert in_view(page, save)
    buttons = page.locator(".headline-measures .scale-buttons button:visible").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [Math.round(r.width), Math.round(r.height)]; })"
    )
    assert len(buttons) == 55 and min(h for _w, h in buttons) >= 44 and min(w for w, _h in buttons) >= 28, buttons
    small_phone.axe("today, the patient's quick log")
    small_phone.page.screenshot(path=str(small_phone_path("quick-02-today-first-screen")))

    # Six taps: the five measures, then Save. A quick note is one more tap.
    taps = 0
    for label, value in (("Pain", "5"), ("Spasms", "2"), ("Swelling", "3"), ("Skin changes", "1"), ("Mood", "6")):
        measure = page.locator("[data-scale]", has=page.get_by_label(label, exact=True))
        measure.get_by_role("button", name=value, exact=True, include_hidden=True).click()
        taps += 1
    assert page.evaluate("window.scrollY") == 0  # no scrolling on the way
    page.get_by_role("button", name="Cold weather").click()
    assert page.get_by_role("button", name="Cold weather").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("textbox", name="Notes").input_value() == "Cold weather"
    save.click()
    taps += 1
    page.wait_for_url("**/diary/#day-*")
    assert taps == 6
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.pain, entry.spasms, entry.swelling, entry.skin_changes, entry.mood) == (5, 2, 3, 1, 6)
    assert entry.notes == "Cold weather"


def small_phone_path(name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}-phone-640.png"


def test_same_as_yesterday_copies_only_the_five_measures(session):
    patient = PatientFactory(username="sameagain")
    yesterday = local_today(patient) - datetime.timedelta(days=1)
    DiaryEntryFactory(
        patient=patient,
        date=yesterday,
        pain=6,
        spasms=4,
        swelling=2,
        skin_changes=3,
        mood=5,
        worst_pain=9,
        sleep_quality=2,
        notes="Yesterday's note",
    )
    session.log_in("sameagain")
    session.goto("/diary/today/")
    page = session.page
    same = page.get_by_role("link", name="Same as yesterday")
    if session.label == "phone":  # in the bar at the bottom of the screen, within the thumb's reach
        box = same.bounding_box()
        assert box["y"] > page.viewport_size["height"] / 3
        session.assert_big_enough_to_tap(".same-as-yesterday", 1)
    same.click()
    page.wait_for_url("**/diary/today/?start=previous")
    values = [
        page.get_by_label(label, exact=True).input_value()
        for label in ("Pain", "Spasms", "Swelling", "Skin changes", "Mood")
    ]
    assert values == ["6", "4", "2", "3", "5"]
    assert page.get_by_label("Worst pain").input_value() == ""
    assert page.get_by_label("Notes").input_value() == ""
    assert "Copied from" in page.locator(".headline-measures").inner_text()
    session.axe("today, same as yesterday")
    session.screenshot("quick-03-same-as-yesterday")
    page.get_by_role("button", name="Save today").click()
    page.wait_for_url("**/diary/#day-*")
    entry = DiaryEntry.objects.get(patient=patient, date=local_today(patient))
    assert (entry.pain, entry.mood, entry.worst_pain, entry.notes) == (6, 5, None, "")


def test_with_yesterday_logged_the_five_measures_and_save_still_fit_the_first_screen(small_phone):
    patient = PatientFactory(username="everyday", profile__quick_log_one_screen=True)
    DiaryEntryFactory(patient=patient, date=local_today(patient) - datetime.timedelta(days=1), pain=4, mood=6)
    small_phone.log_in("everyday")
    small_phone.goto("/diary/today/")
    page = small_phone.page
    assert page.get_by_role("link", name="Same as yesterday").is_visible()
    for label in ("Pain", "Spasms", "Swelling", "Skin changes", "Mood"):
        measure = page.locator(".headline-measures [data-scale]", has=page.get_by_label(label, exact=True))
        assert in_view(page, measure.locator(".scale-buttons")), label
    assert in_view(page, page.get_by_role("button", name="Save today"))
    small_phone.page.screenshot(path=str(small_phone_path("quick-04-today-with-yesterday")))
