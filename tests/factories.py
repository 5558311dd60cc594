import datetime

import factory

from accounts.models import PatientProfile, User
from symptoms.models import DiaryEntry

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    email_confirmed = True
    password = factory.django.Password(PASSWORD)


class PatientFactory(UserFactory):
    role = User.Role.PATIENT
    profile = factory.RelatedFactory("tests.factories.PatientProfileFactory", factory_related_name="user")


class ClinicianFactory(UserFactory):
    role = User.Role.CLINICIAN


class PatientProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientProfile

    user = factory.SubFactory(PatientFactory, profile=None)
    time_zone = "Europe/London"


class DiaryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiaryEntry

    patient = factory.SubFactory(PatientFactory)
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    pain = 5
    spasms = 4
    swelling = 3
    skin_changes = 2
    mood = 6


class MedicationFactory(factory.django.DjangoModelFactory):
    """A medication with one dose period from its start date."""

    class Meta:
        model = "treatments.Medication"
        skip_postgeneration_save = True

    patient = factory.SubFactory(PatientFactory)
    name = factory.Sequence(lambda n: f"Medicine {n}")
    drug_class = "anticonvulsant"
    started_on = datetime.date(2026, 10, 1)
    dose = factory.RelatedFactory(
        "tests.factories.MedicationDoseFactory",
        factory_related_name="medication",
        started_on=factory.SelfAttribute("..started_on"),
    )


class MedicationDoseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "treatments.MedicationDose"

    medication = factory.SubFactory(MedicationFactory, dose=None)
    amount = 300
    unit = "mg"
    frequency = "three_daily"
    started_on = datetime.date(2026, 10, 1)


class TherapyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "treatments.Therapy"

    patient = factory.SubFactory(PatientFactory)
    category = "physiotherapy"
    modalities = factory.LazyFunction(lambda: ["mirror_therapy"])
    started_on = datetime.date(2026, 9, 1)


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "treatments.Procedure"

    patient = factory.SubFactory(PatientFactory)
    kind = "nerve_block"
    block_type = "stellate_ganglion"
    side = "right"
    performed_on = datetime.date(2026, 10, 15)


class NeurostimulatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "treatments.Neurostimulator"

    patient = factory.SubFactory(PatientFactory)
    device_type = "spinal_cord"
    stage = "trial"
    implanted_on = datetime.date(2026, 8, 1)


class DiagnosticTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "treatments.DiagnosticTest"

    patient = factory.SubFactory(PatientFactory)
    kind = "mri"
    performed_on = datetime.date(2026, 7, 1)
    result_summary = "Soft-tissue oedema, right wrist."


class FlagFactory(factory.django.DjangoModelFactory):
    """An open pain flag with plausible evidence."""

    class Meta:
        model = "flags.Flag"

    patient = factory.SubFactory(PatientFactory)
    measure = "pain"
    kind = "sustained"
    date = datetime.date(2026, 10, 1)
    baseline_mean = 4.0
    baseline_days = 30
    recent_mean = 7.0
    recent_days = 7
    window_days = 7
    change = 3.0
    threshold = 2.0


def add_years_of_care(patient, today, *, from_day=30, flags=True, **entry):
    """Five years of history before `today`: a diary entry every third day from `from_day` days back
    (`entry` sets its fields), ten of each kind of treatment and, with `flags`, ten resolved flags.
    For the tests that pin a page's queries the same for a month and for years."""
    one_day = datetime.timedelta(days=1)
    for d in range(from_day, 5 * 365, 3):
        DiaryEntryFactory(patient=patient, date=today - d * one_day, **entry)
    for i in range(10):
        MedicationFactory(patient=patient, started_on=today - (100 * i + 5) * one_day)
        ProcedureFactory(patient=patient, performed_on=today - (90 * i + 7) * one_day)
        TherapyFactory(patient=patient, started_on=today - (80 * i + 9) * one_day)
        NeurostimulatorFactory(patient=patient, implanted_on=today - (70 * i + 11) * one_day)
        if flags:
            FlagFactory(
                patient=patient, date=today - (60 * i + 40) * one_day, resolved_on=today - (60 * i + 20) * one_day
            )
