from django.conf import settings
from django.db import migrations, models


def keep_the_first_of_each_day(apps, schema_editor):
    """Duplicates the old constraint let through (a patient's own, or a deleted clinician's): keep the first."""
    appointment = apps.get_model("careteam", "Appointment")
    seen = set()
    for pk, patient_id, date in appointment.objects.order_by("patient_id", "date", "pk").values_list(
        "pk", "patient_id", "date"
    ):
        if (patient_id, date) in seen:
            appointment.objects.filter(pk=pk).delete()
        seen.add((patient_id, date))


class Migration(migrations.Migration):
    dependencies = [
        ("careteam", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="appointment",
            name="careteam_one_appointment_a_day",
        ),
        migrations.RunPython(keep_the_first_of_each_day, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="appointment",
            constraint=models.UniqueConstraint(fields=("patient", "date"), name="careteam_one_appointment_a_day"),
        ),
    ]
