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
