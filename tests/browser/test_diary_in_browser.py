"""The diary as a patient uses it, in a real browser, at phone and desktop widths."""

import datetime
import re

import pytest

from accounts.models import User
from accounts.selectors import local_today
from symptoms.models import DiaryEntry
from tests.factories import DiaryEntryFactory, PatientFactory

pytestmark = pytest.mark.browser


def test_sign_up_log_today_edit_it_and_see_it_in_history(session):
    page = session.page
    session.goto("/accounts/signup/")
    session.axe("sign up")
    session.screenshot("01-sign-up")
    page.get_by_label("Username").fill("newpatient")
    page.locator("#id_password1").fill("a-long-enough-passphrase")
    page.locator("#id_password2").fill("a-long-enough-passphrase")
    # The browser's own zone is proposed by the page's script.
    assert page.get_by_label("Time zone").input_value() == "Europe/London"
    page.get_by_role("button", name="Create account").click()

    page.wait_for_url("**/diary/today/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Today")
    session.axe("today, empty")
    session.screenshot("02-today-empty")

    # Pointer: tap the 0-10 buttons. Pain 6, spasms 4, mood 3; swelling and skin left empty.
    for label, value in (("Pain", "6"), ("Spasms", "4"), ("Mood", "3")):
        measure = page.locator("[data-scale]", has=page.get_by_label(label, exact=True))
        measure.get_by_role("button", name=value, exact=True, include_hidden=True).click()
        assert page.get_by_label(label, exact=True).input_value() == value
    page.get_by_label("Notes").fill("Cold morning, hand clenched")
    session.screenshot("03-today-filled")
    page.get_by_role("button", name="Save today").click()

    page.wait_for_url("**/diary/#day-*")
    assert "Saved your entry" in page.get_by_role("status").inner_text()
    session.axe("history")
    session.screenshot("04-history")
    if session.label == "phone":  # Download CSV, Import CSV: 44x44 px targets (they were 31 px high)
        session.assert_big_enough_to_tap(".page-head .btn", 2)
    user = User.objects.get(username="newpatient")
    entry = DiaryEntry.objects.get(patient=user)
    assert (entry.pain, entry.spasms, entry.swelling, entry.skin_changes, entry.mood) == (6, 4, None, None, 3)
    today_row = page.locator(f"#day-{entry.date.isoformat()}")
    assert today_row.locator("td").nth(0).inner_text() == "6"

    # Edit: open the day from the history and change pain by typing.
    today_row.get_by_role("link").click()
    page.wait_for_url("**/diary/today/")
    assert "You logged this day" in page.content()
    page.get_by_label("Pain", exact=True).fill("3")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("**/diary/#day-*")
    assert "Updated your entry" in page.get_by_role("status").inner_text()
    assert today_row.locator("td").nth(0).inner_text() == "3"
    entry.refresh_from_db()
    assert entry.pain == 3
    assert DiaryEntry.objects.filter(patient=user).count() == 1


def test_the_form_works_by_keyboard_alone(phone):
    PatientFactory(username="keys")
    phone.log_in("keys")
    phone.goto("/diary/today/")
    page = phone.page
    page.get_by_label("Pain", exact=True).focus()
    page.keyboard.type("7")
    page.keyboard.press("Tab")  # to Spasms: the tap buttons are out of the tab order
    assert page.evaluate("document.activeElement.id") == "id_spasms"
    page.keyboard.type("2")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url("**/diary/#day-*")
    entry = DiaryEntry.objects.get(patient__username="keys")
    assert (entry.pain, entry.spasms) == (7, 2)


def test_the_tap_buttons_are_big_enough_for_stiff_fingers_on_a_phone(phone):
    """Every 0-10 button, the nested ones too, is at least 44x44 px at 360 px, in two rows: 0-5 then 6-10."""
    PatientFactory(username="fingers")
    phone.log_in("fingers")
    phone.goto("/diary/today/")
    page = phone.page
    page.locator("details.detail-section > summary").click()
    scales = page.locator(".scale-buttons")
    assert scales.count() == 9  # five headline measures, four in "More detail"
    for i in range(scales.count()):
        boxes = [b.bounding_box() for b in scales.nth(i).locator("button[data-value]:not([data-value=''])").all()]
        assert len(boxes) == 11
        sizes = [(n, round(b["width"]), round(b["height"])) for n, b in enumerate(boxes)]
        small = [size for size in sizes if min(size[1:]) < 44]
        assert not small, f"scale {i}: buttons under 44x44 px: {small}"
        rows = [round(b["y"]) for b in boxes]
        assert rows[:6] == [rows[0]] * 6 and rows[6:] == [rows[6]] * 5 and rows[6] > rows[0]
        assert [b["x"] for b in boxes[:6]] == sorted(b["x"] for b in boxes[:6])
        assert [b["x"] for b in boxes[6:]] == sorted(b["x"] for b in boxes[6:])
    # Each label shares its line with the number field alone: none runs to three lines.
    heights = page.locator(".measure-label").evaluate_all("labels => labels.map(l => l.offsetHeight)")
    assert max(heights) < 2.5 * min(heights), heights
    # The number field is still the control: a tap fills it, typing lights the button.
    pain = page.locator("[data-scale]", has=page.get_by_label("Pain", exact=True))
    pain.get_by_role("button", name="10", exact=True, include_hidden=True).click()
    assert page.get_by_label("Pain", exact=True).input_value() == "10"
    page.get_by_label("Pain", exact=True).fill("2")
    assert pain.locator("button.selected").inner_text() == "2"


def test_a_double_tap_on_save_makes_one_entry(phone):
    PatientFactory(username="twice")
    phone.log_in("twice")
    phone.goto("/diary/today/")
    page = phone.page
    page.get_by_label("Pain", exact=True).fill("5")
    page.get_by_role("button", name="Save today").dblclick()
    page.wait_for_url("**/diary/#day-*")
    assert DiaryEntry.objects.filter(patient__username="twice").count() == 1


def test_backfill_a_missed_day_and_see_the_form_errors(session):
    patient = PatientFactory(username="backfill")
    session.log_in("backfill")
    session.goto("/diary/today/")
    page = session.page
    day = local_today(patient) - datetime.timedelta(days=3)
    if session.label == "phone":  # the day picker's date box and Go: 44 px high (they were 38 px)
        session.assert_big_enough_to_tap(".pick-day .form-control, .pick-day .btn", 2)
    page.get_by_label("Log or edit another day").fill(day.isoformat())
    page.get_by_role("button", name="Go").click()
    page.wait_for_url(f"**/diary/{day.isoformat()}/")
    page.get_by_label("Pain", exact=True).fill("12")
    page.get_by_role("button", name=f"Save {day:%a} {day.day} {day:%b}").click()
    assert page.get_by_text("Ensure this value is less than or equal to 10.").is_visible()
    session.axe("form with errors")
    session.screenshot("05-form-error")
    assert not DiaryEntry.objects.filter(patient=patient).exists()
    page.get_by_label("Pain", exact=True).fill("4")
    page.get_by_role("button", name=f"Save {day:%a} {day.day} {day:%b}").click()
    page.wait_for_url("**/diary/#day-*")
    assert DiaryEntry.objects.get(patient=patient).date == day


def test_import_rejects_a_bad_file_and_writes_nothing(session, tmp_path):
    patient = PatientFactory(username="importer")
    DiaryEntryFactory(patient=patient, date=datetime.date(2026, 1, 1), pain=2)
    bad = tmp_path / "bad.csv"
    bad.write_text("date,pain,spasms,swelling,skin_changes,mood\n2026-01-01,9,,,,\n2026-01-02,15,,,,\n")
    session.log_in("importer")
    session.goto("/diary/import/")
    session.axe("import")
    page = session.page
    page.get_by_label("Diary CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    errors = page.locator("#import-errors")
    assert "Nothing was imported" in errors.inner_text()
    assert "Line 3: pain '15': Ensure this value is less than or equal to 10." in errors.inner_text()
    session.axe("import errors")
    session.screenshot("06-import-errors")
    assert DiaryEntry.objects.get(patient=patient).pain == 2


def test_other_pages_pass_axe(session):
    patient = PatientFactory(username="auditor", email_confirmed=False)  # the profile offers the link again
    for days_ago in range(0, 70, 2):  # three pages of history: page 2 has Newer days and Older days
        DiaryEntryFactory(
            patient=patient,
            date=local_today(patient) - datetime.timedelta(days=days_ago),
        )
    session.goto("/login/")
    session.axe("login")
    session.screenshot("00-login")
    session.log_in("auditor")
    session.goto("/diary/today/")
    session.axe("today, logged")
    session.screenshot("07-today-logged")
    session.page.locator("details.detail-section > summary").click()
    # On a phone the Save bar sticks to the bottom of the screen, and axe counts a checkbox scrolled
    # under it as too small a target; at the end of the form the bar is in its own place. (That every
    # control scrolls clear of the bar: test_save_is_within_thumb_reach_on_a_phone_and_never_covers_a_field.)
    session.page.evaluate("window.scrollTo({top: document.documentElement.scrollHeight, behavior: 'instant'})")
    session.axe("today, detail open")
    session.screenshot("08-today-detail")
    session.goto(f"/diary/{local_today(patient) - datetime.timedelta(days=1)}/")
    session.axe("yesterday, not logged")
    session.screenshot("08-yesterday-not-logged")
    if session.label == "phone":  # Start from your last entry: 44 px high (it was 31 px)
        session.assert_big_enough_to_tap(".item-actions .btn", 1)
    for path, name in (
        ("/accounts/profile/", "09-profile"),
        ("/accounts/email/", "09-email"),
        ("/diary/?page=2", "10-history-page-2"),
    ):
        session.goto(path)
        session.axe(name)
        session.screenshot(name)
        if name == "09-profile" and session.label == "phone":  # Send the link again: 44 px high (it was 38 px)
            session.assert_big_enough_to_tap(".item-actions .btn", 1)
        if name == "10-history-page-2" and session.label == "phone":
            # Each day's link (it was 32 px high), Newer days and Older days (they were 38 px high)
            session.assert_big_enough_to_tap(".history-table tbody th a", 28)
            session.assert_big_enough_to_tap(".page-links .btn", 2)
    session.goto(f"/diary/{local_today(patient) - datetime.timedelta(days=2)}/delete/")
    session.axe("delete")
    # A reminder asked for without an e-mail address: the error and the help sit under the box, full width
    # (on a phone they were squeezed into two narrow columns beside it).
    patient.email = ""
    patient.save()
    session.goto("/accounts/profile/")
    session.page.get_by_label("Send me a daily reminder").check()
    session.page.get_by_role("button", name="Save profile").click()
    session.page.wait_for_load_state()
    box = session.page.locator("#div_id_reminder_enabled")
    error, checkbox = box.locator(".invalid-feedback"), box.locator("input")
    assert "add an e-mail address first" in error.inner_text()
    assert error.bounding_box()["y"] >= checkbox.bounding_box()["y"] + checkbox.bounding_box()["height"]
    assert error.bounding_box()["width"] >= 0.8 * box.bounding_box()["width"]
    session.axe("profile, reminder without e-mail")
    session.screenshot("09-profile-reminder-error")


def test_the_diary_page_loads_with_non_local_requests_blocked_styles_included(phone):
    PatientFactory(username="offline")
    phone.log_in("offline")
    phone.goto("/diary/today/")
    page = phone.page
    # Bootstrap's and our own stylesheet applied: the save button is our blue, the page our grey.
    assert page.get_by_role("button", name="Save today").evaluate("b => getComputedStyle(b).backgroundColor") == (
        "rgb(31, 95, 139)"
    )
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(246, 248, 250)"
    # Our script ran: the tap buttons were revealed.
    assert page.locator(".scale-buttons").first.is_visible()
    sheets = page.evaluate("[...document.styleSheets].map(s => s.href)")
    assert all(href.startswith(phone.base) for href in sheets)
    # The fixture's teardown asserts that no request left the machine and no CSP error occurred.


def test_a_forgotten_password_is_replaced_from_the_e_mailed_link(session, mailoutbox, settings, live_server):
    settings.SITE_URL = live_server.url  # e-mailed links are built from SITE_URL, as in production
    PatientFactory(username="forgetful", email="forgetful@example.org")
    session.goto("/login/")
    session.page.get_by_role("link", name="Forgotten your password?").click()
    session.page.get_by_label("Email").fill("forgetful@example.org")
    session.axe("password reset")
    session.screenshot("11-password-reset")
    session.page.get_by_role("button", name="Send the link").click()
    session.page.get_by_role("heading", name="Check your e-mail").wait_for()
    (message,) = mailoutbox
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group(0)
    assert link.startswith(live_server.url + "/")
    session.page.goto(link)
    session.page.locator("#id_new_password1").fill("a-brand-new-Passphrase-7")
    session.page.locator("#id_new_password2").fill("a-brand-new-Passphrase-7")
    session.axe("choose a new password")
    session.screenshot("12-password-new")
    session.page.get_by_role("button", name="Save the new password").click()
    session.page.get_by_role("heading", name="Your new password is set").wait_for()
    session.log_in("forgetful", "a-brand-new-Passphrase-7")
    assert session.page.url.endswith("/dashboard/")
    session.check_clean()


def yesterday_with_signs(patient):
    return DiaryEntryFactory(
        patient=patient,
        date=local_today(patient) - datetime.timedelta(days=1),
        pain=7,
        spasms=5,
        swelling=4,
        skin_changes=6,
        mood=3,
        worst_pain=10,
        allodynia=True,
        skin_colour="blue_purple",
        sleep_quality=2,
        notes="Yesterday's words",
    )


def test_start_from_the_last_entry_copies_the_numbers_then_the_detail_on_request(session):
    patient = PatientFactory(username="copier")
    yesterday_with_signs(patient)
    session.log_in("copier")
    session.goto("/diary/today/")
    page = session.page
    page.get_by_role("link", name=re.compile("Start from your last entry")).click()
    page.wait_for_url("**/diary/today/?start=previous")
    assert page.get_by_label("Pain", exact=True).input_value() == "7"
    assert page.get_by_label("Worst pain").input_value() == ""  # folded away and not copied
    assert page.locator(".copied-mark:visible").count() == 5
    # The mark is part of what a screen reader hears with the field.
    assert page.get_by_label("Pain", exact=True).evaluate(
        "e => e.getAttribute('aria-describedby').split(' ').map(id => document.getElementById(id).textContent)"
    ) == ["0 = no pain, 10 = worst pain imaginable", f"Copied from {patient.diary_entries.get().date:%-d %b}"]
    session.axe("today, numbers copied")
    session.screenshot("13-today-copied")

    page.get_by_role("link", name="Also copy the detail").click()
    page.wait_for_url("**/diary/today/?start=previous&detail=yes")
    assert page.get_by_label("Worst pain").input_value() == "10"
    assert page.get_by_label("Skin colour").evaluate("e => e.value") == "blue_purple"
    assert page.locator(".copied-mark:visible").count() == 9  # 5 numbers, worst pain, allodynia, colour, sleep
    session.axe("today, detail copied")
    session.screenshot("14-today-detail-copied")

    # A changed value is the patient's own: its mark goes.
    pain = page.locator("[data-scale]", has=page.get_by_label("Pain", exact=True))
    pain.get_by_role("button", name="4", exact=True, include_hidden=True).click()
    page.get_by_label("Skin colour").select_option("normal")
    assert page.locator("#id_pain_copied").count() == 0 and page.locator("#id_skin_colour_copied").count() == 0
    assert page.locator(".copied-mark:visible").count() == 7
    assert (
        page.get_by_label("Pain", exact=True).evaluate("e => e.getAttribute('aria-describedby')").endswith("_copied")
    )  # the id stays, pointing at nothing: announced no more
    page.get_by_role("button", name="Save today").click()
    page.wait_for_url("**/diary/#day-*")
    today = DiaryEntry.objects.get(patient=patient, date=local_today(patient))
    assert (today.pain, today.worst_pain, today.skin_colour, today.notes) == (4, 10, "normal", "")


def test_save_is_within_thumb_reach_on_a_phone_and_never_covers_a_field(phone):
    patient = PatientFactory(username="thumb")
    yesterday_with_signs(patient)
    phone.log_in("thumb")
    phone.goto("/diary/today/?start=previous&detail=yes")  # the longest form: the detail open
    page = phone.page
    save = page.get_by_role("button", name="Save today")
    height = page.evaluate("window.innerHeight")
    assert page.evaluate("document.documentElement.scrollHeight") > 3 * height
    # In sight without scrolling, a 44 px target, at the bottom of the screen.
    box = save.bounding_box()
    assert page.evaluate("window.scrollY") == 0
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
    assert box["height"] >= 44 and box["y"] > height / 2
    page.screenshot(path=str(phone_screenshot("15-today-save-bar")))
    bar = page.locator(".save-bar")

    # Tab through the whole form: each field comes into view above the bar, and Save comes last.
    page.get_by_label("Pain", exact=True).focus()
    seen = []
    for _ in range(200):
        focused = page.evaluate(
            "() => { const e = document.activeElement, r = e.getBoundingClientRect(); return {id: e.id,"
            " tag: e.tagName, text: e.textContent.trim().slice(0, 20), top: r.top, bottom: r.bottom}; }"
        )
        if focused["text"] == "Save today":
            break
        seen.append(focused["id"] or focused["tag"])
        bar_top = bar.bounding_box()["y"]
        assert focused["top"] >= 0 and focused["bottom"] <= bar_top + 0.5, (focused, bar_top)
        page.keyboard.press("Tab")
    else:
        raise AssertionError(f"Save was never reached by Tab: {seen[-5:]}")
    assert "id_interference" in seen and "id_notes" in seen and "SUMMARY" in seen
    # Scrolled to the end, the bar sits below the last field, in the form's flow.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    last = page.locator("[data-scale]", has=page.get_by_label("Interference with daily activities"))
    assert last.bounding_box()["y"] + last.bounding_box()["height"] <= bar.bounding_box()["y"]
    page.screenshot(path=str(phone_screenshot("15-today-save-bar-end")))

    # Every control scrolled into view by the browser (an error, a tap on a label) clears the bar too.
    covered = page.evaluate(
        """() => {
            const bar = document.querySelector('.save-bar');
            const controls = [...document.querySelectorAll(
                '.diary-form input:not([type=hidden]), .diary-form select, .diary-form textarea',
            )].filter(e => e.offsetParent !== null);
            return [controls.length, controls.map(e => {
                e.scrollIntoView({block: 'nearest'});
                const r = e.getBoundingClientRect(), b = bar.getBoundingClientRect();
                return [e.id, Math.round(r.bottom), Math.round(b.top)];
            }).filter(([, bottom, top]) => bottom > top + 0.5)];
        }"""
    )
    assert covered[0] > 30 and covered[1] == [], covered


def phone_screenshot(name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}-phone.png"
