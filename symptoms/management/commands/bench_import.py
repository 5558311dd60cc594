"""Time the diary CSV import: reading the file, and the whole `import_diary` command.

Writes a valid diary of N daily lines (every column, in the documented format, with the app's
own writer) to a temporary file, then times, best of --repeat:
  - parse_diary_csv alone (reading and checking every line, no database);
  - `manage.py import_diary FILE --patient P` end to end, into a throw-away patient who has no
    diary yet. It commits as a real import does, so without a broker the worsening evaluation
    runs in-process and is timed too (with REDIS_URL it is only queued). The patient is deleted
    after each run.
"""

import datetime
import io
import random
import tempfile
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.services import patient_sign_up
from symptoms.diary_csv import CSV_COLUMNS, MAX_ROWS, parse_diary_csv, write_diary_csv
from symptoms.vocabulary import BodySite, LimbTemperature, PainQuality, SkinColour, Sweating, Trigger


class Command(BaseCommand):
    help = "Print how long reading a diary CSV and the whole import_diary command take for N lines."

    def add_arguments(self, parser):
        parser.add_argument("--lines", type=int, default=MAX_ROWS)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--skip-import", action="store_true", help="Time the reading only.")

    def handle(self, *args, lines, repeat, skip_import, **options):
        if not 1 <= lines <= MAX_ROWS:
            raise CommandError(f"--lines must be from 1 to {MAX_ROWS:,}.")
        today = timezone.localdate()
        text = diary_text(lines, today - datetime.timedelta(days=1))  # up to yesterday: in the past anywhere
        parsed = parse_diary_csv(text, today=today)
        if not parsed.ok or len(parsed.rows) != lines:
            raise CommandError(f"The generated diary does not read back: {parsed.errors[:3]}")
        self.stdout.write(f"{lines:,} lines, {len(text) / 1e6:.1f} MB, best of {repeat}:")

        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            parse_diary_csv(text, today=today)
            times.append(time.perf_counter() - start)
        self._report("parse_diary_csv", times, lines)
        if skip_import:
            return

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "diary.csv"
            path.write_text(text, encoding="utf-8")
            times = [self._import_once(path) for _ in range(repeat)]
        self._report("import_diary, end to end", times, lines)

    def _import_once(self, path: Path) -> float:
        patient = patient_sign_up(username=f"bench-import-{time.time_ns()}", password=None)
        try:
            start = time.perf_counter()
            call_command("import_diary", str(path), "--patient", patient.username, stdout=io.StringIO())
            return time.perf_counter() - start
        finally:
            patient.delete()

    def _report(self, what: str, times: list[float], lines: int) -> None:
        best = min(times)
        others = ", ".join(f"{t:.2f}" for t in sorted(times)[1:])
        others = f"; the other runs {others} s" if others else ""
        self.stdout.write(f"  {what}: {best:.2f} s ({best / lines * 1e6:.0f} µs a line{others})")


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
