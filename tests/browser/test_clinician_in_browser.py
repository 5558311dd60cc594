"""The clinician's side in a real browser: the demo clinician finds the flagged demo patient on top."""

import io
import itertools
import re
import unicodedata

import pypdf
import pytest
from django.conf import settings

from accounts.selectors import local_today
from careteam.selectors import pre_appointment_report
from demo.services import demo_data_load
from tests.browser.conftest import SCREENSHOTS, wait_for_chart
from tests.factories import ClinicianFactory, PatientFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(db):
    settings.DEBUG = True
    try:
        return demo_data_load()
    finally:
        settings.DEBUG = False


def test_the_demo_clinician_reviews_the_flagged_demo_patient(session, demo):
    quiet = PatientFactory(username="quiet-patient", first_name="Quinn", last_name="Quiet")
    long_name = PatientFactory(username="eleanor-" + "a" * 40)  # a name with no place to break
    from careteam.services import access_grant
    from flags.models import Flag
    from flags.services import flag_acknowledge

    access_grant(patient=quiet, clinician_identifier="demo-clinician")
    access_grant(patient=long_name, clinician_identifier="demo-clinician")
    newest = Flag.objects.filter(patient__username="demo-patient", resolved_on=None).first()
    flag_acknowledge(flag=newest, by=newest.patient, note="Told my physio")  # the patient has seen it
    page = session.page
    session.log_in("demo-clinician", "demo-pass-2026")
    page.wait_for_url("**/care/clinician/")
    rows = page.locator("table.triage-table tbody tr")
    assert "Alex Demo" in rows.first.inner_text()  # on top, because of the demo flags
    assert "Pain" in rows.first.inner_text()
    session.axe("clinician home")
    session.screenshot("40-clinician-home")
    # Every column of every row is in view, also on a phone (there, they were off to the side).
    width = page.viewport_size["width"]
    for cell in page.locator("table.triage-table tbody :is(th, td)").all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (cell.inner_text()[:40], box, session.label)
    if session.label == "phone":  # each line says what it is
        label = rows.first.locator("td").first.evaluate("e => getComputedStyle(e, '::before').content")
        assert label == '"Open flags: "', label
    rows.first.get_by_role("link").click()
    page.wait_for_url(re.compile(r".*/care/clinician/patients/\d+/"))
    wait_for_chart(page)
    assert "from the usual" in page.locator("#flags-heading ~ article").first.inner_text()
    session.axe("clinician patient review")
    session.screenshot("41-clinician-review")
    if session.label == "phone":  # 44x44 px targets, still small text (they were 31 px high)
        session.assert_big_enough_to_tap(".page-head .btn", 2)  # Pre-appointment report, FHIR export
        # Each open flag's two notes and Acknowledge; the appointment's date, note and Record appointment.
        open_flags = page.locator("#flags-heading ~ article form").count()
        assert open_flags >= 1
        session.assert_big_enough_to_tap(".inline-form .form-control, .inline-form .btn", 3 * open_flags + 3)
    # The patient's acknowledgement leaves the clinician theirs: both are then shown.
    card = page.locator("#flags-heading ~ article").filter(has_text="Told my physio")
    assert "Alex Demo (patient) acknowledged this on" in card.inner_text()
    note = card.get_by_label("Note for the patient")
    assert note.evaluate("e => document.getElementById(e.getAttribute('aria-describedby')).textContent") == (
        "The patient will see this note."
    )
    note.fill("Reviewed, keep going")
    card.get_by_label("Care-team-only note").fill("Consider a repeat block")
    card.get_by_role("button", name="Acknowledge").click()
    wait_for_chart(page)
    text = card.inner_text()
    assert "Told my physio" in text and "You acknowledged this on" in text and "Reviewed, keep going" in text
    assert "(the patient sees this note)" in text
    assert "Care-team-only note, not shown to the patient: “Consider a repeat block”" in text
    assert card.locator("form").count() == 0
    session.axe("clinician patient review, flag acknowledged")
    session.screenshot("41-clinician-review-acknowledged")
    # The clinician records an appointment; its Delete is a 44x44 px button (it was a 44x16 px link).
    page.get_by_label("Note", exact=True).fill("Follow-up")
    page.get_by_role("button", name="Record appointment").click()
    wait_for_chart(page)
    assert "recorded" in page.get_by_role("status").inner_text()
    session.screenshot("41-clinician-review-appointment")
    if session.label == "phone":
        session.assert_big_enough_to_tap(".appointments .btn", 1)
    # Back on the list, the acknowledged flag is grey; the others are still red.
    session.goto("/care/clinician/")
    badges = page.locator("table.triage-table tbody tr").first.locator(".badge")
    assert badges.filter(has_text="acknowledged").count() == 1
    assert page.locator("table.triage-table .badge.text-bg-danger").count() == badges.count() - 1 >= 1
    session.screenshot("40-clinician-home-acknowledged")


def test_a_clinician_without_consent_reaches_nothing(session, demo):
    ClinicianFactory(username="other-dr")
    session.log_in("other-dr")
    page = session.page
    assert "No patient has shared their diary with you yet" in page.content()
    response = page.goto(f"{session.base}/care/clinician/patients/{demo.patient.pk}/")
    assert response.status == 404
    session.console_errors.clear()  # the 404 itself is logged by the browser


def test_the_patient_shares_with_a_code_and_sees_the_log(session, demo):
    page = session.page
    session.log_in("demo-patient", "demo-pass-2026")
    session.goto("/care/sharing/")
    assert "Sam Rivera" in page.locator("ul.list-unstyled").first.inner_text()
    page.get_by_label("With whom, or a note").fill("Pain clinic")
    page.get_by_label("Date").fill("2026-11-02")
    page.get_by_role("button", name="Record appointment").click()
    assert "Monday 2 November 2026: Pain clinic" in page.locator(".appointments").inner_text()
    page.get_by_role("button", name="Make a one-time code instead").click()
    code = page.locator(".share-code").inner_text()
    assert len(code) == 10
    # The code waits in the list, with its expiry date and a Cancel that names it.
    assert code in page.locator(".current-item").filter(has_text="expires").inner_text()
    assert page.get_by_role("button", name=f"Cancel code {code}").is_visible()
    session.axe("sharing")
    session.screenshot("42-sharing")
    if session.label == "phone":  # 44x44 px targets (the boxes and buttons were 38 px high, Delete a 53x19 px link)
        # Stop sharing and the code's Cancel; the clinician box and Share; Make another code; the date and
        # note boxes, Record appointment.
        session.assert_big_enough_to_tap("main .current-item .btn", 2)
        session.assert_big_enough_to_tap("main form :is(.btn, .form-control)", 7)
        session.assert_big_enough_to_tap(".appointments .btn", 1)
    # Stop sharing asks first, and says the code stops working too.
    page.get_by_role("link", name="Stop sharing with Sam Rivera").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Stop sharing your diary with Sam Rivera?"
    assert "Your unused share code will stop working too." in page.locator("main").inner_text()
    session.axe("stop sharing")
    session.screenshot("42-sharing-stop")
    if session.label == "phone":
        session.assert_big_enough_to_tap("main form .btn", 2)  # Stop sharing, Keep sharing
    page.get_by_role("button", name="Stop sharing").click()
    page.wait_for_url("**/care/sharing/")
    assert (
        "Sam Rivera no longer has access. Your unused share code was cancelled too"
        in page.get_by_role("status").inner_text()
    )
    assert "Codes not used yet" not in page.locator("main").inner_text()
    # A new code can be cancelled by itself.
    page.get_by_role("button", name="Make a one-time code instead").click()
    code = page.locator(".share-code").inner_text()
    page.get_by_role("button", name=f"Cancel code {code}").click()
    page.wait_for_url("**/care/sharing/")
    assert f"The code {code} was cancelled" in page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name=re.compile("Cancel code")).count() == 0


def test_the_two_factor_setup_page(session, db):
    ClinicianFactory(username="new-dr")
    page = session.page
    session.goto("/login/")
    page.get_by_label("Username").fill("new-dr")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/accounts/2fa/setup/**")
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()
    session.axe("two-factor setup")
    session.screenshot("43-two-factor-setup")
    # The secret shows in groups of four, set apart by margins, so a copy of it is the bare secret.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import base32_secret

    secret = base32_secret(TOTPDevice.objects.get(user__username="new-dr"))
    groups = page.locator(".totp-secret > span")
    assert groups.all_inner_texts() == [secret[i : i + 4] for i in range(0, len(secret), 4)]
    first, second = groups.nth(0).bounding_box(), groups.nth(1).bounding_box()
    assert second["x"] - (first["x"] + first["width"]) >= 8 or second["y"] > first["y"]
    copied = page.evaluate(
        "() => { const s = getSelection(); s.selectAllChildren(document.querySelector('.totp-secret'));"
        " return s.toString(); }"
    )
    assert copied == secret
    session.second_factor("new-dr")
    page.wait_for_url("**/care/clinician/")


# A4 less the report's 10 mm margins (print.css): 190 mm at 96 px an inch, and a px for rounding.
PRINTABLE_WIDTH = 190 / 25.4 * 96 + 1


def test_the_report_prints_whole_on_two_a4_pages_from_any_window(session, demo):
    page = session.page
    session.log_in("demo-clinician", "demo-pass-2026")
    session.goto(f"/care/patients/{demo.patient.pk}/report/?range=90")
    page.wait_for_selector(".trend-chart.chart-ready")
    assert "Pre-appointment report: Alex Demo" in page.content()
    session.axe("report")
    session.screenshot("44-report")  # on a phone: the cards wrap, no sideways scrolling (was 782 px wide)
    # While printing, the chart is as wide as the paper between the margins, whatever the window's
    # width: drawn 1116 px wide in a 1280 px window, its last 2.5 weeks were cut off at the page's
    # edge, and Chromium laid the page out 1.5 times too wide and shrank it (9pt printed as 6pt).
    page.evaluate(
        """() => matchMedia("print").addEventListener("change", event => {
          if (!event.matches) return;
          const chart = document.querySelector(".trend-chart .main-svg").getBoundingClientRect();
          const report = document.querySelector(".report").getBoundingClientRect();
          window.printed = {left: chart.left, right: chart.right, page: report.width};
        })"""
    )
    pdf = page.pdf(format="A4", print_background=True)
    (SCREENSHOTS / f"44-report-{session.label}.pdf").write_bytes(pdf)
    printed = page.evaluate("window.printed")
    assert printed["left"] >= 0 and printed["right"] <= PRINTABLE_WIDTH, printed
    assert printed["page"] <= PRINTABLE_WIDTH, printed
    # Back on screen, the chart fills its box again.
    page.wait_for_function(
        "() => Math.abs(document.querySelector('.trend-chart .main-svg').getBoundingClientRect().width"
        " - document.querySelector('.trend-chart').clientWidth) < 3"
    )
    # The demo's 90 days at true size, read back from the PDF: page 1 is the picture in figures (now
    # against usual, the flags then and now, the signs, what changed in treatment); page 2 the chart,
    # the patient's own words, medicines as taken and the chart in words.
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2, len(reader.pages)
    # NFKC: the PDF's text has ligatures ("ﬂ" for "fl").
    first, second = (" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in reader.pages)
    report = pre_appointment_report(demo.patient, {"range": "90"}, today=local_today(demo.patient), measure_height=95)
    for card in report.dash.cards:
        now = card.now
        assert f"{card.measure.label} {now.now_shown} ({now.now.count} d) {now.usual_shown}" in first, card
        if card.flagged_on:  # an open flag: worse, against the level it was raised against
            assert f"{now.usual_shown} (flag {card.flagged_on:%-d %b})" in first and card.verdict == "worse", card
    assert first.count("When raised:") == len(report.flags) >= 3  # open ones and those resolved in the period
    assert first.count("Now: last 7 days") == len([f for f in report.flags if f.is_open]) >= 2
    assert "CRPS signs" in first and "Stellate ganglion nerve block" in first
    assert "Relief: 50 % relief for 4 days" in first  # the block's relief, as the patient recorded it
    assert "Questions for this appointment" in second and "Want to ask about this at clinic" in second
    assert "Medicines as taken" in second and "The chart in words" in second
    # The small print is readable on paper: 9pt at least (8pt was too small to read).
    page.emulate_media(media="print")
    small_print = (
        ".report-now td, .report-signs td, .report-flag, .report-changes li, .chart-legend li, .chart-summaries li"
    )
    sizes = page.locator(small_print).evaluate_all("ps => ps.map(p => parseFloat(getComputedStyle(p).fontSize))")
    assert len(sizes) >= 40 and min(sizes) >= 12, sizes  # 12px = 9pt


def test_a_report_with_many_treatments_prints_every_measure_readable(desktop, demo):
    """Each treatment lane keeps its 16 px on paper; with many lanes the chart grows rather than squeeze
    the five measures to nothing (with 22 lanes their panels overlapped)."""
    from tests.factories import MedicationFactory

    for n in range(18):
        MedicationFactory(patient=demo.patient, name=f"Trial medicine {n}")
    page = desktop.page
    desktop.log_in("demo-clinician", "demo-pass-2026")
    desktop.goto(f"/care/patients/{demo.patient.pk}/report/?range=90")
    page.wait_for_selector(".trend-chart.chart-ready")
    page.emulate_media(media="print")
    page.wait_for_function("() => document.querySelector('.trend-chart')._fullLayout.width < 800")
    panels = page.evaluate(
        """() => { const layout = document.querySelector('.trend-chart')._fullLayout;
          return Object.keys(layout).filter(k => /^yaxis\\d*$/.test(k))
            .map(k => [layout[k].type, Math.round(layout[k]._length), layout[k].domain]); }"""
    )
    measures = [length for kind, length, _ in panels if kind != "category"]
    assert len(measures) == 5 and min(measures) >= 44, panels
    domains = sorted(domain for _, _, domain in panels)
    assert all(0 <= low < high <= 1 for low, high in domains), panels  # each panel in the plot, upright
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(domains)), panels  # none overlap
    pdf = page.pdf(format="A4", print_background=True)
    (SCREENSHOTS / "45-report-many-treatments.pdf").write_bytes(pdf)
