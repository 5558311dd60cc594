"""The nightly sweep through the real Celery path, against reading its rows (make bench-sweep).

Writes --patients throw-away patients with --days of simulated diary each (flags.simulation, a pool
of diaries reused round the patients) into the configured database with COPY (bulk_create on other
databases), starts a private redis-server on a free port of 127.0.0.1 and Celery workers on it
(production settings), and times nightly_sweep -> evaluate_chunk until every chunk has finished: the
patients are marked for evaluation first, and the sweep is over when no mark is left. A first sweep
stores the flags (reported, not counted); then, over --rounds interleaved rounds, a night on which
the diaries did not change with 1 worker process and with 2, and the anchor: reading the same rows
with a plain cursor. Prints patients/s, each sweep against the read, and 2 workers against 1.
Everything it created is deleted at the end, also on an error: run it on a development database
(make bench-sweep DATABASE_URL=postgres://.../crps_bench_sweep), never production.
"""

import datetime
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import PatientProfile, User
from crps_tracker.celery import app
from flags.models import Flag, PendingEvaluation
from flags.scheduling import mark_for_evaluation, reset_breaker
from flags.simulation import MEASURE_NAMES, START, simulate_patient
from flags.tasks import SWEEP_CHUNK, nightly_sweep
from lib.benchserver import free_port, start_redis, stop
from symptoms.models import DiaryEntry

POOL = 500  # simulated diaries, reused round the patients
EVENT_KINDS = ("sustained", "gradual", "new_sign", "mood_drop", "flare", None)
SWEEP_TIMEOUT = 15 * 60  # seconds


class Command(BaseCommand):
    help = "Time the nightly sweep (Celery, 1 and 2 worker processes) against reading its rows."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=10_000)
        parser.add_argument("--days", type=int, default=180, help="Days of diary per patient.")
        parser.add_argument("--rounds", type=int, default=2, help="Interleaved rounds of read, 1 worker, 2 workers.")

    def handle(self, *args, patients, days, rounds, **options):
        for program in ("redis-server", "celery"):
            if not _program(program):
                raise CommandError(f"make bench-sweep needs {program}.")
        if not 1 <= patients <= 50_000 or not 140 <= days <= 1000 or not 1 <= rounds <= 5:
            raise CommandError("--patients 1-50000, --days 140-1000 (events begin from day 90), --rounds 1-5.")
        started = time.monotonic()
        port = free_port()
        saved_conf = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
        ids, redis, worker = [], None, None
        try:
            ids = _create_patients(patients)
            rows = _write_diaries(ids, days)
            self.stdout.write(
                f"{patients:,} patients x {days} days ({rows:,} diary rows, some days missed; written in "
                f"{time.monotonic() - started:.0f} s) in {connection.vendor}; private redis-server on "
                f"127.0.0.1:{port}; chunks of {SWEEP_CHUNK}; {os.cpu_count()} CPUs, load average "
                f"{os.getloadavg()[0]:.1f} at the start."
            )
            others = User.objects.filter(role=User.Role.PATIENT, is_active=True).exclude(pk__in=ids).count()
            if others:
                self.stdout.write(f"The sweep also evaluates the database's {others:,} other patients.")
            redis = start_redis(port)
            app.conf.update(task_always_eager=False, broker_url=f"redis://127.0.0.1:{port}/0")
            _fresh_connections()
            env = _worker_env(port)
            worker = _start_worker(env, 2)
            first = _sweep(ids)
            flags = Flag.objects.filter(patient__in=ids).count()
            self.stdout.write(f"First sweep (2 worker processes, stores {flags:,} flags): {first:.1f} s, not counted.")
            # Seconds: reading the rows ("read") and sweeping with 1 or 2 worker processes; their CPU seconds.
            timings: dict[str | int, list[float]] = {"read": [], 1: [], 2: []}
            cpu: dict[int, list[float]] = {1: [], 2: []}
            for round_index in range(rounds):
                order = ("read", 1, 2) if round_index % 2 == 0 else (2, 1, "read")
                for what in order:
                    if isinstance(what, str):  # "read"
                        timings["read"].append(_read(ids))
                        continue
                    stop(worker, timeout=30)  # each sweep starts with a fresh worker, ready before the clock starts
                    worker = _start_worker(env, what)
                    used = _cpu_seconds(worker)
                    timings[what].append(_sweep(ids))
                    cpu[what].append(_cpu_seconds(worker) - used)
        finally:
            stop(worker, timeout=30)
            stop(redis, timeout=30)
            app.conf.update(saved_conf)
            _fresh_connections()
            _delete(ids)
        self._report(patients, timings, cpu)
        self.stdout.write(f"Whole run {time.monotonic() - started:.0f} s; everything it wrote is deleted.")

    def _report(self, patients, timings, cpu):
        self.stdout.write(
            "| round | read the rows (s) | sweep, 1 worker (s) | its CPU (s) | sweep, 2 workers (s) | their CPU (s) |"
        )
        self.stdout.write("|---|---|---|---|---|---|")
        columns = (timings["read"], timings[1], cpu[1], timings[2], cpu[2])
        for index, row in enumerate(zip(*columns, strict=True), start=1):
            self.stdout.write(f"| {index} | " + " | ".join(f"{seconds:.2f}" for seconds in row) + " |")
        read, one, two = (statistics.median(timings[key]) for key in ("read", 1, 2))
        self.stdout.write(
            f"Medians: reading the rows {read:.2f} s; "
            f"1 worker {one:.1f} s ({patients / one:,.0f} patients/s, {one / read:.1f}x the read); "
            f"2 workers {two:.1f} s ({patients / two:,.0f} patients/s, {two / read:.1f}x the read); "
            f"2 workers against 1: {one / two:.2f}x as fast."
        )
        if all(cpu.values()):
            busy = {n: statistics.median(c / t for c, t in zip(cpu[n], timings[n], strict=True)) for n in (1, 2)}
            self.stdout.write(
                f"CPU the workers got (CPU seconds / wall seconds, median): 1 worker {busy[1]:.2f} cores, "
                f"2 workers {busy[2]:.2f} cores; CPU per patient {1e3 * statistics.median(cpu[1]) / patients:.2f} ms "
                f"with 1 worker, {1e3 * statistics.median(cpu[2]) / patients:.2f} ms with 2."
            )


def _program(name):
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def _create_patients(count: int) -> list[int]:
    stamp = time.time_ns()
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"bench-sweep-{stamp}-{n}", role=User.Role.PATIENT, password=unusable) for n in range(count)
    )
    ids = [user.pk for user in users]
    PatientProfile.objects.bulk_create(
        PatientProfile(user_id=pk, time_zone=settings.DEFAULT_PATIENT_TIME_ZONE) for pk in ids
    )
    return ids


def _write_diaries(ids: list[int], days: int) -> int:
    """`days` of simulated diary ending yesterday for each patient (COPY on PostgreSQL); the rows written."""
    rng = random.Random(2026)  # noqa: S311 - simulated diaries, a fixed seed
    pool = [simulate_patient(rng, days=days, event_kind=EVENT_KINDS[n % len(EVENT_KINDS)]) for n in range(POOL)]
    last = timezone.localdate() - datetime.timedelta(days=1)
    diaries = []
    for simulated in pool:
        offset = last - (START + datetime.timedelta(days=days - 1))
        diaries.append([(day + offset, *(values[m] for m in MEASURE_NAMES)) for day, values in simulated.daily.items()])
    rows = ((pk, *row) for n, pk in enumerate(ids) for row in diaries[n % POOL])
    count = sum(len(diaries[n % POOL]) for n in range(len(ids)))
    now = timezone.now()
    if connection.vendor != "postgresql":
        fields = ("patient_id", "date", *MEASURE_NAMES)
        DiaryEntry.objects.bulk_create(
            (DiaryEntry(**dict(zip(fields, row, strict=True))) for row in rows), batch_size=5000
        )
        return count
    columns: tuple[str, ...] = ("patient_id", "date", *MEASURE_NAMES, "pain_qualities", "triggers", "body_sites")
    columns += (
        "skin_colour",
        "limb_temperature",
        "sweating",
        "notes",
        "note_for_clinician",
        "created_at",
        "updated_at",
    )
    rest = ("[]", "[]", "[]", "", "", "", "", False, now, now)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {DiaryEntry._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row((*row, *rest))
    return count


def _worker_env(port: int) -> dict:
    """Production settings for the workers, with this process's database (the same one, also under a
    test) and the private broker."""
    env = dict(os.environ)
    broker = f"redis://127.0.0.1:{port}/0"
    env.update(
        DJANGO_SETTINGS_MODULE="crps_tracker.settings.production",
        DEBUG="false",
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        REDIS_URL=broker,
        CELERY_BROKER_URL=broker,
        LOG_LEVEL="WARNING",
        EMAIL_URL="consolemail://",
    )
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        login = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        env["DATABASE_URL"] = f"postgres://{login}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    return env


def _start_worker(env: dict, concurrency: int) -> subprocess.Popen:
    """A Celery worker with `concurrency` processes, once it answers a ping."""
    name = f"bench-sweep-{concurrency}-{time.time_ns()}@127.0.0.1"
    command = [_program("celery"), "-A", "crps_tracker", "worker", "--concurrency", str(concurrency)]
    command += ["--hostname", name, "--loglevel", "ERROR", "--without-gossip", "--without-mingle"]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - read only if the worker fails to start
    worker = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=log, stderr=log)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and worker.poll() is None:
        if app.control.ping(destination=[name], timeout=0.5):
            return worker
    stop(worker, timeout=30)
    log.seek(0)
    last_words = log.read()[-2000:].decode(errors="replace")
    raise CommandError(f"The Celery worker did not start; its last words:\n{last_words}")


def _sweep(ids: list[int]) -> float:
    """Seconds from queuing the nightly sweep until every chunk with one of `ids` has finished."""
    mark_for_evaluation(ids)
    low, high = min(ids), max(ids)
    started = time.perf_counter()
    nightly_sweep.delay()
    while PendingEvaluation.objects.filter(pk__gte=low, pk__lte=high).exists():
        if time.perf_counter() - started > SWEEP_TIMEOUT:
            raise CommandError(f"The sweep did not finish within {SWEEP_TIMEOUT} s.")
        time.sleep(0.02)
    return time.perf_counter() - started


def _read(ids: list[int]) -> float:
    """Seconds to read the patients' diary rows (the measures the sweep reads) with a plain cursor."""
    columns = ", ".join(("patient_id", "date", *MEASURE_NAMES))
    table = DiaryEntry._meta.db_table
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {table} WHERE patient_id BETWEEN %s AND %s ORDER BY patient_id, date",  # noqa: S608
            [min(ids), max(ids)],
        )
        rows = cursor.fetchall()
    elapsed = time.perf_counter() - started
    if not rows:
        raise CommandError("No diary rows to read.")
    return elapsed


def _cpu_seconds(worker: subprocess.Popen) -> float:
    """CPU time used so far by the worker and its pool processes (Linux /proc; 0 elsewhere)."""
    pids, total = [worker.pid], 0.0
    try:
        for task in Path(f"/proc/{worker.pid}/task").iterdir():
            pids += [int(pid) for pid in (task / "children").read_text().split()]
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    except (OSError, ValueError):
        return 0.0
    return total


def _fresh_connections() -> None:
    app.close()
    app._pool = None
    app.amqp._producer_pool = None
    reset_breaker()


def _delete(ids: list[int]) -> None:
    """Remove every row the run wrote: flags, marks, diaries, then the patients (and their profiles)."""
    for start in range(0, len(ids), 5000):
        batch = ids[start : start + 5000]
        Flag.objects.filter(patient__in=batch).delete()
        PendingEvaluation.objects.filter(pk__in=batch).delete()
        DiaryEntry.objects.filter(patient__in=batch).delete()
        User.objects.filter(pk__in=batch).delete()
