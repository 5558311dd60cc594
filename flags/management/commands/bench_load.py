"""Logged-in patients at once against gunicorn, beside a bare Django page on the same server (make bench-load).

Creates --patients throw-away patients with --weeks of diary in the configured database, logs each
in (a session made as the test client's force_login makes it), and starts, all on 127.0.0.1: a
private redis-server on a free port, gunicorn (production settings, DEBUG off, --no-control-socket)
on another free port with each --servers configuration in turn, and one Celery worker on the
private Redis. All traffic goes to 127.0.0.1.

Each simulated patient (a thread) loops as a person does: opens today's page, fills it in, saves it
(a POST with the form's CSRF token), reads the history the save redirects to, then the dashboard.
Between two pages the patient reads: a think time drawn from an exponential distribution with mean
--think seconds (4 s by default; cut at 5 times the mean so a run stays bounded). Exponential think
times are memoryless, so many independent patients arrive like a Poisson stream, as real users of
a web page do; the history follows the save at once, as the browser follows the redirect. Patients
start spread over one mean think time, and the first --warmup seconds of each run are not counted.
--think 0 is the old closed loop: every patient sends its next request as soon as the last answered.

The anchor is /healthz (lib/health.py: Django's middleware and a view, no database, no session) on
the same server in the same round: --anchor-threads threads at full tilt (closed loop) give the
server's ceiling in requests/s for a page that costs only Django, and one probe every half second
while the patients run gives the wait a trivial request meets under their load. Gunicorn's CPU
time (master and workers, from /proc) over each measured window gives the CPU per request.

Rounds interleave: each round starts each server configuration afresh and runs its phases (the
anchor, then the patients with each Redis state), the order reversed every other round. --redis-down
adds the patients with the private Redis ended (connections refused), --hung with it stopped
(SIGSTOP), to compare with Redis up. Prints requests/s, p50/p95/p99 and errors per page and overall,
the anchor beside them and the ratios; with several --servers, a table of them. Everything started
is stopped and the patients deleted at the end: run it on a development database, never production.

Plain HTTP to 127.0.0.1 stands in for the TLS proxy: each request carries X-Forwarded-Proto:
https (what the proxy sends), so the production settings neither redirect nor drop the
HTTPS-only cookies, which this client keeps itself. The client shares the machine's cores with
the server, as a proxy would.
"""

import datetime
import logging
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.services import patient_sign_up
from lib import benchserver
from lib.benchserver import REQUEST_TIMEOUT, collect_static, free_port, session_cookies, start_redis
from symptoms.models import DiaryEntry

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DIARY_FORM = re.compile(r'<form method="post" action="([^"]+)"[^>]*class="diary-form"')
THINK_CAP = 5.0  # a think time is cut at this many times the mean
PAGES = ("today", "save", "history", "dashboard")
ANCHOR = "bare"  # /healthz at full tilt
PROBE = "bare, during"  # /healthz every PROBE_INTERVAL while the patients run
PROBE_INTERVAL = 0.5
DEFAULT_SERVERS = "2x4"  # 2 gthread workers of 4 threads: see the README's "workers and threads"


class Command(BaseCommand):
    help = "Logged-in patients through gunicorn beside a bare page on the same server: req/s, p50/p95/p99, errors."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=100, help="Simulated patients, one thread each.")
        parser.add_argument("--seconds", type=float, default=30.0, help="Measured length of each patients' run.")
        parser.add_argument("--think", type=float, default=4.0, help="Mean think time between pages (0: none).")
        parser.add_argument("--warmup", type=float, default=5.0, help="Seconds at the start of a run not counted.")
        parser.add_argument("--rounds", type=int, default=2)
        parser.add_argument("--weeks", type=int, default=4, help="Weeks of diary each patient starts with.")
        parser.add_argument(
            "--servers",
            default=DEFAULT_SERVERS,
            help="Gunicorn configurations, WORKERSxTHREADS, comma-separated: 2x1 is 2 sync workers, 2x4 is 2 "
            "gthread workers of 4 threads each.",
        )
        parser.add_argument("--anchor-threads", type=int, default=4, help="Threads sending /healthz at full tilt.")
        parser.add_argument("--anchor-seconds", type=float, default=5.0, help="Measured length of the anchor.")
        parser.add_argument("--redis-down", action="store_true", help="Also run the patients with Redis refusing.")
        parser.add_argument("--hung", action="store_true", help="Also run the patients with Redis hung (SIGSTOP).")
        parser.add_argument(
            "--no-worker", action="store_true", help="No Celery worker: the web alone, to see what the worker costs."
        )
        parser.add_argument("--redis-port", type=int, default=0, help="The private Redis's port (default: a free one).")

    def handle(self, *args, patients, seconds, think, warmup, rounds, weeks, servers, **options):
        for program in ("redis-server", "gunicorn", "celery"):
            if shutil.which(program) is None and not (Path(sys.executable).parent / program).exists():
                raise CommandError(f"make bench-load needs {program}.")
        if not 1 <= patients <= 200 or not 1 <= seconds <= 120 or not 1 <= rounds <= 5 or not 1 <= weeks <= 52:
            raise CommandError("--patients 1-200, --seconds 1-120, --rounds 1-5, --weeks 1-52.")
        if not 0 <= think <= 30 or not 0 <= warmup <= 30:
            raise CommandError("--think 0-30 and --warmup 0-30 seconds.")
        if not 1 <= options["anchor_threads"] <= 16 or not 1 <= options["anchor_seconds"] <= 60:
            raise CommandError("--anchor-threads 1-16, --anchor-seconds 1-60.")
        configs = parse_servers(servers)
        states = ("up",) + (("down",) if options["redis_down"] else ()) + (("hung",) if options["hung"] else ())
        plan = Plan(seconds, think, warmup, options["anchor_threads"], options["anchor_seconds"])
        redis_port, web_port = options["redis_port"] or free_port(), free_port()
        env = _child_env(redis_port, web_port)
        started = time.monotonic()
        logging.getLogger("axes").setLevel(logging.WARNING)  # a line per force_login otherwise
        users, days = _seed(patients, weeks)
        processes, cookies = {}, []
        results: dict[tuple[int, int], defaultdict[str, Tally]] = {config: defaultdict(Tally) for config in configs}
        try:
            cookies = [session_cookies(user) for user in users]
            collect_static(env)
            processes["redis"] = start_redis(redis_port)
            if not options["no_worker"]:
                processes["worker"] = _start_worker(env)
            self.stdout.write(
                f"{patients} patients, {len(days)} days of diary each; think time exponential, mean {think:g} s "
                f"(cut at {THINK_CAP * think:g} s); {rounds} rounds of {seconds:g} s per Redis state "
                f"({', '.join(states)}) after {warmup:g} s not counted; anchor /healthz with "
                f"{plan.anchor_threads} threads for {plan.anchor_seconds:g} s; redis on 127.0.0.1:{redis_port}, "
                f"{'no' if options['no_worker'] else '1'} Celery worker; gunicorn on 127.0.0.1:{web_port}: "
                f"{', '.join(server_label(*c) for c in configs)}; {os.cpu_count()} cores."
            )
            for round_index in range(rounds):
                for config in configs if round_index % 2 == 0 else tuple(reversed(configs)):
                    phases = (ANCHOR, *states)
                    if round_index % 2:
                        phases = tuple(reversed(phases))
                    processes["web"] = benchserver.start_gunicorn(env, web_port, workers=config[0], threads=config[1])
                    try:
                        _warm(web_port, cookies[: config[0] * config[1] * 2])
                        for phase in phases:
                            redis_state = "up" if phase == ANCHOR else phase
                            processes["redis"] = _set_redis(processes["redis"], redis_state, redis_port)
                            try:
                                pids = {name: processes[name].pid for name in ("web", "worker") if name in processes}
                                if phase == ANCHOR:
                                    run = _run_anchor(web_port, pids, plan)
                                else:
                                    run = _run_patients(web_port, pids, cookies, plan)
                                results[config][phase].add(run)
                            finally:
                                if phase == "hung":
                                    processes["redis"].send_signal(signal.SIGCONT)
                    finally:
                        _stop(processes.pop("web"))
        finally:
            for name in ("web", "worker", "redis"):
                if name in processes:
                    _stop(processes[name])
            Session.objects.filter(session_key__in=[c[settings.SESSION_COOKIE_NAME] for c in cookies]).delete()
            for user in users:
                user.delete()
        rows = {}
        for config in configs:
            tallies = results[config]
            self.stdout.write(f"\n{server_label(*config)}")
            self.stdout.write(format_run(tallies, states))
            rows[server_label(*config)] = server_row(tallies)
            if think > 0:
                self.stdout.write(verdict(tallies["up"].summary()))
        if len(configs) > 1:
            self.stdout.write("\n" + format_servers(rows))
        if "down" in states or "hung" in states:
            for config in configs:
                self.stdout.write(f"\nRedis states, {server_label(*config)}:")
                self.stdout.write(format_table({state: results[config][state].summary() for state in states}))
        self.stdout.write(f"\nWhole run {time.monotonic() - started:.0f} s.")


class Plan:
    """How long each phase runs and how the simulated people pace themselves."""

    def __init__(self, seconds, think, warmup, anchor_threads, anchor_seconds):
        self.seconds, self.think, self.warmup = seconds, think, warmup
        self.anchor_threads, self.anchor_seconds = anchor_threads, anchor_seconds


class Run:
    """What one phase measured: latencies (seconds) and errors per page, over `seconds`, and gunicorn's CPU."""

    def __init__(self, seconds=0.0):
        self.latencies: defaultdict[str, list[float]] = defaultdict(list)
        self.errors: Counter[tuple[str, str]] = Counter()  # (page, error): how many
        self.seconds, self.cpu = seconds, 0.0
        # CPU seconds over the window: gunicorn, the worker, this client, the machine
        self.busy: Counter[str] = Counter()
        self._lock = threading.Lock()

    def record(self, page, latency=None, error=None):
        with self._lock:
            if error is None:
                self.latencies[page].append(latency)
            else:
                self.errors[(page, error)] += 1


class Tally:
    """One phase's runs over the rounds, merged."""

    def __init__(self):
        self.latencies: defaultdict[str, list[float]] = defaultdict(list)
        self.errors: Counter[tuple[str, str]] = Counter()
        self.seconds, self.cpu, self.per_round = 0.0, 0.0, []
        self.busy: Counter[str] = Counter()

    def add(self, run):
        for page, values in run.latencies.items():
            self.latencies[page] += values
        self.errors.update(run.errors)
        self.seconds += run.seconds
        self.cpu += run.cpu
        self.busy.update(run.busy)
        counted = sum(len(v) for p, v in run.latencies.items() if p != PROBE)
        counted += sum(n for (p, _), n in run.errors.items() if p != PROBE)
        self.per_round.append(counted / run.seconds if run.seconds else 0.0)

    @property
    def kinds(self):
        return Counter({f"{page}: {kind}": n for (page, kind), n in self.errors.items()})

    def summary(self, pages=None):
        """One summary of the pages named (default: all but the probe), as summarise gives it."""
        pages = (
            [p for p in self.latencies.keys() | {p for p, _ in self.errors} if p != PROBE] if pages is None else pages
        )
        latencies = [v for p in pages for v in self.latencies.get(p, [])]
        errors = sum(n for (p, _), n in self.errors.items() if p in pages)
        return summarise(latencies, errors, self.seconds)

    def cpu_per_request_ms(self):
        requests = self.summary()["requests"]
        return self.cpu / requests * 1e3 if requests else float("nan")


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


def think_time(rng, mean):
    """A patient's pause before the next page: exponential with this mean, cut at THINK_CAP times it."""
    if mean <= 0:
        return 0.0
    return min(rng.expovariate(1.0 / mean), THINK_CAP * mean)


def parse_servers(text):
    """'2x1,2x4' -> [(2, 1), (2, 4)]: gunicorn workers and threads per worker (1 thread: a sync worker)."""
    configs = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*x\s*(\d+)\s*", part)
        if not match:
            raise CommandError(f"--servers takes WORKERSxTHREADS, comma-separated (e.g. 2x1,2x4), not {part!r}.")
        workers, threads = int(match[1]), int(match[2])
        if not 1 <= workers <= 8 or not 1 <= threads <= 16 or workers * threads > 32:
            raise CommandError("--servers: 1-8 workers of 1-16 threads, at most 32 threads in all.")
        if (workers, threads) not in configs:
            configs.append((workers, threads))
    return configs


def server_label(workers, threads):
    return f"{workers} sync" if threads == 1 else f"{workers}x{threads} gthread"


def _row(name, s, cpu=None):
    cpu_text = "" if cpu is None else f" {cpu:>7.1f}"
    return (
        f"{name:<14} {s['requests']:>8} {s['per_second']:>7.1f} {s['p50'] * 1e3:>7.0f} "
        f"{s['p95'] * 1e3:>7.0f} {s['p99'] * 1e3:>7.0f} {s['errors']:>6}{cpu_text}"
    )


def format_run(tallies, states):
    """One server's figures: the patients per page and overall for each Redis state, the anchor, the ratios."""
    head = (
        f"{'':<14} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'CPU ms':>7}"
    )
    lines = [head]
    anchor = tallies[ANCHOR].summary([ANCHOR]) if ANCHOR in tallies else None
    for state in states:
        tally = tallies[state]
        if len(states) > 1:
            lines.append(f"patients, Redis {state}:")
        for page in PAGES:
            lines.append(_row(f"  {page}", tally.summary([page])))
        overall = tally.summary()
        lines.append(_row("  all pages", overall, tally.cpu_per_request_ms()))
        if tally.latencies.get(PROBE):
            lines.append(_row(f"  {PROBE}", tally.summary([PROBE])))
    if anchor:
        lines.append(_row(f"{ANCHOR} /healthz", anchor, tallies[ANCHOR].cpu_per_request_ms()))
    for state in states:
        tally, overall = tallies[state], tallies[state].summary()
        seconds = tally.seconds or float("nan")
        lines.append(
            f"patients{'' if len(states) == 1 else ', Redis ' + state}: {overall['per_second']:.1f} req/s; "
            "req/s round by round " + ", ".join(f"{r:.1f}" for r in tally.per_round)
        )
        lines.append("  cores busy: " + format_busy(tally.busy, seconds))
        if tally.kinds:
            lines.append("  errors: " + ", ".join(f"{kind} x{n}" for kind, n in tally.kinds.most_common(5)))
        if anchor and anchor["per_second"]:
            bare_cpu = tallies[ANCHOR].cpu_per_request_ms()
            lines.append(
                f"  against the bare page: req/s {overall['per_second'] / anchor['per_second']:.3f} of its "
                f"{anchor['per_second']:.0f}; CPU per request {tally.cpu_per_request_ms() / bare_cpu:.1f}x; "
                f"p95 {overall['p95'] / anchor['p95']:.1f}x"
            )
    return "\n".join(lines)


def format_busy(busy, seconds):
    """CPU seconds over the measured time, as cores kept busy."""
    names = {"web": "gunicorn", "worker": "Celery worker", "postgres": "PostgreSQL here", "client": "this client"}
    parts = [f"{label} {busy[key] / seconds:.2f}" for key, label in names.items() if key in busy]
    if "machine" in busy:
        rest = busy["machine"] - sum(busy[key] for key in names)
        parts.append(f"the rest (other jobs) {rest / seconds:.2f}")
        parts.append(f"whole machine {busy['machine'] / seconds:.2f} of {os.cpu_count()}")
    return ", ".join(parts)


def verdict(summary, p95_limit=0.300):
    """Issue 17's goal for the paced patients with Redis up: no error, and p95 under 300 ms."""
    met = summary["errors"] == 0 and summary["p95"] < p95_limit
    return (
        f"goal (0 errors, p95 under {p95_limit * 1e3:.0f} ms): {'met' if met else 'NOT met'} "
        f"({summary['errors']} errors, p95 {summary['p95'] * 1e3:.0f} ms)"
    )


def server_row(tallies):
    """The figures one server configuration is judged by (Redis up)."""
    patients, anchor = tallies["up"], tallies[ANCHOR]
    overall, bare = patients.summary(), anchor.summary([ANCHOR])
    return {
        "per_second": overall["per_second"],
        "p50": overall["p50"],
        "p95": overall["p95"],
        "p99": overall["p99"],
        "dashboard_p95": patients.summary(["dashboard"])["p95"],
        "errors": overall["errors"],
        "busy": patients.cpu / patients.seconds if patients.seconds else float("nan"),
        "machine": patients.busy["machine"] / patients.seconds if patients.seconds else float("nan"),
        "bare_per_second": bare["per_second"],
        "bare_p95": bare["p95"],
        "probe_p95": patients.summary([PROBE])["p95"],
    }


def format_servers(rows):
    """One line per server configuration: the patients (Redis up) beside its bare page."""
    lines = [
        f"{'server':<14} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'dash p95':>8} {'errors':>6} "
        f"{'cores':>5} {'machine':>7} {'bare req/s':>10} {'bare p95':>8} {'probe p95':>9}"
    ]
    for name, r in rows.items():
        lines.append(
            f"{name:<14} {r['per_second']:>6.1f} {r['p50'] * 1e3:>7.0f} {r['p95'] * 1e3:>7.0f} {r['p99'] * 1e3:>7.0f} "
            f"{r['dashboard_p95'] * 1e3:>8.0f} {r['errors']:>6} {r['busy']:>5.2f} {r['machine']:>7.2f} "
            f"{r['bare_per_second']:>10.0f} "
            f"{r['bare_p95'] * 1e3:>8.1f} {r['probe_p95'] * 1e3:>9.1f}"
        )
    return "\n".join(lines)


def format_table(summaries):
    """Redis states: one line per state, then each state's ratio to "up" (requests/s and latencies)."""
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


def _child_env(redis_port, web_port):
    """Production settings for gunicorn and the worker, with the private Redis as cache and broker."""
    broker = f"redis://127.0.0.1:{redis_port}/0"
    return benchserver.child_env(web_port, REDIS_URL=broker, CELERY_BROKER_URL=broker)


def _start_worker(env):
    command = [benchserver.venv_program("celery"), "-A", "crps_tracker", "worker", "--concurrency", "1"]
    command += ["--loglevel", "ERROR"]
    # Quiet: while Redis is down it reports every reconnection attempt.
    return subprocess.Popen(  # noqa: S603
        command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _set_redis(redis, state, port):
    """Put the private redis in `state`; returns the (possibly new) process."""
    if state == "up":
        return redis if redis.poll() is None else start_redis(port)
    if redis.poll() is not None:  # down already; hung needs a running process
        redis = start_redis(port)
    if state == "down":
        _stop(redis)
    else:
        redis.send_signal(signal.SIGSTOP)
    return redis


def _stop(process):
    """Ends a process, a stopped (SIGSTOP) one too."""
    if process.poll() is None:
        process.send_signal(signal.SIGCONT)
    benchserver.stop(process)


def _start_web(env, port, workers=2, threads=1):
    return benchserver.start_gunicorn(env, port, workers=workers, threads=threads)


def _cpu_seconds(pid, children=True):
    """User and system CPU seconds of a process and its children, now (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split() if children else []
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return own + sum(_cpu_seconds(int(child)) for child in children)


def _timed(port, cookies, run, counted, page, method, path, expected, body=None):
    """One request, recorded under `page` when counted() says it started inside the window. Body or None."""
    in_window = counted()
    began = time.perf_counter()
    try:
        status, text = benchserver.request(port, method, path, cookies, body)
    except OSError as error:
        if in_window:
            run.record(page, error=type(error).__name__)
        return None
    if status != expected:
        if in_window:
            run.record(page, error=str(status))
        return None
    if in_window:
        run.record(page, latency=time.perf_counter() - began)
    return text


def _pause(seconds, stop_at):
    time.sleep(max(0.0, min(seconds, stop_at - time.monotonic())))


def _patient(port, cookies, rng, think, window, run):
    """Today's page, its save, the history the save leads to and the dashboard, with think times, until stop."""
    start_at, stop_at = window

    def counted():
        return start_at <= time.monotonic() < stop_at

    _pause(rng.uniform(0, think), stop_at)  # patients arrive spread over one think time
    step = 0
    while time.monotonic() < stop_at:
        step += 1
        text = _timed(port, cookies, run, counted, "today", "GET", "/diary/today/", 200)
        _pause(think_time(rng, think), stop_at)  # reading and filling in the form
        if text is None or time.monotonic() >= stop_at:
            continue
        page = text.decode()
        token, action = CSRF_INPUT.search(page), DIARY_FORM.search(page)
        if token is None or action is None:
            if counted():
                run.record("save", error="no diary form with a CSRF token")
            continue
        values = {"csrfmiddlewaretoken": token[1], "pain": step % 11, "mood": 5, "notes": "bench"}
        if _timed(port, cookies, run, counted, "save", "POST", action[1], 302, urlencode(values)) is None:
            continue
        _timed(port, cookies, run, counted, "history", "GET", "/diary/", 200)  # the redirect, followed at once
        _pause(think_time(rng, think), stop_at)
        if time.monotonic() < stop_at:
            _timed(port, cookies, run, counted, "dashboard", "GET", "/dashboard/", 200)
            _pause(think_time(rng, think), stop_at)


def _probe(port, window, run):
    """/healthz every PROBE_INTERVAL seconds: the wait a trivial request meets under the patients' load."""
    start_at, stop_at = window
    while time.monotonic() < stop_at:
        _timed(port, {}, run, lambda: start_at <= time.monotonic() < stop_at, PROBE, "GET", "/healthz", 200)
        _pause(PROBE_INTERVAL, stop_at)


def _bare(port, window, run):
    start_at, stop_at = window
    while time.monotonic() < stop_at:
        _timed(port, {}, run, lambda: start_at <= time.monotonic() < stop_at, ANCHOR, "GET", "/healthz", 200)


def _cpu_snapshot(pids):
    """CPU seconds so far: each named process tree, this client, PostgreSQL's backends on this database (named
    in their process titles; the server's own processes and other databases count in the rest), the whole
    machine (Linux /proc; zeros elsewhere)."""
    snapshot = Counter({name: _cpu_seconds(pid) for name, pid in pids.items()})
    snapshot["client"] = time.process_time()  # type: ignore[assignment]  # float seconds; typeshed: int counts
    database = settings.DATABASES["default"]["NAME"]
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        snapshot["postgres"] = 0.0  # type: ignore[assignment]  # float seconds; typeshed: int counts
        for title in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                text = title.read_bytes()
            except OSError:
                continue
            if text.startswith(b"postgres: ") and f" {database} ".encode() in text:
                snapshot["postgres"] += _cpu_seconds(int(title.parent.name), children=False)
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        # Less idle and iowait.
        snapshot["machine"] = (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # type: ignore[assignment]  # float seconds; typeshed: int counts
    except (OSError, IndexError, ValueError):
        pass
    return snapshot


def _measure(pids, targets, warmup, seconds):
    """Start one thread per (function, args), each given the window; the CPU used over it. Returns the Run."""
    run = Run(seconds)
    began = time.monotonic()
    window = (began + warmup, began + warmup + seconds)
    threads = [threading.Thread(target=f, args=(*a, window, run), daemon=True) for f, a in targets]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, window[0] - time.monotonic()))
    before = _cpu_snapshot(pids)
    time.sleep(max(0.0, window[1] - time.monotonic()))
    run.busy = _cpu_snapshot(pids)
    run.busy.subtract(before)
    run.cpu = run.busy["web"]
    for thread in threads:
        thread.join(timeout=2 * REQUEST_TIMEOUT)
    return run


def _run_patients(port, pids, all_cookies, plan):
    """Every patient in its own thread (each with its own seeded random pacing) and the probe."""
    targets: list[tuple[Callable[..., None], tuple[Any, ...]]] = [
        (_patient, (port, cookies, random.Random(index), plan.think))  # noqa: S311 (pacing, not secrets)
        for index, cookies in enumerate(all_cookies)
    ]
    targets.append((_probe, (port,)))
    return _measure(pids, targets, plan.warmup, plan.seconds)


def _run_anchor(port, pids, plan):
    targets = [(_bare, (port,)) for _ in range(plan.anchor_threads)]
    return _measure(pids, targets, min(1.0, plan.warmup), plan.anchor_seconds)


def _warm(port, some_cookies):
    """Each of these patients opens every page once, so every worker has loaded what it needs before timing."""
    run, window = Run(), (0.0, time.monotonic() + 2.0)
    rng = random.Random(0)  # noqa: S311 (pacing, not secrets)
    threads = [threading.Thread(target=_patient, args=(port, c, rng, 0.0, window, run)) for c in some_cookies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * REQUEST_TIMEOUT)
