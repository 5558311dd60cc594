"""The data-version triggers on this app's tables that the pages show (accounts.data_version)."""

from django.db import migrations

from accounts.data_version import Watched, watch


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_data_version"), ("treatments", "0004_medication_drug_class_more_classes")]

    operations = [
        watch(Watched("treatments_medication", "patient_id")),
        watch(Watched("treatments_medicationdose", "medication_id", "treatments_medication")),
        watch(Watched("treatments_medicationadherence", "medication_id", "treatments_medication")),
        watch(Watched("treatments_therapy", "patient_id")),
        watch(Watched("treatments_therapysession", "therapy_id", "treatments_therapy")),
        watch(Watched("treatments_procedure", "patient_id")),
        watch(Watched("treatments_neurostimulator", "patient_id")),
        watch(Watched("treatments_programmingchange", "device_id", "treatments_neurostimulator")),
        watch(Watched("treatments_diagnostictest", "patient_id")),
    ]
