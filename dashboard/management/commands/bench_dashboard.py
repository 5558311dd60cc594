"""Measure the dashboard's server time and figure size for 30 days and 5 years of history.

Builds a throw-away patient (about 1,800 diary days and 50 treatments) inside a transaction
that is rolled back, renders the dashboard through the real view, and prints medians.
The 30-day dashboard of the same patient is the baseline of the same run.
"""

import datetime
import json
import random
import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.selectors import local_today
from accounts.services import patient_sign_up
from dashboard.selectors import dashboard
from dashboard.views import patient_dashboard
from symptoms.models import DiaryEntry
from treatments import services as treatment_services
from treatments.models import Procedure, Therapy


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
        rng = random.Random(7)  # noqa: S311 - synthetic data
        patient = patient_sign_up(username=f"bench-{time.time_ns()}", password=None)
        today = local_today(patient)
        first = today - datetime.timedelta(days=365 * years - 1)
        entries = []
        day = first
        while day <= today:
            if rng.random() > 0.15:
                entries.append(
                    DiaryEntry(
                        patient=patient,
                        date=day,
                        pain=rng.randint(2, 8),
                        spasms=rng.randint(1, 7),
                        swelling=rng.randint(0, 6),
                        skin_changes=rng.randint(0, 6),
                        mood=rng.randint(2, 9),
                    )
                )
            day += datetime.timedelta(days=1)
        DiaryEntry.objects.bulk_create(entries, batch_size=500)
        for i in range(20):
            med, _ = treatment_services.medication_start(
                patient=patient,
                name=f"Medicine {i}",
                drug_class="other",
                started_on=first + datetime.timedelta(days=80 * i),
                amount=Decimal(10),
                unit="mg",
                frequency="once_daily",
            )
            treatment_services.medication_change_dose(
                medication=med,
                changed_on=first + datetime.timedelta(days=80 * i + 30),
                amount=Decimal(20),
                unit="mg",
                frequency="once_daily",
            )
        for i in range(15):
            treatment_services.item_save(
                Procedure(
                    patient=patient,
                    kind="nerve_block",
                    block_type="peripheral_nerve",
                    side="left",
                    performed_on=first + datetime.timedelta(days=110 * i + 3),
                )
            )
        for i in range(15):
            treatment_services.item_save(
                Therapy(
                    patient=patient,
                    category="physiotherapy",
                    started_on=first + datetime.timedelta(days=120 * i),
                    ended_on=first + datetime.timedelta(days=120 * i + 60),
                )
            )
        self.stdout.write(
            f"Patient with {len(entries):,} diary days over {years} years and 50 treatments; {repeat} runs each.\n"
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
            pstats.Stats(profiler, stream=self.stdout).sort_stats("cumulative").print_stats(25)
            return
        self.stdout.write(
            f"{'range':<10}{'server ms (median)':>20}{'min':>8}{'queries':>9}{'figure kB':>11}{'page kB':>9}"
        )
        baseline = None
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
