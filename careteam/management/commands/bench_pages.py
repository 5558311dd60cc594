"""The pages' server time under gunicorn with production settings, against the login page (make bench-pages).

Creates throw-away patients in the configured database (a 30-day and a 5-year diary with treatments
and their flags, and one whose diary the bench saves to), a clinician with consent to see them, and
their sessions; starts gunicorn (production settings, DEBUG off, --no-control-socket) on a free port
of 127.0.0.1; then runs --rounds rounds, each asking every page once in a shuffled order, one request
at a time. Prints each page's median and 90th percentile, and the median as a ratio to the login
page's median of the same run. Everything created is deleted and the server stopped at the end:
run it on a development database, never production.
"""

import itertools
import logging
import random
import re
import secrets
import statistics
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.selectors import local_today
from accounts.services import clinician_create, patient_sign_up
from careteam.services import access_grant
from dashboard.bench import seed_history
from flags.services import worsening_scan
from lib import benchserver

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Command(BaseCommand):
    help = "Dashboard, review and report under gunicorn against the login page: medians and ratios."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=40)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (sync unless --threads > 1)")
        parser.add_argument("--threads", type=int, default=1)

    def handle(self, *args, rounds, workers, threads, **options):
        logging.getLogger("axes").setLevel(logging.WARNING)  # a line per force_login otherwise
        if not 3 <= rounds <= 400:  # 11 ** 3 distinct saves at 3 a round
            raise CommandError("--rounds 3-400.")
        stamp = time.time_ns()
        self.session_keys: list[str] = []
        created: list[User] = []
        server = redis = None
        try:
            started = time.monotonic()
            pages = self._seed(stamp, created)
            self.stdout.write(f"Seeded in {time.monotonic() - started:.0f} s; starting gunicorn.")
            port, redis_port = benchserver.free_port(), benchserver.free_port()
            redis = benchserver.start_redis(redis_port)  # a save queues its evaluation here
            broker = f"redis://127.0.0.1:{redis_port}/0"
            env = benchserver.child_env(port, REDIS_URL=broker, CELERY_BROKER_URL=broker)
            benchserver.collect_static(env)
            server = benchserver.start_gunicorn(env, port, workers=workers, threads=threads)
            self._run(port, pages, rounds, workers, threads)
        finally:
            benchserver.stop(server)
            benchserver.stop(redis)
            for user in created:
                user.delete()
            Session.objects.filter(session_key__in=self.session_keys).delete()

    def _seed(self, stamp, created):
        short, long, saver, editor = (
            patient_sign_up(username=f"bench-pages-{stamp}-{name}", password=None)
            for name in ("30d", "5y", "saver", "5y-editor")
        )
        created += [short, long, saver, editor]
        clinician = clinician_create(username=f"bench-pages-{stamp}-clinician", password=secrets.token_urlsafe(24))
        created.append(clinician)
        for patient, days in ((short, 30), (long, 5 * 365), (saver, 30), (editor, 5 * 365)):
            seed_history(patient, days=days, today=local_today(patient))
            worsening_scan(patient=patient)
            access_grant(patient=patient, clinician_identifier=clinician.username)
        device = TOTPDevice.objects.create(user=clinician, name="bench", confirmed=True)
        as_short, as_long = benchserver.session_cookies(short), benchserver.session_cookies(long)
        as_clinician = benchserver.session_cookies(clinician, second_factor=device)
        as_saver, as_editor = benchserver.session_cookies(saver), benchserver.session_cookies(editor)
        sessions = (as_short, as_long, as_clinician, as_saver, as_editor)
        self.session_keys = [cookies[settings.SESSION_COOKIE_NAME] for cookies in sessions]
        review = "/care/clinician/patients/"
        return {
            "login page (anchor)": ("GET", "/login/", {}),
            "dashboard, 30-day diary": ("GET", "/dashboard/", as_short),
            "dashboard, 5-year diary": ("GET", "/dashboard/", as_long),
            'dashboard, 5-year diary, "All"': ("GET", "/dashboard/?range=all", as_long),
            "clinician review, 30-day diary": ("GET", f"{review}{short.pk}/", as_clinician),
            'clinician review, 5-year diary, "All"': ("GET", f"{review}{long.pk}/?range=all", as_clinician),
            "report, 30-day diary": ("GET", f"/care/patients/{short.pk}/report/", as_clinician),
            "report, 5-year diary": ("GET", f"/care/patients/{long.pk}/report/", as_clinician),
            "saving a diary entry": ("POST", f"/diary/{local_today(saver).isoformat()}/", as_saver),
            # Nothing kept to reuse: each of these follows a save of that patient's day (not timed).
            "dashboard, 30-day diary, just edited": ("EDITED", "/dashboard/", as_saver, saver),
            'dashboard, 5-year diary, "All", just edited': ("EDITED", "/dashboard/?range=all", as_editor, editor),
        }

    def _run(self, port, pages, rounds, workers, threads):
        saves = itertools.count()

        def save_form(name, cookies):
            status, page = benchserver.request(port, "GET", "/diary/today/", cookies)
            token = CSRF_INPUT.search(page)
            if status != 200 or token is None:
                raise CommandError(f"{name}: today's page answered {status} without a form.")
            # Values never saved before: a day seen before would find its fragments kept from then.
            n = next(saves)
            values = {"pain": n % 11, "spasms": n // 11 % 11, "swelling": n // 121 % 11, "skin_changes": 1, "mood": 6}
            return urlencode(values | {"csrfmiddlewaretoken": token.group(1).decode()})

        def ask(name):
            method, path, cookies, *edited = pages[name]
            body = None
            if method == "POST":
                body = save_form(name, cookies)
            elif method == "EDITED":
                method, today = "GET", f"/diary/{local_today(edited[0]).isoformat()}/"
                status, _ = benchserver.request(port, "POST", today, cookies, save_form(name, cookies))
                if status != 302:
                    raise CommandError(f"{name}: saving {today} answered {status}.")
            start = time.perf_counter()
            status, content = benchserver.request(port, method, path, cookies, body)
            elapsed = (time.perf_counter() - start) * 1000
            if status not in (200, 302):
                raise CommandError(f"{name}: {method} {path} answered {status}.")
            return elapsed, len(content)

        for name in pages:  # warm up: imports, connections, the templates' first compile
            for _ in range(3):
                ask(name)
        times: dict[str, list[float]] = {name: [] for name in pages}
        sizes: dict[str, int] = {}
        order = list(pages)
        shuffler = random.Random(17)  # noqa: S311 - the order of the pages in a round
        for _ in range(rounds):
            shuffler.shuffle(order)
            for name in order:
                elapsed, size = ask(name)
                times[name].append(elapsed)
                sizes[name] = size
        anchor = statistics.median(times["login page (anchor)"])
        kind = f"{workers} sync workers" if threads == 1 else f"{workers} workers x {threads} threads"
        self.stdout.write(
            f"\ngunicorn ({kind}), production settings, {rounds} interleaved rounds, one request at a time;"
            f"\ntime from request to last byte on 127.0.0.1. The anchor, the login page: median {anchor:.1f} ms.\n"
        )
        self.stdout.write(f"{'page':<42}{'median ms':>10}{'p90 ms':>8}{'x login':>9}{'HTML kB':>9}")
        for name, values in times.items():
            median = statistics.median(values)
            p90 = statistics.quantiles(values, n=10)[-1]
            self.stdout.write(f"{name:<42}{median:>10.1f}{p90:>8.1f}{median / anchor:>8.1f}x{sizes[name] / 1024:>9.0f}")
