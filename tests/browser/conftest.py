"""Real-browser fixtures: Debian's Chromium driven by Playwright, against Django's live server.

Every page runs under the app's real CSP, with every request to a host other than
the live server aborted and recorded; a test fails if any was attempted.
"""

import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import needs
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_SOURCE = ROOT / "tests" / "vendor" / "axe-4.14.1.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    needs(CHROMIUM.exists(), f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class Session:
    """One browser context at one viewport, with request blocking and page checks."""

    def __init__(self, browser, live_server, viewport, label, service_workers="allow"):
        self.base = live_server.url
        self.label = label
        self.blocked: list[str] = []
        self.console_errors: list[str] = []
        # Reduced motion: Bootstrap scrolls smoothly otherwise, and a check (axe's target sizes under the sticky
        # Save bar, a position) run while a scroll is still moving reads wherever it happens to be.
        self.context = browser.new_context(
            viewport=viewport,
            locale="en-GB",
            timezone_id="Europe/London",
            service_workers=service_workers,
            reduced_motion="reduce",
        )
        self.context.route("**/*", self._route)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.page.on(
            "console", lambda message: self.console_errors.append(message.text) if message.type == "error" else None
        )
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _route(self, route):
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def goto(self, path):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        return response

    def log_in(self, username, password=PASSWORD):
        self.goto("/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_load_state()
        if "/accounts/2fa/" in self.page.url:
            self.second_factor(username)

    def second_factor(self, username):
        """Type the current code of the user's authenticator (enrolled, or being enrolled now)."""
        from django_otp.oath import TOTP
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user__username=username).order_by("-confirmed").first()
        token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        self.page.get_by_label("6-digit code from your authenticator app").fill(f"{token:06d}")
        self.page.get_by_role("button", name=re.compile("Continue|Turn on")).click()
        self.page.wait_for_load_state()

    def screenshot(self, name):
        """Save a full-page screenshot, and fail if the page scrolls sideways (a broken phone layout)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}-{self.label}.png", full_page=True)
        widths = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{name} ({self.label}) is {widths[0]}px wide in a {widths[1]}px window"
        if self.label == "phone":
            self.assert_every_control_tall_enough(name)

    def assert_every_control_tall_enough(self, name):
        """On a phone, every visible button and box on the page is at least 44 px high."""
        short = self.page.locator(".btn, .form-control, .form-select").evaluate_all(
            "els => els.filter(e => e.offsetParent !== null).map(e => [e.textContent.trim().slice(0, 30) || e.name,"
            " Math.round(e.getBoundingClientRect().height)]).filter(([, h]) => h < 44)"
        )
        assert not short, f"{name} ({self.label}): controls under 44 px high: {short}"

    def axe(self, name=""):
        """Run axe-core on the page (under the real CSP) and fail on serious or critical issues."""
        self.page.evaluate(AXE_SOURCE.read_text())
        results = self.page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values:"
            " ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
        )
        bad = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
        summary = [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in bad]
        assert not bad, f"axe on {name or self.page.url}:\n{json.dumps(summary, indent=1)}"
        return results

    def assert_big_enough_to_tap(self, selector, count):
        """Each of the `count` elements matching selector is at least 44x44 px (the app's tap target size)."""
        boxes = self.page.locator(selector).evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [e.textContent.trim() || e.name, Math.round(r.width), Math.round(r.height)]; })"
        )
        assert len(boxes) == count, (selector, boxes)
        small = [box for box in boxes if min(box[1:]) < 44]
        assert not small, f"{selector} ({self.label}): under 44x44 px: {small}"

    def assert_lined_up_with_the_column(self):
        """On a page in the narrow column, the messages and the footer share its left and right edges."""
        column = self.page.locator("main > .narrow").bounding_box()
        for selector in ("main > .messages", "footer > p"):
            box = self.page.locator(selector).bounding_box()
            edges = [round(box["x"]), round(box["x"] + box["width"])]
            assert edges == [round(column["x"]), round(column["x"] + column["width"])], (selector, self.label, edges)

    def check_clean(self):
        assert self.blocked == [], f"requests to non-local hosts: {self.blocked}"
        assert self.console_errors == [], f"console errors (CSP violations included): {self.console_errors}"


def wait_for_chart(page, selector=".trend-chart"):
    """Bring the chart to the screen (the dashboard and the review load plotly.js only then) and wait
    until it is drawn."""
    page.locator(selector).first.scroll_into_view_if_needed()
    page.wait_for_selector(f"{selector}.chart-ready")


@pytest.fixture(params=[("phone", PHONE), ("desktop", DESKTOP)], ids=["phone", "desktop"])
def session(request, browser, live_server):
    label, viewport = request.param
    session = Session(browser, live_server, viewport, label)
    yield session
    session.context.close()
    session.check_clean()


@pytest.fixture
def phone(browser, live_server):
    session = Session(browser, live_server, PHONE, "phone")
    yield session
    session.context.close()
    session.check_clean()


@pytest.fixture
def desktop(browser, live_server):
    session = Session(browser, live_server, DESKTOP, "desktop")
    yield session
    session.context.close()
    session.check_clean()
