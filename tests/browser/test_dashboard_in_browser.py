"""The dashboard in a real browser: charts drawn under the strict CSP, range switching, accessibility."""

import re

import pytest
from django.conf import settings

from demo.services import demo_data_load
from tests.browser.conftest import PHONE, wait_for_chart

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_patient(db):
    settings.DEBUG = True  # the demo loader refuses to run otherwise
    try:
        return demo_data_load().patient
    finally:
        settings.DEBUG = False


def chart_traces(page) -> int:
    wait_for_chart(page)
    return page.evaluate("document.querySelector('.trend-chart').data.length")


def test_the_demo_dashboard_draws_its_charts_and_switches_ranges(session, demo_patient):
    page = session.page
    session.log_in("demo-patient", "demo-pass-2026")
    page.wait_for_url("**/dashboard/")
    # The demo's worsening is flagged at the top, with its numbers.
    banner = page.get_by_role("region", name=re.compile("Worth a look"))
    assert "Pain" in banner.inner_text() and "from your usual" in banner.inner_text()
    assert chart_traces(page) >= 15
    assert page.evaluate(
        "document.querySelector('.trend-chart').data.some(t => t.name === 'Pain flag')"
    )  # a band, a line and points for each of five measures, plus treatments
    assert page.locator(".trend-chart .main-svg").count() >= 1
    assert page.locator(".trend-chart .bars .point").count() >= 4  # medication and therapy spans
    # On a phone the treatment names sit inside their lanes, so the charts keep the width.
    inside = page.locator(".trend-chart .annotation-text", has_text="Gabapentin").count()
    left = page.evaluate("document.querySelector('.trend-chart')._fullLayout._size.l")
    if session.label == "phone":
        assert inside == 1 and left <= 70, (inside, left)  # it was 105 px of 360 with the names beside
    else:
        assert inside == 0 and left > 70, (inside, left)
    for card in page.locator(".summary-card.flagged").all():  # the default 90 days agree with the flags too
        assert "Worse" in card.inner_text(), card.inner_text()
    session.axe("dashboard, 90 days")
    session.screenshot("30-dashboard-90-days")
    if session.label == "phone":  # four ranges, two dates and Show: 44x44 px targets (they were 36 px high)
        session.assert_big_enough_to_tap(".range-presets .btn, .range-custom .btn, .range-custom input", 7)
        # One summary card a row (two 165 px columns broke "average, 77 / days" and the flag's line), so the
        # average, the flag and the last 7 days against the usual each read on one line.
        cards = page.locator(".summary-card")
        assert len({box["x"] for box in cards.evaluate_all("cs => cs.map(c => c.getBoundingClientRect())")}) == 1
        lines = page.locator(".summary-card :is(.card-mean .days, .badge)").evaluate_all(
            "els => els.map(e => { const r = document.createRange(); r.selectNodeContents(e);"
            " return [e.textContent.trim(), new Set([...r.getClientRects()].map(b => Math.round(b.bottom))).size]; })"
        )
        # Five means, and a badge on each card that is worse (the demo has two or three, by the weekday it is
        # loaded on: its diary has a weekly rhythm).
        assert len(lines) >= 5 + 2 and all(n == 1 for _, n in lines), lines
        # "In words": the usual level's spread stays on the line of its number, never "(±1.1)." alone on
        # the last line (at 375 px three of the demo's five ended so, with a plain space before "(±").
        page.set_viewport_size({"width": 375, "height": 780})
        tails = page.locator(".chart-summaries li").evaluate_all(
            "lis => lis.filter(li => li.textContent.includes('(±')).map(li => {"
            " const text = li.firstChild, s = text.textContent, i = s.lastIndexOf('(±');"
            " const line = (a, b) => { const r = document.createRange(); r.setStart(text, a); r.setEnd(text, b);"
            " return Math.round([...r.getClientRects()].at(-1).bottom); };"
            " return [s.slice(i - 5, i + 1), line(i - 4, i - 1) === line(i, s.length)]; })"
        )
        # (A measure with an open flag has the usual level before it, without a spread: the demo's flags
        # open and close with the date, so how many sentences carry one varies from day to day.)
        assert tails and all(t[0].endswith("\u00a0(") and t[1] for t in tails), tails
        page.set_viewport_size(PHONE)

    page.get_by_role("link", name="30 days").click()
    page.wait_for_url("**/dashboard/?range=30")
    chart_traces(page)
    # Now against usual leads, whatever the range: every measure with an open flag says worse.
    for card in page.locator(".summary-card.flagged").all():
        assert "Worse" in card.inner_text() and "flag)" in card.inner_text(), card.inner_text()
    from flags.models import Flag

    flagged = Flag.objects.filter(patient=demo_patient, resolved_on=None).values("measure").distinct().count()
    assert page.locator(".summary-card.flagged").count() == flagged >= 2
    session.axe("dashboard, 30 days")
    session.screenshot("31-dashboard-30-days")

    page.get_by_role("link", name="All", exact=True).click()
    page.wait_for_url("**/dashboard/?range=all")
    chart_traces(page)
    session.screenshot("32-dashboard-all")

    page.get_by_label("From").fill("2026-10-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/dashboard/?start=2026-10-01*")
    assert page.get_by_role("heading", name=re.compile("^1 Oct 2026 to")).is_visible()
    assert chart_traces(page) >= 10


def test_the_flags_page_explains_and_acknowledges(session, demo_patient):
    page = session.page
    session.log_in("demo-patient", "demo-pass-2026")
    session.goto("/flags/")
    session.axe("flags")
    session.screenshot("33-flags")
    if session.label == "phone":  # each open flag's note box and Acknowledge (it was 38 px high)
        forms = page.locator("article.flag-card form").count()
        assert forms >= 1
        session.assert_big_enough_to_tap("article.flag-card form :is(textarea, .btn)", 2 * forms)
    new = page.locator("article.flag-card:not(.flag-past)")
    count = new.count()
    title = new.first.get_by_role("heading").inner_text()
    # A pasted note over 2,000 characters is not cut by the browser: it comes back whole, to shorten.
    new.first.get_by_label("Note (optional)").fill("Seen by my pain team. " * 100)
    new.first.get_by_role("button", name="Acknowledge").click()
    page.wait_for_url("**/acknowledge/")
    assert "at most 2000 characters (it has 2199)" in page.locator("main").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert len(page.get_by_label("Note (optional)").input_value()) == 2200
    # The refused form is a 400 (nothing was acknowledged), which Chromium notes on the console.
    assert session.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    session.console_errors.clear()
    session.axe("flags, note too long")
    session.screenshot("33-flags-note-too-long")
    page.get_by_label("Note (optional)").fill("Seen by my pain team")
    page.get_by_role("button", name="Acknowledge").click()
    page.wait_for_url("**/flags/")
    # It moves from New to "Seen, still being watched", with the note; the others stay new.
    seen = page.locator("article.flag-card.flag-past")
    assert seen.count() == 1 and seen.first.get_by_role("heading").inner_text() == title
    assert "You acknowledged this on" in seen.first.inner_text() and "Seen by my pain team" in seen.first.inner_text()
    assert seen.first.locator("form").count() == 0 and new.count() == count - 1
    session.axe("flags, acknowledged")
    while new.count():  # acknowledge the rest
        new.first.get_by_role("button", name="Acknowledge").click()
        page.wait_for_url("**/flags/")
    assert "Nothing new." in page.locator("main").inner_text()
    session.screenshot("33-flags-all-seen")
    # The dashboard no longer raises the alarm, it says in one calm line that they are still watched.
    session.goto("/dashboard/")
    assert page.get_by_role("region", name=re.compile("Worth a look")).count() == 0
    assert page.locator(".flag-banner").count() == 0
    assert f"{count} changes you have seen are still being watched" in page.locator("main").inner_text()
    session.axe("dashboard, flags seen")
    session.screenshot("34-dashboard-flags-seen")


def test_the_signs_table_and_the_signs_strip_fit_a_phone_and_a_desktop(session, demo_patient):
    from tests.browser.conftest import SCREENSHOTS

    page = session.page
    session.log_in("demo-patient", "demo-pass-2026")
    page.wait_for_url("**/dashboard/")
    wait_for_chart(page)
    signs = page.locator("section.signs")
    text = signs.inner_text()
    # The demo's worsening brought a colder, blue, sweating limb: more often than in the weeks before.
    assert re.search(r"Temperature difference\s+Vasomotor\s+(\d) of \1\s+recorded days\s+more often", text), text
    assert "Worst pain" in text and "Sleep quality" in text
    # The tables fit their box on a phone too: nothing scrolls sideways, in the box or on the page.
    widths = page.locator("section.signs .table-responsive").evaluate_all(
        "boxes => boxes.map(b => [b.scrollWidth, b.clientWidth])"
    )
    assert len(widths) == 2 and all(scroll <= client + 1 for scroll, client in widths), widths  # 1: sub-pixel
    # The chart's signs strip, under the measures: one lane per recorded sign, marks on the days present.
    lanes = page.evaluate(
        """() => { const l = document.querySelector('.trend-chart')._fullLayout;
          return Object.keys(l).filter(k => /^yaxis\\d*$/.test(k) && l[k].type === 'category')
            .map(k => [k, l[k].categoryarray]); }"""
    )
    strip = lanes[-1][1]
    assert "Temperature" in strip and "Tremor/dystonia" in strip, lanes
    named = page.locator(".trend-chart .annotation-text", has_text="Temperature").count()
    assert named == (1 if session.label == "phone" else 0)  # on a phone the names sit inside their lanes
    session.axe("dashboard, signs")
    # Parts of the full page (an element's own screenshot resizes the window, which redraws the chart).
    for name, selector in (("35-dashboard-signs-strip", ".trend-chart"), ("35-dashboard-signs", "section.signs")):
        box = page.locator(selector).evaluate(
            "el => { const r = el.getBoundingClientRect();"
            " return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; }"
        )
        page.screenshot(path=SCREENSHOTS / f"{name}-{session.label}.png", full_page=True, clip=box)
    session.screenshot("35-dashboard-signs-page")


def test_a_chart_keeps_its_height_when_the_window_is_resized(desktop, demo_patient):
    """Turning a phone, or resizing a window: plotly's responsive redraw sized the chart from its box,
    which had shrunk to the CSS minimum (300 px): the figure was squashed, or spilled over the section
    below it."""
    page = desktop.page
    desktop.log_in("demo-patient", "demo-pass-2026")
    page.wait_for_url("**/dashboard/")
    chart_traces(page)
    heights = "() => { const el = document.querySelector('.trend-chart'); return [el.getBoundingClientRect().height, el.querySelector('.main-svg').getBoundingClientRect().height, el.layout.height]; }"  # noqa: E501
    drawn = page.evaluate(heights)
    assert drawn[0] == pytest.approx(drawn[1], abs=3) and drawn[1] > 900, drawn
    for size in (PHONE, {"width": 1280, "height": 900}):
        page.set_viewport_size(size)
        page.wait_for_timeout(600)  # plotly redraws after a resize, debounced
        box, svg, layout = page.evaluate(heights)
        assert box == pytest.approx(svg, abs=3) and svg == pytest.approx(drawn[1], abs=3), (size, box, svg, layout)
    # Nothing spills: the section after the chart starts below the chart's drawing.
    svg_bottom = page.evaluate("document.querySelector('.trend-chart .main-svg').getBoundingClientRect().bottom")
    after = page.evaluate("document.querySelector('.trend-chart').nextElementSibling.getBoundingClientRect().top")
    assert after >= svg_bottom, (svg_bottom, after)


def test_a_phone_reads_the_cards_and_the_summary_before_plotly_loads(browser, live_server, demo_patient):
    """On a 360x640 phone the chart is screens below the cards: plotly.js (a third of a megabyte,
    half a second's work for a phone) is not fetched until the chart comes near the screen, while
    the cards and the chart in words are there from the start; scrolled to, the chart is drawn in
    the room kept for it."""
    from tests.browser.conftest import Session

    phone = Session(browser, live_server, {"width": 360, "height": 640}, "phone-640")
    try:
        page = phone.page
        fetched = []
        page.on("request", lambda request: fetched.append(request.url))
        phone.log_in("demo-patient", "demo-pass-2026")
        page.wait_for_url("**/dashboard/")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        assert page.locator(".summary-card").count() == 5
        assert page.locator(".summary-card").first.is_visible()
        assert page.locator(".chart-summaries li").count() >= 5
        assert "usual" in page.locator(".chart-summaries").inner_text()
        assert not [url for url in fetched if "plotly" in url], fetched
        assert page.evaluate("typeof window.Plotly") == "undefined"
        assert page.locator(".trend-chart.chart-ready").count() == 0
        kept = page.locator(".trend-chart").bounding_box()["height"]
        assert kept > 900, kept  # the figure's height, kept before it is drawn
        assert page.locator(".trend-chart").inner_text() == "Drawing the chart\u2026"
        phone.axe("dashboard, before the chart")
        phone.screenshot("36-dashboard-before-the-chart")

        page.locator(".trend-chart").scroll_into_view_if_needed()
        page.wait_for_selector(".trend-chart.chart-ready")
        assert [url for url in fetched if "plotly-basic" in url and url.endswith(".js")]
        assert [url for url in fetched if "plotly" in url and url.endswith(".css")]
        assert page.locator(".trend-chart .main-svg").count() >= 1
        assert page.locator(".trend-chart .chart-waiting").count() == 0
        assert page.evaluate("document.querySelector('.trend-chart').data.length") >= 15
        drawn = page.locator(".trend-chart").bounding_box()["height"]
        assert drawn == pytest.approx(kept, abs=3), (kept, drawn)  # nothing below moved
        phone.screenshot("36-dashboard-chart-scrolled-to")
    finally:
        phone.context.close()
    phone.check_clean()


def test_pages_reach_the_browser_gzip_compressed(desktop, demo_patient):
    """Chromium asks for gzip (with Brotli and others): the pages' HTML comes back gzip-compressed.
    (Static files are whitenoise's compressed copies in production; the test server serves them plain.)"""
    page = desktop.page
    desktop.log_in("demo-patient", "demo-pass-2026")
    responses = {}
    page.on("response", lambda response: responses.setdefault(response.url.split("?")[0], response))
    desktop.goto("/dashboard/")
    wait_for_chart(page)
    html = responses[desktop.base + "/dashboard/"]
    assert html.all_headers().get("content-encoding") == "gzip"
    assert "Trends" in html.text()
    desktop.goto("/diary/")
    page_html = responses[page.url.split("?")[0]]
    assert page_html.all_headers().get("content-encoding") == "gzip", page.url


@pytest.fixture
def phone_without_worker(browser, live_server):
    """A phone whose requests all pass through the test's routes: the app's service worker would fetch
    plotly.js itself, where Playwright's routes do not reach."""
    from tests.browser.conftest import PHONE, Session

    session = Session(browser, live_server, PHONE, "phone", service_workers="block")
    yield session
    session.context.close()
    session.check_clean()


def test_a_chart_whose_plotly_fails_to_load_says_so(phone_without_worker, demo_patient):
    """A phone that loses its connection before plotly.js arrives: the chart's box says the chart
    could not be loaded and where its figures are, instead of "Drawing the chart..." for ever, and
    tries again once the connection is back."""
    phone = phone_without_worker
    page = phone.page
    phone.log_in("demo-patient", "demo-pass-2026")
    page.wait_for_url("**/dashboard/")
    page.route("**/plotly-basic*", lambda route: route.abort())
    page.locator(".trend-chart").scroll_into_view_if_needed()
    waiting = page.locator(".trend-chart .chart-waiting", has_text="could not be loaded")
    waiting.wait_for()
    assert "in words below" in waiting.inner_text()
    assert page.locator(".chart-summaries li").count() >= 5
    # The connection comes back: a few seconds later, the chart still on the screen, it is drawn.
    page.unroute("**/plotly-basic*")
    page.locator(".trend-chart.chart-ready").wait_for(timeout=20_000)
    assert page.locator(".trend-chart .chart-waiting").count() == 0
    # The refused request's own console error is what this test makes happen.
    phone.console_errors = [error for error in phone.console_errors if "net::ERR_FAILED" not in error]
