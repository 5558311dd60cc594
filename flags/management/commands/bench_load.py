"""Logged-in patients' traffic with Redis up and with Redis refusing, side by side (make bench-load).

Creates --patients throw-away patients with --weeks of diary in the configured database, logs each
in (a session made as the test client's force_login makes it), and starts, all on 127.0.0.1: a
private redis-server on a free port, gunicorn (2 sync workers, production settings, DEBUG off,
--no-control-socket) on another free port, and one Celery worker on the private Redis. Then
--rounds rounds, each running both states for --seconds: every simulated patient (one thread each)
loops over the day page, a diary save (a POST with the form's CSRF token), the history and the
dashboard. "down" is the redis process ended (connections refused), "hung" (with --hung) the
process stopped with SIGSTOP; the order alternates between rounds. Prints requests/s, p50, p95 and
p99 latency and errors per state, and the ratios to "up". Everything started is stopped and the
patients deleted at the end: run it on a development database, never production.

Plain HTTP to 127.0.0.1 stands in for the TLS proxy: each request carries X-Forwarded-Proto:
https (what the proxy sends), so the production settings neither redirect nor drop the
HTTPS-only cookies, which this client keeps itself.
"""

import datetime
import http.client
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.utils import timezone

from accounts.services import patient_sign_up
from symptoms.models import DiaryEntry

from .bench_broker import _free_port, _start_redis

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REQUEST_TIMEOUT = 30.0


class Command(BaseCommand):
    help = "Logged-in patients through gunicorn with a private Redis up and refusing: requests/s, p50/p95/p99, errors."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=50, help="Simulated patients, one thread each.")
        parser.add_argument("--seconds", type=float, default=25.0, help="Length of each state in each round.")
        parser.add_argument("--rounds", type=int, default=2)
        parser.add_argument("--weeks", type=int, default=4, help="Weeks of diary each patient starts with.")
        parser.add_argument("--hung", action="store_true", help="Also run a state with Redis hung (SIGSTOP).")
        parser.add_argument(
            "--no-worker", action="store_true", help="No Celery worker: the web alone, to see what the worker costs."
        )
        parser.add_argument("--redis-port", type=int, default=0, help="The private Redis's port (default: a free one).")

    def handle(self, *args, patients, seconds, rounds, weeks, hung, no_worker, redis_port, **options):
        for program in ("redis-server", "gunicorn", "celery"):
            if shutil.which(program) is None and not (Path(sys.executable).parent / program).exists():
                raise CommandError(f"make bench-load needs {program}.")
        if not 1 <= patients <= 200 or not 1 <= seconds <= 120 or not 1 <= rounds <= 5 or not 1 <= weeks <= 52:
            raise CommandError("--patients 1-200, --seconds 1-120, --rounds 1-5, --weeks 1-52.")
        states = ("up", "down", "hung") if hung else ("up", "down")
        redis_port, web_port = redis_port or _free_port(), _free_port()
        env = _child_env(redis_port, web_port)
        started = time.monotonic()
        logging.getLogger("axes").setLevel(logging.WARNING)  # a line per force_login otherwise
        users, days = _seed(patients, weeks)
        processes, cookies = {}, []
        try:
            cookies = [_session_cookies(user) for user in users]
            _collect_static(env)
            processes["redis"] = _start_redis(redis_port)
            if not no_worker:
                processes["worker"] = _start_worker(env)
            processes["web"] = _start_web(env, web_port)
            _wait_for_web(web_port, processes["web"])
            self.stdout.write(
                f"{patients} patients, {len(days)} days of diary each; gunicorn on 127.0.0.1:{web_port} "
                f"(2 sync workers), redis on 127.0.0.1:{redis_port}, {'no' if no_worker else '1'} Celery worker; "
                f"{rounds} x {seconds:g} s per state."
            )
            _run_state(web_port, cookies, days, min(3.0, seconds))  # warm-up, not counted
            results = {state: Tally() for state in states}
            for round_index in range(rounds):
                order = states if round_index % 2 == 0 else tuple(reversed(states))
                for state in order:
                    processes["redis"] = _set_redis(processes["redis"], state, redis_port)
                    try:
                        results[state].add(_run_state(web_port, cookies, days, seconds))
                    finally:
                        if state == "hung":
                            processes["redis"].send_signal(signal.SIGCONT)
        finally:
            for name in ("web", "worker", "redis"):
                if name in processes:
                    _stop(processes[name])
            Session.objects.filter(session_key__in=[c[settings.SESSION_COOKIE_NAME] for c in cookies]).delete()
            for user in users:
                user.delete()
        self.stdout.write(format_table({state: results[state].summary() for state in states}))
        per_round = "; ".join(f"{s} " + ", ".join(f"{r:.1f}" for r in results[s].per_round) for s in states)
        self.stdout.write(f"req/s round by round: {per_round}.")
        for state in states:
            if results[state].kinds:
                kinds = ", ".join(f"{kind} x{n}" for kind, n in results[state].kinds.most_common(5))
                self.stdout.write(f"Errors with Redis {state}: {kinds}.")
        self.stdout.write(f"Whole run {time.monotonic() - started:.0f} s.")


class Tally:
    """Latencies (seconds), errors and measured time of one state, over its rounds."""

    def __init__(self):
        self.latencies, self.kinds, self.seconds, self.per_round = [], Counter(), 0.0, []

    def add(self, other):
        latencies, errors, seconds = other
        self.latencies += latencies
        self.kinds.update(errors)
        self.seconds += seconds
        self.per_round.append((len(latencies) + len(errors)) / seconds)

    def summary(self):
        return summarise(self.latencies, self.kinds.total(), self.seconds)


def percentile(values, fraction):
    """The nearest-rank percentile: the smallest value with at least `fraction` of them at or below it."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-round(fraction * len(ordered) * 1e9) // 1_000_000_000))  # ceil, without float noise
    return ordered[min(rank, len(ordered)) - 1]


def summarise(latencies, errors, seconds):
    count = len(latencies) + errors
    return {
        "requests": count,
        "per_second": count / seconds if seconds else 0.0,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "errors": errors,
    }


def format_table(summaries):
    """One line per state, then each state's ratio to "up" (requests/s and latencies)."""
    lines = [f"{'redis':<6} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"]
    for state, s in summaries.items():
        lines.append(
            f"{state:<6} {s['requests']:>8} {s['per_second']:>7.1f} {s['p50'] * 1e3:>7.0f} "
            f"{s['p95'] * 1e3:>7.0f} {s['p99'] * 1e3:>7.0f} {s['errors']:>6}"
        )
    up = summaries.get("up")
    for state, s in summaries.items():
        if state == "up" or not up:
            continue
        ratios = [s[key] / up[key] if up[key] else float("nan") for key in ("per_second", "p50", "p95", "p99")]
        lines.append(
            f"{state}/up: req/s {ratios[0]:.2f}, p50 {ratios[1]:.2f}, p95 {ratios[2]:.2f}, p99 {ratios[3]:.2f}"
        )
    return "\n".join(lines)


def _seed(count, weeks):
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in range(1, weeks * 7 + 1)]
    stamp = time.time_ns()
    users = [patient_sign_up(username=f"bench-load-{stamp}-{n}", password=None) for n in range(count)]
    DiaryEntry.objects.bulk_create(
        DiaryEntry(patient=user, date=day, pain=(n + i) % 11, mood=(3 * i + n) % 11, spasms=i % 7)
        for n, user in enumerate(users)
        for i, day in enumerate(days)
    )
    return users, days


def _session_cookies(user):
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def _child_env(redis_port, web_port):
    """Production settings for gunicorn and the worker, with this process's secret (its sessions) and database."""
    env = dict(os.environ)
    broker = f"redis://127.0.0.1:{redis_port}/0"
    env.update(
        DJANGO_SETTINGS_MODULE="crps_tracker.settings.production",
        DEBUG="false",
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{web_port}",
        REDIS_URL=broker,
        CELERY_BROKER_URL=broker,
        LOG_LEVEL="WARNING",
        EMAIL_URL="consolemail://",
    )
    if "DATABASE_URL" not in env:
        env["DATABASE_URL"] = f"sqlite:///{settings.DATABASES['default']['NAME']}"
    return env


def _venv_program(name):
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def _collect_static(env):
    """The production settings serve hashed file names from a manifest that collectstatic writes."""
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(command, env=env, cwd=settings.BASE_DIR, check=True)  # noqa: S603


def _start_web(env, port):
    command = [
        _venv_program("gunicorn"),
        "crps_tracker.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--no-control-socket",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL)  # noqa: S603


def _start_worker(env):
    command = [_venv_program("celery"), "-A", "crps_tracker", "worker", "--concurrency", "1", "--loglevel", "ERROR"]
    # Quiet: while Redis is down it reports every reconnection attempt.
    return subprocess.Popen(  # noqa: S603
        command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _wait_for_web(port, process):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError("gunicorn stopped while starting (its errors are above).")
        try:
            status, _ = _request(port, "GET", "/login/", {})
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer on 127.0.0.1:{port}.")


def _set_redis(redis, state, port):
    """Put the private redis in `state`; returns the (possibly new) process."""
    if state == "up":
        return redis if redis.poll() is None else _start_redis(port)
    if redis.poll() is not None:  # down already; hung needs a running process
        redis = _start_redis(port)
    if state == "down":
        _stop(redis)
    else:
        redis.send_signal(signal.SIGSTOP)
    return redis


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGCONT)
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _request(port, method, path, cookies, body=None):
    """One request as the TLS proxy would pass it on; keeps the cookies set. Returns (status, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    headers = {"X-Forwarded-Proto": "https"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"https://127.0.0.1:{port}"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                cookies[name] = morsel.value
        return response.status, text
    finally:
        connection.close()


def _patient_loop(port, cookies, days, offset, stop_at, latencies, errors):
    """Day page, save, history, dashboard, until stop_at. Each request timed; a wrong status is an error."""
    step = offset
    while time.monotonic() < stop_at:
        day = days[step % len(days)].isoformat()
        step += 1
        token = None
        for method, path, expected in (
            ("GET", f"/diary/{day}/", 200),
            ("POST", f"/diary/{day}/", 302),
            ("GET", "/diary/", 200),
            ("GET", "/dashboard/", 200),
        ):
            body = None
            if method == "POST":
                if token is None:
                    errors.append("no CSRF token on the day page")
                    continue
                body = urlencode({"csrfmiddlewaretoken": token, "pain": step % 11, "mood": 5, "notes": "bench"})
            began = time.perf_counter()
            try:
                status, text = _request(port, method, path, cookies, body)
            except OSError as error:
                errors.append(f"{method} {path.split('/')[1]}: {type(error).__name__}")
                continue
            if status != expected:
                errors.append(f"{method} {path.split('/')[1]}: {status}")
                continue
            latencies.append(time.perf_counter() - began)
            if method == "GET" and path == f"/diary/{day}/":
                match = CSRF_INPUT.search(text.decode())
                token = match.group(1) if match else None


def _run_state(port, all_cookies, days, seconds):
    """Every patient's loop in its own thread for `seconds`; returns (latencies, errors, elapsed)."""
    latencies, errors = [], []
    began = time.monotonic()
    threads = [
        threading.Thread(
            target=_patient_loop,
            args=(port, cookies, days, index * 7, began + seconds, latencies, errors),
            daemon=True,
        )
        for index, cookies in enumerate(all_cookies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 2 * REQUEST_TIMEOUT)
    return latencies, errors, time.monotonic() - began
