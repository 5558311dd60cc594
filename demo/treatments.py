"""The demo patient's treatment history, lined up with the demo diary (demo.diary)."""

import datetime
from decimal import Decimal

from accounts.models import User
from symptoms.models import DiaryEntry
from treatments import services
from treatments.models import DiagnosticTest, MedicationAdherence, Procedure, Therapy, TherapySession

from .diary import BLOCK_DAY, BLOCK_RELIEF_DAYS, DEMO_DAYS, MEDICATION_START, WORSENING_START


def demo_treatments_load(patient: User, today: datetime.date) -> None:
    first = today - datetime.timedelta(days=DEMO_DAYS - 1)

    def day(offset: int) -> datetime.date:
        return first + datetime.timedelta(days=offset)

    # Long-standing: amitriptyline at night, from before the diary began.
    services.medication_start(
        patient=patient,
        name="Amitriptyline",
        drug_class="antidepressant",
        started_on=day(-200),
        amount=Decimal(10),
        unit="mg",
        frequency="at_night",
        helped_rating=4,
        notes="Helps me sleep.",
    )
    # Ibuprofen tried and stopped for side effects.
    ibuprofen, _ = services.medication_start(
        patient=patient,
        name="Ibuprofen",
        drug_class="nsaid",
        started_on=day(-60),
        amount=Decimal(400),
        unit="mg",
        frequency="three_daily",
    )
    services.medication_stop(
        medication=ibuprofen, stopped_on=day(12), stop_reason="side_effects", side_effects="Stomach pain."
    )
    # Gabapentin: started, titrated up; the diary improves over the following weeks.
    gabapentin, _ = services.medication_start(
        patient=patient,
        name="Gabapentin",
        drug_class="anticonvulsant",
        started_on=day(MEDICATION_START),
        amount=Decimal(300),
        unit="mg",
        frequency="three_daily",
        side_effects="Drowsy the first week.",
        helped_rating=6,
    )
    services.medication_change_dose(
        medication=gabapentin,
        changed_on=day(MEDICATION_START + 21),
        amount=Decimal(600),
        unit="mg",
        frequency="three_daily",
    )
    # Baclofen for the spasms, started shortly before the worsening.
    baclofen, _ = services.medication_start(
        patient=patient,
        name="Baclofen",
        drug_class="muscle_relaxant",
        started_on=day(WORSENING_START - 6),
        amount=Decimal(10),
        unit="mg",
        frequency="three_daily",
        helped_rating=2,
    )
    # Physiotherapy course with weekly sessions; graded motor imagery.
    physio, _ = services.item_save(
        Therapy(
            patient=patient,
            category="physiotherapy",
            modalities=["graded_motor_imagery", "mirror_therapy", "range_of_motion"],
            provider="City Hand Therapy Unit",
            started_on=day(20),
            ended_on=day(110),
            helped_rating=5,
        )
    )
    for week in range(20, 111, 7):
        services.item_save(TherapySession(therapy=physio, date=day(week), note="Mirror box and laterality cards."))
    services.item_save(
        Therapy(
            patient=patient,
            category="complementary",
            modalities=["mbsr"],
            provider="Online course",
            started_on=day(130),
            helped_rating=3,
        )
    )
    # Diagnostic work-up.
    services.item_save(
        DiagnosticTest(
            patient=patient,
            kind="xray",
            performed_on=day(-150),
            result_summary="No fracture. Patchy osteopenia right wrist.",
        )
    )
    services.item_save(
        DiagnosticTest(
            patient=patient,
            kind="bone_scan",
            performed_on=day(8),
            result_summary="Increased periarticular uptake in the right hand, consistent with CRPS.",
        )
    )
    services.item_save(
        DiagnosticTest(
            patient=patient, kind="blood", performed_on=day(9), result_summary="Normal; no inflammatory markers."
        )
    )
    # A nerve block after the worsening began, which helped a little for a few days.
    services.item_save(
        Procedure(
            patient=patient,
            kind="nerve_block",
            block_type="stellate_ganglion",
            side="right",
            agent="Bupivacaine 0.25 %",
            performed_on=day(BLOCK_DAY),
            performed_by="Dr Okafor, pain clinic",
            helped_rating=3,
            relief_percent=50,
            relief_days=BLOCK_RELIEF_DAYS,
            notes="Hand warm and less painful for a few days, then back.",
        )
    )
    # Planned: botulinum toxin for the dystonia, next week.
    services.item_save(
        Procedure(
            patient=patient,
            kind="botulinum_toxin",
            side="right",
            agent="Botulinum toxin A, forearm flexors",
            performed_on=today + datetime.timedelta(days=8),
            performed_by="Neurology clinic",
        )
    )
    # Taken or not, ticked on the diary page on the days logged in the last 4 weeks, with a few missed doses.
    logged = DiaryEntry.objects.filter(patient=patient, date__gt=today - datetime.timedelta(days=28))
    for medication, missed in ((gabapentin, {4, 17}), (baclofen, {2, 9, 10, 23})):
        MedicationAdherence.objects.bulk_create(
            MedicationAdherence(medication=medication, date=date, taken=(today - date).days not in missed)
            for date in logged.filter(date__gte=medication.started_on).values_list("date", flat=True)
        )
