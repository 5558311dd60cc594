"""Measure the dashboard's server time and figure size for 30 days and 5 years of history.

Builds a throw-away patient (about 1,800 diary days and 50 treatments) inside a transaction
that is rolled back, renders the dashboard through the real view, and prints medians.
The 30-day dashboard of the same patient is the baseline of the same run.
"""

import io
import json
import statistics
import time

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.selectors import local_today
from accounts.services import patient_sign_up
from dashboard.bench import seed_history
from dashboard.selectors import dashboard
from dashboard.views import patient_dashboard


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Print the dashboard's server time and figure size for 30 days and 5 years of history."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--profile", metavar="RANGE", help="Print a cProfile of one render of this range.")

    def handle(self, *args, repeat, years, profile, **options):
        self.profile = profile
        try:
            with transaction.atomic():
                self._run(repeat, years)
                raise Rollback
        except Rollback:
            pass

    def _run(self, repeat: int, years: int) -> None:
        patient = patient_sign_up(username=f"bench-{time.time_ns()}", password=None)
        today = local_today(patient)
        written = seed_history(patient, days=365 * years, today=today)
        self.stdout.write(
            f"Patient with {written:,} diary days over {years} years, with treatments; {repeat} runs each.\n"
        )
        factory = RequestFactory()
        if self.profile:
            import cProfile
            import pstats

            request = factory.get("/dashboard/", {"range": self.profile})
            request.user = patient
            patient_dashboard(request)
            profiler = cProfile.Profile()
            profiler.runcall(patient_dashboard, request)
            report = io.StringIO()  # pstats writes to a file; the command's stdout is a wrapper of one
            pstats.Stats(profiler, stream=report).sort_stats("cumulative").print_stats(25)
            self.stdout.write(report.getvalue())
            return
        self.stdout.write(
            f"{'range':<10}{'server ms (median)':>20}{'min':>8}{'queries':>9}{'figure kB':>11}{'page kB':>9}"
        )
        baseline = None
        # A RequestFactory request has no CSRF cookie, so each gets a new secret and so a new kept-page key
        # (lib.pages): every run here draws the page in full, as the first view after an edit does.
        for key in ("30", "90", "365", "all"):
            timings = []
            for _ in range(repeat):
                request = factory.get("/dashboard/", {"range": key})
                request.user = patient
                start = time.perf_counter()
                response = patient_dashboard(request)
                timings.append((time.perf_counter() - start) * 1000)
            with CaptureQueriesContext(connection) as queries:
                request = factory.get("/dashboard/", {"range": key})
                request.user = patient
                response = patient_dashboard(request)
            figure = dashboard(patient, {"range": key}, today=today).figure
            figure_kb = len(json.dumps(figure, cls=DjangoJSONEncoder)) / 1024
            median = statistics.median(timings)
            baseline = baseline or median
            self.stdout.write(
                f"{key:<10}{median:>20.1f}{min(timings):>8.1f}{len(queries):>9}{figure_kb:>11.1f}"
                f"{len(response.content) / 1024:>9.1f}   x{median / baseline:.1f} of 30 days"
            )
