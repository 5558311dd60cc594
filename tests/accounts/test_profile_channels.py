"""The profile's choice of how reminders and notices arrive: e-mail, a notification on the phone, or both."""

from django.urls import reverse

from accounts.models import PatientProfile
from accounts.services import user_email_change

URL = reverse("accounts:profile")
Channel = PatientProfile.Channel
BASE = {"time_zone": "Europe/London", "reminder_time": "20:00", "reminder_enabled": "on", "email_flags": "on"}


def test_without_an_address_reminders_may_come_as_notifications(patient_client, patient):
    patient.email = ""
    patient.save()
    response = patient_client.post(URL, {**BASE, "reminder_channel": "push", "flag_channel": "push"})
    assert response.status_code == 302
    profile = PatientProfile.objects.get(user=patient)
    assert (profile.reminder_channel, profile.flag_channel) == (Channel.PUSH, Channel.PUSH)


def test_without_an_address_e_mail_or_both_is_refused(patient_client, patient):
    patient.email = ""
    patient.save()
    response = patient_client.post(URL, {**BASE, "reminder_channel": "both", "flag_channel": "email"})
    assert response.status_code == 200
    assert response.content.decode().count("This goes by e-mail: add an e-mail address first") == 2
    assert PatientProfile.objects.get(user=patient).reminder_enabled is False


def test_with_a_confirmed_address_both_is_kept(patient_client, patient):
    patient.email, patient.email_confirmed = "me@example.org", True
    patient.save()
    assert patient_client.post(URL, {**BASE, "reminder_channel": "both", "flag_channel": "email"}).status_code == 302
    profile = PatientProfile.objects.get(user=patient)
    assert (profile.reminder_channel, profile.flag_channel) == (Channel.BOTH, Channel.EMAIL)


def test_a_form_without_the_choice_keeps_e_mail(patient_client, patient):
    patient.email = "me@example.org"
    patient.save()
    assert patient_client.post(URL, BASE).status_code == 302
    assert PatientProfile.objects.get(user=patient).reminder_channel == Channel.EMAIL


def test_removing_the_address_keeps_what_goes_by_push(patient, db):
    patient.email, patient.email_confirmed = "me@example.org", True
    patient.save()
    PatientProfile.objects.filter(user=patient).update(
        reminder_enabled=True, reminder_channel=Channel.BOTH, email_flags=True, flag_channel=Channel.EMAIL
    )
    user_email_change(user=patient, email="")
    profile = PatientProfile.objects.get(user=patient)
    assert (profile.reminder_enabled, profile.reminder_channel) == (True, Channel.PUSH)
    assert profile.email_flags is False
