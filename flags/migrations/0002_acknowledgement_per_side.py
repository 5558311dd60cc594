"""One acknowledgement per side: the patient's and the care team's, each with its own note.

Before, a flag had one acknowledgement, and whoever gave it first locked the other side out. The
new fields here; 0003 moves each existing acknowledgement to its side; 0004 drops the old fields.
Three migrations, so that on PostgreSQL no table is altered in a transaction that updated its rows.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("flags", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="flag",
            name="patient_acknowledged_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="flag",
            name="patient_note",
            field=models.TextField(blank=True, max_length=2000),
        ),
        migrations.AddField(
            model_name="flag",
            name="clinician_acknowledged_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="flag",
            name="clinician_acknowledged_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="flag",
            name="clinician_note",
            field=models.TextField(blank=True, max_length=2000),
        ),
    ]
