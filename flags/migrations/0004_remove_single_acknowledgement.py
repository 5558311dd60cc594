# The single acknowledgement, moved to its side by 0003.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("flags", "0003_acknowledgements_to_their_side"),
    ]

    operations = [
        migrations.RemoveField(model_name="flag", name="acknowledged_at"),
        migrations.RemoveField(model_name="flag", name="acknowledged_by"),
        migrations.RemoveField(model_name="flag", name="acknowledgement_note"),
    ]
