"""Throw-away diaries for the speed benches (make bench-dashboard, make bench-pages): not used by the app.

A patient's history as a long-time user's looks: about 85 % of days logged, the headline measures
every day, some detail on most days, and treatments of every kind started and stopped along the way.
"""

import datetime
import random
from decimal import Decimal

from accounts.models import User
from symptoms.models import DiaryEntry
from treatments import services as treatment_services
from treatments.models import Procedure, Therapy


def seed_history(patient: User, *, days: int, today: datetime.date, seed: int = 7) -> int:
    """`days` of diary ending `today` and treatments spread over them; returns the entries written."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    first = today - datetime.timedelta(days=days - 1)
    entries = []
    for offset in range(days):
        if rng.random() < 0.15:
            continue
        entries.append(
            DiaryEntry(
                patient=patient,
                date=first + datetime.timedelta(days=offset),
                pain=rng.randint(2, 8),
                spasms=rng.randint(1, 7),
                swelling=rng.randint(0, 6),
                skin_changes=rng.randint(0, 6),
                mood=rng.randint(2, 9),
                worst_pain=rng.randint(4, 10),
                allodynia=rng.random() < 0.4,
                tremor=rng.random() < 0.2,
                skin_colour=rng.choice(["normal", "normal", "red", "mottled", ""]),
                limb_temperature=rng.choice(["same", "warmer", "colder", ""]),
                sweating=rng.choice(["normal", "more", ""]),
                sleep_quality=rng.randint(2, 8),
            )
        )
    DiaryEntry.objects.bulk_create(entries, batch_size=500)
    _seed_treatments(patient, first=first, days=days)
    return len(entries)


def _seed_treatments(patient: User, *, first: datetime.date, days: int) -> None:
    """About one medicine, one procedure and one therapy course every 80, 110 and 120 days."""
    for i in range(max(days // 80, 1)):
        med, _ = treatment_services.medication_start(
            patient=patient,
            name=f"Medicine {chr(65 + i % 26)}{chr(65 + i // 26)}",  # distinct names: one course each
            drug_class="other",
            started_on=first + datetime.timedelta(days=80 * i),
            amount=Decimal(10),
            unit="mg",
            frequency="once_daily",
        )
        if 80 * i + 30 < days:
            treatment_services.medication_change_dose(
                medication=med,
                changed_on=first + datetime.timedelta(days=80 * i + 30),
                amount=Decimal(20),
                unit="mg",
                frequency="once_daily",
            )
    for i in range(days // 110):
        treatment_services.item_save(
            Procedure(
                patient=patient,
                kind="nerve_block",
                block_type="peripheral_nerve",
                side="left",
                performed_on=first + datetime.timedelta(days=110 * i + 3),
            )
        )
    for i in range(days // 120):
        treatment_services.item_save(
            Therapy(
                patient=patient,
                category="physiotherapy",
                started_on=first + datetime.timedelta(days=120 * i),
                ended_on=first + datetime.timedelta(days=120 * i + 60),
            )
        )
