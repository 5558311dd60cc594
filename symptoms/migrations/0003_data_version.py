"""The data-version triggers on this app's tables that the pages show (accounts.data_version)."""

from django.db import migrations

from accounts.data_version import Watched, watch


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_data_version"), ("symptoms", "0002_note_for_clinician")]

    operations = [
        watch(Watched("symptoms_diaryentry", "patient_id")),
    ]
