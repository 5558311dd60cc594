"""The daily log the patient shapes, on a 360 x 640 phone: their detail items in their order, quick
notes as one-tap chips, "Same as yesterday", and the five measures and Save without scrolling."""

import datetime
import re

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


MEASURES = ("Pain", "Spasms", "Swelling", "Skin changes", "Mood")

# Each number button of the five measures: its measure, value, box, and whether it is the element the
# screen shows at its centre (nothing, such as the Save bar that sticks to the bottom, covers it).
NUMBER_BUTTONS = """els => els.map(e => {
  const r = e.getBoundingClientRect();
  const label = e.closest('[data-scale]').querySelector('.measure-label').textContent.trim();
  return {measure: label, value: e.dataset.value, x: r.x, y: r.y, width: r.width, height: r.height,
          on_top: document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === e};
})"""


def number_buttons(page) -> list[dict]:
    return page.locator(".headline-measures .scale-buttons button:not(.scale-clear)").evaluate_all(NUMBER_BUTTONS)


def assert_one_screen(page) -> list[dict]:
    """At 360 x 640 with nothing scrolled: all eleven number buttons of each of the five measures,
    44 x 44 px at least, whole on the screen above the Save bar and uncovered; Save (and "Same as
    yesterday" when there) whole on the screen too. Returns the buttons."""
    assert page.evaluate("[window.scrollX, window.scrollY]") == [0, 0]
    buttons = number_buttons(page)
    assert [(b["measure"], b["value"]) for b in buttons] == [(m, str(n)) for m in MEASURES for n in range(11)]
    small = [(b["measure"], b["value"], b["width"], b["height"]) for b in buttons if min(b["width"], b["height"]) < 44]
    assert not small, f"number buttons under 44 x 44 px: {small}"
    bar = page.locator(".save-bar").bounding_box()
    hidden = [
        (b["measure"], b["value"], round(b["y"]), round(b["y"] + b["height"]))
        for b in buttons
        if b["y"] < 0 or b["y"] + b["height"] > bar["y"] or b["x"] < 0 or b["x"] + b["width"] > 360 or not b["on_top"]
    ]
    assert not hidden, f"number buttons not whole on the first screen (Save bar at {bar['y']}): {hidden}"
    height = page.viewport_size["height"]
    for control in page.locator(".save-bar .btn:visible").all():
        box = control.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (control.inner_text(), box)
        assert box["height"] >= 44 and box["width"] >= 44, (control.inner_text(), box)
    return buttons


def tap_five_and_save(page, values, save_name) -> int:
    """Tap each measure's value where it is on the screen (the mouse at that point: nothing scrolls
    the page for it), then Save; returns the number of taps."""
    taps = 0
    for measure, value in zip(MEASURES, values, strict=True):
        button = next(b for b in number_buttons(page) if b["measure"] == measure and b["value"] == str(value))
        page.mouse.click(button["x"] + button["width"] / 2, button["y"] + button["height"] / 2)
        taps += 1
        assert page.get_by_label(measure, exact=True).input_value() == str(value), measure
    assert page.evaluate("window.scrollY") == 0  # no scrolling on the way
    selected = page.locator(".headline-measures .scale-buttons button.selected").all_inner_texts()
    assert selected == [str(v) for v in values]
    box = page.get_by_role("button", name=save_name).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    taps += 1
    page.wait_for_url("**/diary/#day-*")
    return taps


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

    # At 360 x 640, with nothing scrolled: the five measures' 55 buttons, each 44 x 44 px at least, and Save.
    page.goto(small_phone.base + "/diary/today/")
    buttons = assert_one_screen(page)
    # Two rows per measure beside its name: 0-5, then 6-10 under 0-4, the name at the left of both.
    for measure in MEASURES:
        row = [b for b in buttons if b["measure"] == measure]
        label = page.locator(".headline-measures [data-scale]", has=page.get_by_label(measure, exact=True)).locator(
            ".measure-label"
        )
        label_box = label.bounding_box()
        assert len({round(b["y"]) for b in row[:6]}) == 1 and len({round(b["y"]) for b in row[6:]}) == 1, measure
        assert row[6]["y"] >= row[0]["y"] + 44 and [round(b["x"]) for b in row[6:]] == [round(b["x"]) for b in row[:5]]
        assert label_box["x"] + label_box["width"] <= row[0]["x"] and label_box["y"] < row[0]["y"] + 44, measure
    # The Save bar in the lower two thirds; the targets in the top third are Pain's eleven and Spasms' 0-5.
    third = page.viewport_size["height"] / 3
    assert page.get_by_role("button", name="Save today").bounding_box()["y"] > third
    top_third = [(b["measure"], b["value"]) for b in buttons if b["y"] < third]
    assert set(top_third) <= {("Pain", str(n)) for n in range(11)} | {("Spasms", str(n)) for n in range(6)}, top_third
    small_phone.axe("today, the patient's quick log")
    small_phone.page.screenshot(path=str(small_phone_path("quick-02-today-first-screen")))

    # The number box, the keyboard's and screen reader's control, shows when it has the focus.
    pain = page.get_by_label("Pain", exact=True)
    pain.focus()
    assert pain.is_visible() and pain.bounding_box()["width"] >= 44
    pain.fill("7")
    assert page.locator(".headline-measures .scale-buttons button.selected").all_inner_texts() == ["7"]
    pain.fill("")
    page.locator("h1").click()  # the focus leaves the box, which goes out of sight again
    assert_one_screen(page)

    # A quick note is one tap more (under the measures: the page scrolls to it, and back for the six taps).
    page.get_by_role("button", name="Cold weather").click()
    assert page.get_by_role("button", name="Cold weather").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("textbox", name="Notes").input_value() == "Cold weather"
    page.evaluate("window.scrollTo(0, 0)")
    # Six taps: the five measures, then Save.
    assert tap_five_and_save(page, (5, 2, 3, 1, 6), "Save today") == 6
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.pain, entry.spasms, entry.swelling, entry.skin_changes, entry.mood) == (5, 2, 3, 1, 6)
    assert entry.date == local_today(patient)
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
    same = page.get_by_role("link", name="Same as yesterday")
    assert same.is_visible()
    # The bar's "Same as yesterday" is "Start from your last entry" here: it is not shown twice.
    assert not page.get_by_role("link", name=re.compile("Start from your last entry")).is_visible()
    assert_one_screen(page)
    third = page.viewport_size["height"] / 3
    assert same.bounding_box()["y"] > third and same.bounding_box()["height"] >= 44
    small_phone.axe("today, the quick log with yesterday logged")
    small_phone.page.screenshot(path=str(small_phone_path("quick-04-today-with-yesterday")))
    assert tap_five_and_save(page, (3, 0, 10, 4, 7), "Save today") == 6
    entry = DiaryEntry.objects.get(patient=patient, date=local_today(patient))
    assert (entry.pain, entry.spasms, entry.swelling, entry.skin_changes, entry.mood) == (3, 0, 10, 4, 7)


def test_a_day_already_logged_still_fits_the_first_screen_and_says_it_is_logged(small_phone):
    patient = PatientFactory(username="everyday", profile__quick_log_one_screen=True)
    DiaryEntryFactory(patient=patient, date=local_today(patient), pain=4, mood=6)
    small_phone.log_in("everyday")
    small_phone.goto("/diary/today/")
    page = small_phone.page
    assert page.get_by_role("heading", level=1).inner_text().endswith("logged")
    assert_one_screen(page)
    small_phone.axe("today, the quick log already logged")
    small_phone.page.screenshot(path=str(small_phone_path("quick-07-today-already-logged")))
    assert tap_five_and_save(page, (5, 1, 2, 3, 4), "Save changes") == 6
    entry = DiaryEntry.objects.get(patient=patient, date=local_today(patient))
    assert (entry.pain, entry.spasms, entry.swelling, entry.skin_changes, entry.mood) == (5, 1, 2, 3, 4)


def test_with_an_older_last_entry_its_copy_sits_beside_save(small_phone):
    """The patient missed yesterday: "Start from your last entry" moves to the bar as "Same as" that day,
    and the five measures and Save still fit."""
    patient = PatientFactory(username="skipped", profile__quick_log_one_screen=True)
    last = local_today(patient) - datetime.timedelta(days=3)
    DiaryEntryFactory(patient=patient, date=last, pain=4, spasms=1, swelling=2, skin_changes=0, mood=6)
    small_phone.log_in("skipped")
    small_phone.goto("/diary/today/")
    page = small_phone.page
    assert not page.get_by_role("link", name="Same as yesterday").count()
    assert not page.get_by_role("link", name=re.compile("Start from your last entry")).is_visible()
    same = page.get_by_role("link", name=f"Same as {last:%a} {last.day} {last:%b}")
    assert_one_screen(page)
    assert same.bounding_box()["y"] > page.viewport_size["height"] / 3
    small_phone.axe("today, the quick log with an older last entry")
    small_phone.page.screenshot(path=str(small_phone_path("quick-05-today-older-last-entry")))
    same.click()
    page.wait_for_url("**/diary/today/?start=previous")
    values = [page.get_by_label(label, exact=True).input_value() for label in MEASURES]
    assert values == ["4", "1", "2", "0", "6"]


def test_the_one_screen_choice_changes_only_the_phone_layout(desktop):
    """On a wide screen the log keeps its usual layout: each scale one row of eleven buttons and Clear,
    the number box beside the name, "Start from your last entry" above the measures."""
    patient = PatientFactory(username="widescreen", profile__quick_log_one_screen=True)
    DiaryEntryFactory(patient=patient, date=local_today(patient) - datetime.timedelta(days=3), pain=4)
    desktop.log_in("widescreen")
    desktop.goto("/diary/today/")
    page = desktop.page
    buttons = number_buttons(page)
    assert len(buttons) == 55 and len({round(b["y"]) for b in buttons if b["measure"] == "Pain"}) == 1
    assert page.get_by_label("Pain", exact=True).is_visible()
    assert page.get_by_role("link", name=re.compile("Start from your last entry")).is_visible()
    assert page.locator(".save-bar .same-as-last").is_hidden()
    desktop.axe("today, one-screen choice on a wide screen")
    desktop.screenshot("quick-06-one-screen-choice")
