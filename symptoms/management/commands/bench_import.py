"""Time the diary CSV import against two floors measured in the same run, in interleaved rounds.

Writes a valid diary of N daily lines (every column, in the documented format, with the app's own
writer) to a temporary file. Each round then times, one after the other:
  - the anchors: Python's csv module reading the file into lists of cells (the floor of reading),
    and a plain cursor read of the N imported rows (the floor of the database, whatever it is);
  - parse_diary_csv alone (reading and checking every line, no database);
  - `manage.py import_diary FILE --patient P` end to end into a throw-away patient with no diary
    (every line a new entry), and the same file again (every line replaces its entry).
It prints the median of each, as a ratio to each anchor with the absolute figure beside it.

The imports commit as real ones do. With a broker (REDIS_URL) the worsening evaluation is queued,
once per import, as in production; without one it runs in-process and is inside the import's time.
The patient is deleted after each round. Writes to the configured database: not for production.
"""

import csv
import datetime
import io
import random
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import User
from accounts.services import patient_sign_up
from symptoms.diary_csv import CSV_COLUMNS, MAX_ROWS, parse_diary_csv, write_diary_csv
from symptoms.models import DiaryEntry
from symptoms.vocabulary import BodySite, LimbTemperature, PainQuality, SkinColour, Sweating, Trigger

DEFAULT_LINES = 20_000  # issue 17: "a 20,000-line diary in at most 2 s end to end"


class Command(BaseCommand):
    help = "Time reading and importing an N-line diary CSV against reading it with the csv module (interleaved)."

    def add_arguments(self, parser):
        parser.add_argument("--lines", type=int, default=DEFAULT_LINES)
        parser.add_argument("--rounds", type=int, default=5)
        parser.add_argument("--skip-import", action="store_true", help="Time the reading only.")

    def handle(self, *args, lines, rounds, skip_import, **options):
        if not 1 <= lines <= MAX_ROWS:
            raise CommandError(f"--lines must be from 1 to {MAX_ROWS:,}.")
        if rounds < 1:
            raise CommandError("--rounds must be at least 1.")
        today = timezone.localdate()
        text = diary_text(lines, today - datetime.timedelta(days=1))  # up to yesterday: in the past anywhere
        parsed = parse_diary_csv(text, today=today)
        if not parsed.ok or len(parsed.rows) != lines:
            raise CommandError(f"The generated diary does not read back: {parsed.errors[:3]}")
        queued = bool(settings.CELERY_BROKER_URL)
        evaluation = "queued to the broker" if queued else "run in-process (no broker: set REDIS_URL to queue it)"
        self.stdout.write(
            f"{lines:,} lines, {len(text) / 1e6:.1f} MB, {connection.vendor}, {rounds} interleaved rounds, medians;"
            f" the evaluation {evaluation}:"
        )

        times: dict[str, list[float]] = {}
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "diary.csv"
            path.write_text(text, encoding="utf-8")
            for _ in range(rounds):
                self._round(path, today, times, skip_import)

        csv_floor = statistics.median(times["csv"])
        cursor_floor = statistics.median(times["cursor"]) if "cursor" in times else None
        rows = [
            ("csv", "anchor: csv.reader reading the file"),
            ("cursor", f"anchor: a plain cursor read of the {lines:,} rows"),
            ("parse", "parse_diary_csv (reading and checking)"),
            ("new", "import_diary end to end, every line new"),
            ("replace", "import_diary end to end, every line replacing"),
        ]
        for key, what in rows:
            if key not in times:
                continue
            median = statistics.median(times[key])
            ratios = f"{median / csv_floor:6.1f}x the csv read"
            if cursor_floor:
                ratios += f", {median / cursor_floor:5.1f}x the cursor read"
            self.stdout.write(f"  {what:<48} {ratios}  ({median:.3f} s; {median / lines * 1e6:.0f} µs a line)")

    def _round(self, path: Path, today: datetime.date, times: dict[str, list[float]], skip_import: bool) -> None:
        def timed(key, run):
            start = time.perf_counter()
            result = run()
            times.setdefault(key, []).append(time.perf_counter() - start)
            return result

        timed("csv", lambda: list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))))
        timed("parse", lambda: parse_diary_csv(path.read_text(encoding="utf-8"), today=today))
        if skip_import:
            return
        patient = patient_sign_up(username=f"bench-import-{time.time_ns()}", password=None)
        try:
            timed("new", lambda: _import(path, patient))
            timed("cursor", lambda: _read_rows(patient))
            timed("replace", lambda: _import(path, patient))
        finally:
            patient.delete()


def _import(path: Path, patient: User) -> None:
    call_command("import_diary", str(path), "--patient", patient.username, stdout=io.StringIO())


def _read_rows(patient: User) -> list[tuple]:
    """Every column of the patient's entries through a plain cursor: no model, no conversion."""
    table = connection.ops.quote_name(DiaryEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE patient_id = %s", [patient.pk])  # noqa: S608 - the table name only
        return cursor.fetchall()


def diary_text(lines: int, last: datetime.date) -> str:
    """A valid diary CSV of `lines` consecutive days up to `last`, every column used."""
    rng = random.Random(11)  # noqa: S311 - synthetic data

    def some(choices, most: int) -> list[str]:
        return rng.sample([value for value, _ in choices], rng.randint(0, most))

    def maybe(value, chance: float = 0.8):
        return value if rng.random() < chance else None

    rows = []
    for back in range(lines - 1, -1, -1):
        rows.append(
            {
                "date": last - datetime.timedelta(days=back),
                "pain": rng.randint(0, 10),
                "spasms": maybe(rng.randint(0, 10)),
                "swelling": maybe(rng.randint(0, 10)),
                "skin_changes": maybe(rng.randint(0, 10)),
                "mood": rng.randint(0, 10),
                "notes": rng.choice(["", "", "Cold day, flare in the evening.", "Physio; better after."]),
                "worst_pain": maybe(rng.randint(0, 10), 0.5),
                "pain_qualities": some(PainQuality.choices, 3),
                "allodynia": maybe(rng.random() < 0.5, 0.5),
                "triggers": some(Trigger.choices, 2),
                "body_sites": some(BodySite.choices, 2),
                "spasm_episodes": maybe(rng.randint(0, 40), 0.5),
                "tremor": maybe(rng.random() < 0.3, 0.5),
                "skin_colour": rng.choice(["", *SkinColour.values]),
                "limb_temperature": rng.choice(["", *LimbTemperature.values]),
                "sweating": rng.choice(["", *Sweating.values]),
                "sleep_quality": maybe(rng.randint(0, 10), 0.5),
                "anxiety": maybe(rng.randint(0, 10), 0.5),
                "interference": maybe(rng.randint(0, 10), 0.5),
            }
        )
    assert set(rows[0]) == set(CSV_COLUMNS)
    out = io.StringIO()
    write_diary_csv(rows, out)
    return out.getvalue()
