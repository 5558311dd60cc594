"""Save latency with the broker up, refused and hung (make bench-broker).

Starts a private redis-server on a free port of 127.0.0.1, points Celery at it (no worker: a
save only publishes), and times --saves diary saves through the real service
(symptoms.services.diary_entry_save, committed, its on-commit publish included) in each state,
interleaved over --rounds: up; hung (the redis process stopped with SIGSTOP: it accepts
connections and never answers); refused (the process ended; restarted for the next round). Each
state starts with a fresh connection pool and a closed breaker, so its first save meets the broker
as it is. Writes into a throw-away patient in the configured database, deleted at the end: run it
on a development database, never production.
"""

import datetime
import shutil
import signal
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.services import patient_sign_up
from crps_tracker.celery import app
from flags import scheduling
from flags.models import PendingEvaluation
from lib.benchserver import free_port as _free_port
from lib.benchserver import start_redis as _start_redis
from symptoms.services import diary_entry_save

STATES = ("up", "hung", "refused")


class Command(BaseCommand):
    help = "Time diary saves with a private Redis up, hung (SIGSTOP) and refusing; ratios to 'up'."

    def add_arguments(self, parser):
        parser.add_argument("--saves", type=int, default=50, help="Saves per state and round.")
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument(
            "--no-breaker", action="store_true", help="Try the broker on every save (each pays the timeout)."
        )

    def handle(self, *args, saves, rounds, no_breaker, **options):
        if shutil.which("redis-server") is None:
            raise CommandError("make bench-broker needs redis-server on the PATH.")
        if not 1 <= saves <= 500 or not 1 <= rounds <= 10:
            raise CommandError("--saves must be from 1 to 500 and --rounds from 1 to 10.")
        if no_breaker:
            scheduling.BREAKER_SECONDS = 0.0
        port = _free_port()
        saved_conf = {k: app.conf[k] for k in ("task_always_eager", "broker_url")}
        app.conf.update(task_always_eager=False, broker_url=f"redis://127.0.0.1:{port}/0")
        patient = patient_sign_up(username=f"bench-broker-{time.time_ns()}", password=None)
        day = timezone.localdate() - datetime.timedelta(days=1)
        timings: dict[str, list[float]] = {state: [] for state in STATES}  # seconds per save
        redis = _start_redis(port)
        try:
            for _ in range(rounds):
                if redis.poll() is not None:
                    redis = _start_redis(port)
                for state in STATES:
                    if state == "hung":
                        redis.send_signal(signal.SIGSTOP)
                    elif state == "refused":
                        redis.terminate()
                        redis.wait(timeout=10)
                    _fresh_connections()
                    try:
                        timings[state] += _time_saves(patient, day, saves)
                    finally:
                        if state == "hung":
                            redis.send_signal(signal.SIGCONT)
            marked = PendingEvaluation.objects.filter(patient=patient).exists()
        finally:
            if redis.poll() is None:
                redis.send_signal(signal.SIGCONT)
                redis.terminate()
                redis.wait(timeout=10)
            app.conf.update(saved_conf)
            _fresh_connections()
            patient.delete()
        self._report(timings, saves, rounds, port, marked, no_breaker)

    def _report(self, timings, saves, rounds, port, marked, no_breaker):
        up_median, up_p95 = _median(timings["up"]), _p95(timings["up"])
        self.stdout.write(
            f"{saves} saves per state x {rounds} rounds, interleaved; private redis-server on 127.0.0.1:{port}; "
            f"breaker {'off' if no_breaker else f'{scheduling.BREAKER_SECONDS:.0f} s'}."
        )
        self.stdout.write(
            f"{'broker':<8} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'median/up':>10} {'p95/up':>7}"
        )
        for state in STATES:
            values = timings[state]
            median, p95 = _median(values), _p95(values)
            self.stdout.write(
                f"{state:<8} {median * 1e3:>10.2f} {p95 * 1e3:>8.2f} {max(values) * 1e3:>8.1f} "
                f"{median / up_median:>10.2f} {p95 / up_p95:>7.2f}"
            )
        self.stdout.write(f"The patient was still marked for evaluation at the end: {'yes' if marked else 'NO'}.")


def _time_saves(patient, day, count):
    timings = []
    for index in range(count):
        started = time.perf_counter()
        diary_entry_save(patient=patient, date=day, values={"pain": index % 11})  # autocommit: publishes at once
        timings.append(time.perf_counter() - started)
    return timings


def _fresh_connections():
    app.close()
    app._pool = None
    app.amqp._producer_pool = None
    scheduling.reset_breaker()


def _median(values):
    return statistics.median(values)


def _p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
