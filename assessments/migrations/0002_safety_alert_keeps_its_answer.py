"""A safety alert keeps the answer that raised it (and may have no response: a questionnaire left
incomplete); a record is one a day for each person who records it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_the_answers(apps, schema_editor):
    SafetyAlert = apps.get_model("assessments", "SafetyAlert")
    for alert in SafetyAlert.objects.select_related("response"):
        alert.answered_on = alert.response.completed_on
        alert.item_answer = alert.response.answers.get("self_harm", 1)
        alert.total = alert.response.score
        alert.save(update_fields=["answered_on", "item_answer", "total"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="response", name="assessments_one_a_day"),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                fields=("patient", "instrument", "completed_on", "recorded_by"), name="assessments_one_a_day_each"
            ),
        ),
        migrations.AddField(model_name="safetyalert", name="answered_on", field=models.DateField(null=True)),
        migrations.AddField(model_name="safetyalert", name="item_answer", field=models.PositiveSmallIntegerField(null=True)),
        migrations.AddField(
            model_name="safetyalert",
            name="total",
            field=models.PositiveSmallIntegerField(
                blank=True, help_text="The PHQ-9 total, if every item was answered.", null=True
            ),
        ),
        migrations.RunPython(copy_the_answers, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="safetyalert",
            name="answered_on",
            field=models.DateField(help_text="The patient's day of the answer."),
        ),
        migrations.AlterField(
            model_name="safetyalert",
            name="item_answer",
            field=models.PositiveSmallIntegerField(
                help_text="PHQ-9 item 9: 1 several days, 2 more than half, 3 nearly every day."
            ),
        ),
        migrations.AlterField(
            model_name="safetyalert",
            name="response",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="safety_alerts",
                to="assessments.response",
            ),
        ),
    ]
