"""Each existing acknowledgement moves to the side of the person who gave it: the patient's own, or
else a clinician's (also when that clinician's account has since been deleted)."""

from django.db import migrations, models


def to_sides(apps, schema_editor):
    Flag = apps.get_model("flags", "Flag")
    for flag in Flag.objects.filter(acknowledged_at__isnull=False).only(
        "patient_id", "acknowledged_at", "acknowledged_by_id", "acknowledgement_note"
    ):
        if flag.acknowledged_by_id == flag.patient_id:
            flag.patient_acknowledged_at = flag.acknowledged_at
            flag.patient_note = flag.acknowledgement_note
            fields = ["patient_acknowledged_at", "patient_note"]
        else:
            flag.clinician_acknowledged_at = flag.acknowledged_at
            flag.clinician_acknowledged_by_id = flag.acknowledged_by_id
            flag.clinician_note = flag.acknowledgement_note
            fields = ["clinician_acknowledged_at", "clinician_acknowledged_by", "clinician_note"]
        flag.save(update_fields=fields)


def to_one(apps, schema_editor):
    """Back to one acknowledgement: the earlier of the two, as the old rule (first one stands) had it."""
    Flag = apps.get_model("flags", "Flag")
    acknowledged = Flag.objects.filter(
        models.Q(patient_acknowledged_at__isnull=False) | models.Q(clinician_acknowledged_at__isnull=False)
    )
    for flag in acknowledged:
        sides = []
        if flag.patient_acknowledged_at:
            sides.append((flag.patient_acknowledged_at, flag.patient_id, flag.patient_note))
        if flag.clinician_acknowledged_at:
            sides.append((flag.clinician_acknowledged_at, flag.clinician_acknowledged_by_id, flag.clinician_note))
        flag.acknowledged_at, flag.acknowledged_by_id, flag.acknowledgement_note = min(sides, key=lambda s: s[0])
        flag.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])


class Migration(migrations.Migration):
    dependencies = [
        ("flags", "0002_acknowledgement_per_side"),
    ]

    operations = [
        migrations.RunPython(to_sides, to_one),
    ]
