"""Lighthouse mobile on the 5-year dashboard, against the login page in the same run (make bench-lighthouse).

Installs Lighthouse (pinned, from npm) into .lighthouse/ if it is not there, creates a throw-away patient
with a 5-year diary and 50 treatments, and starts, all on 127.0.0.1: a private redis-server and gunicorn
(2 sync workers, production settings, DEBUG off, --no-control-socket) on free ports. Then --runs rounds,
each a Lighthouse mobile run (its default: a mid-range phone, simulated slow 4G and 4x CPU slowdown) of
the login page, of the dashboard (logged in by the session cookie) and of the dashboard on a phone screen
so tall that the chart is on it from the start ("chart": plotly.js loaded and the chart drawn during the
load; on a real phone that happens when the chart is scrolled to). Prints each run's performance score,
total blocking time, first and largest contentful paint, bytes and requests, and the medians, each page's
beside the login page's. Everything started is stopped and the patient deleted at the end: run it on a
development database, never production.

Plain HTTP to 127.0.0.1 stands in for the TLS proxy: every request carries X-Forwarded-Proto: https (what
the proxy sends, passed to Chromium as an extra header with the cookie), so the production settings
neither redirect nor refuse the session.
"""

import json
import logging
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.selectors import local_today
from accounts.services import patient_sign_up
from dashboard.bench import seed_history
from lib import benchserver
from symptoms.models import DiaryEntry

LIGHTHOUSE_VERSION = "12.8.2"  # the last release that runs on node 20 (13 needs node 22)
TALL_PX = 8000  # "chart": the dashboard on a phone this tall, its chart on screen at once (drawn at load)
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")


class Command(BaseCommand):
    help = "Lighthouse mobile on the 5-year dashboard and the login page under gunicorn: median of --runs runs."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--range", dest="dashboard_range", default="", help="?range= of the dashboard.")
        parser.add_argument("--keep", metavar="DIR", help="Save each run's Lighthouse report (JSON) in DIR.")

    def handle(self, *args, runs, years, dashboard_range, keep, **options):
        if not 1 <= runs <= 9 or not 1 <= years <= 10:
            raise CommandError("--runs 1-9, --years 1-10.")
        if not Path(CHROME).exists():
            raise CommandError(f"make bench-lighthouse needs Chromium at {CHROME} (or CHROME_PATH).")
        if shutil.which("redis-server") is None:
            raise CommandError("make bench-lighthouse needs redis-server.")
        lighthouse = _install_lighthouse(self.stdout)
        redis_port, web_port = benchserver.free_port(), benchserver.free_port()
        broker = f"redis://127.0.0.1:{redis_port}/0"
        env = benchserver.child_env(web_port, REDIS_URL=broker, CELERY_BROKER_URL=broker)
        logging.getLogger("axes").setLevel(logging.WARNING)
        patient = _seed(years)
        processes, cookies = {}, {}
        query = f"?range={dashboard_range}" if dashboard_range else ""
        pages = {"login": "/login/", "dashboard": f"/dashboard/{query}", "chart": f"/dashboard/{query}"}
        results: dict[str, list[dict]] = {name: [] for name in pages}
        try:
            cookies = benchserver.session_cookies(patient)
            benchserver.collect_static(env)
            processes["redis"] = benchserver.start_redis(redis_port)
            processes["web"] = benchserver.start_gunicorn(env, web_port)
            self.stdout.write(
                f"Lighthouse {LIGHTHOUSE_VERSION} (mobile, simulated throttling) against gunicorn on "
                f"127.0.0.1:{web_port} (2 sync workers, production settings); a patient with "
                f"{DiaryEntry.objects.filter(patient=patient).count():,} diary days over {years} years "
                f"with treatments (dashboard.bench); {runs} rounds.\n"
            )
            headers = {"X-Forwarded-Proto": "https"}
            login_headers = dict(headers)
            session = cookies[settings.SESSION_COOKIE_NAME]
            dashboard_headers = dict(headers, Cookie=f"{settings.SESSION_COOKIE_NAME}={session}")
            base = f"http://127.0.0.1:{web_port}"
            _run_lighthouse(lighthouse, base + pages["dashboard"], dashboard_headers, None, False)  # warm-up
            self.stdout.write(_HEADER)
            for index in range(runs):
                order = ("login", "dashboard", "chart") if index % 2 == 0 else ("chart", "dashboard", "login")
                for name in order:
                    page_headers = login_headers if name == "login" else dashboard_headers
                    path = Path(keep) / f"{name}-{index + 1}.json" if keep else None
                    tall = name == "chart"
                    run = _run_lighthouse(lighthouse, base + pages[name], page_headers, path, tall)
                    if name != "login" and run["url"] != base + pages[name]:
                        raise CommandError(f"Lighthouse ended at {run['url']}, not the dashboard: not logged in?")
                    results[name].append(run)
                    self.stdout.write(_row(f"{name} {index + 1}", run))
        finally:
            for name in ("web", "redis"):
                if name in processes:
                    benchserver.stop(processes[name])
            if cookies:
                Session.objects.filter(session_key=cookies[settings.SESSION_COOKIE_NAME]).delete()
            patient.delete()
        medians = {name: _median(runs_) for name, runs_ in results.items()}
        self.stdout.write(f"\nMedians of {runs} runs (each figure on its own):")
        for name in pages:
            self.stdout.write(_row(name, medians[name]))
        login = medians["login"]
        for name, what in (("dashboard", "The dashboard"), ("chart", "The dashboard with its chart on screen")):
            page = medians[name]
            self.stdout.write(
                f"{what} against the login page: score {page['score']:.0f} against {login['score']:.0f}, "
                f"total blocking time {page['tbt']:.0f} ms against {login['tbt']:.0f} ms, largest contentful "
                f"paint x{page['lcp'] / login['lcp']:.2f}, bytes x{page['bytes'] / login['bytes']:.1f} "
                f"({page['bytes'] / 1024:.0f} KB against {login['bytes'] / 1024:.0f} KB)."
            )


_HEADER = f"{'page, run':<16}{'score':>6}{'TBT ms':>8}{'FCP ms':>8}{'LCP ms':>8}{'KB':>7}{'requests':>10}"


def _row(label, run):
    return (
        f"{label:<16}{run['score']:>6.0f}{run['tbt']:>8.0f}{run['fcp']:>8.0f}{run['lcp']:>8.0f}"
        f"{run['bytes'] / 1024:>7.0f}{run['requests']:>10.0f}"
    )


def _median(runs):
    """Each figure's median on its own (with 3 runs, the middle one)."""
    keys = ("score", "tbt", "fcp", "lcp", "bytes", "requests")
    return {key: statistics.median(run[key] for run in runs) for key in keys}


def _install_lighthouse(stdout) -> Path:
    """Lighthouse LIGHTHOUSE_VERSION in .lighthouse/ (installed by npm the first time)."""
    prefix = Path(settings.BASE_DIR) / ".lighthouse"
    program = prefix / "node_modules" / ".bin" / "lighthouse"
    package = prefix / "node_modules" / "lighthouse" / "package.json"
    installed = json.loads(package.read_text())["version"] if package.exists() else None
    if installed != LIGHTHOUSE_VERSION:
        npm = shutil.which("npm")
        if npm is None:
            raise CommandError("make bench-lighthouse needs node 20 and npm.")
        stdout.write(f"Installing Lighthouse {LIGHTHOUSE_VERSION} into {prefix} ...")
        command = [npm, "install", "--prefix", str(prefix), f"lighthouse@{LIGHTHOUSE_VERSION}"]
        command += ["--no-audit", "--no-fund"]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    return program


def _run_lighthouse(program: Path, url: str, headers: dict, keep: Path | None, tall: bool) -> dict:
    """One Lighthouse mobile run of url (performance only); returns its figures. `tall`: on a phone
    screen TALL_PX high, so that the whole page, the chart too, is on screen from the start."""
    command = [
        str(program),
        url,
        "--only-categories=performance",
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        f"--extra-headers={json.dumps(headers)}",
    ]
    if tall:
        command.append(f"--screenEmulation.height={TALL_PX}")
    env = dict(os.environ, CHROME_PATH=CHROME)
    for attempt in range(1, 4):  # Lighthouse now and then loses the trace (NO_NAVSTART): run it again
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
        report = json.loads(done.stdout) if done.returncode == 0 else {}
        error = done.stderr[-2000:] if done.returncode != 0 else (report.get("runtimeError") or {}).get("message")
        if not error:
            break
        if attempt == 3:
            raise CommandError(f"Lighthouse failed on {url}:\n{error}")
    if keep:
        keep.parent.mkdir(parents=True, exist_ok=True)
        keep.write_text(done.stdout)
    audits = report["audits"]
    return {
        "url": report["finalDisplayedUrl"],
        "score": report["categories"]["performance"]["score"] * 100,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "requests": len(audits["network-requests"]["details"]["items"]),
    }


@transaction.atomic
def _seed(years: int):
    """A patient with a diary of most days over `years` years and treatments (dashboard.bench)."""
    patient = patient_sign_up(username=f"bench-lighthouse-{time.time_ns()}", password=None)
    seed_history(patient, days=365 * years, today=local_today(patient))
    return patient
