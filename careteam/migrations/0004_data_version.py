"""The data-version triggers on this app's tables that the pages show (accounts.data_version)."""

from django.db import migrations

from accounts.data_version import Watched, watch


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_data_version"), ("careteam", "0003_accesslog_code_cancelled")]

    operations = [
        watch(Watched("careteam_careaccess", "patient_id")),
        watch(Watched("careteam_appointment", "patient_id")),
    ]
