"""What the app sends a patient, by the channel they chose (accounts.PatientProfile.Channel).

A push notice never holds health data: only "Time to log today" or "Something changed in your
diary", and a link into the app, where the patient signs in to see more.
"""

from django.urls import reverse

from accounts.models import PatientProfile

from .push import push_to_patient

REMINDER = {"title": "CRPS Tracker", "body": "Time to log today", "url": "symptoms:today", "tag": "reminder"}
FLAG = {"title": "CRPS Tracker", "body": "Something changed in your diary", "url": "flags:list", "tag": "flag"}


def by_email(channel: str) -> bool:
    return channel in (PatientProfile.Channel.EMAIL, PatientProfile.Channel.BOTH)


def by_push(channel: str) -> bool:
    return channel in (PatientProfile.Channel.PUSH, PatientProfile.Channel.BOTH)


def push_notice(patient_id: int, notice: dict) -> int:
    return push_to_patient(patient_id, {**notice, "url": reverse(notice["url"])})
