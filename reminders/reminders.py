"""Daily reminders for patients who asked for them, by e-mail, push or both (their choice).
Pure choice of whom to remind, plus sending."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from accounts.models import PatientProfile
from accounts.selectors import patient_time_zone
from assessments.selectors import due
from lib.http import site_url
from symptoms.models import DiaryEntry

from .notices import REMINDER, by_email, by_push, push_notice

logger = logging.getLogger(__name__)
# After this many days without an entry the reminder turns into a gentle note instead.
GENTLE_AFTER_MISSED_DAYS = 3


def reminder_due(
    *, now_local: datetime.datetime, reminder_time: datetime.time, last_reminded_on, logged_today: bool
) -> bool:
    today = now_local.date()
    return now_local.time() >= reminder_time and last_reminded_on != today and not logged_today


def reminder_text(name: str, missed_days: int, questionnaires_due: int = 0) -> tuple[str, str]:
    links = f"\n\nLog today: {site_url('symptoms:today')}\nYour profile: {site_url('accounts:profile')}\n"
    if questionnaires_due:  # how many, never which: the e-mail passes through other people's servers
        waiting = (
            "A short questionnaire is" if questionnaires_due == 1 else f"{questionnaires_due} short questionnaires are"
        )
        links += f"\n{waiting} waiting too, about a minute each: {site_url('assessments:overview')}\n"
    if missed_days >= GENTLE_AFTER_MISSED_DAYS:
        return (
            "CRPS Tracker: we have missed you",
            f"Hello {name},\n\nYou have not logged for {missed_days} days. That is all right: bad spells make "
            "logging hard. When you feel up to it, even one number for today helps the picture. "
            "You can turn these reminders off in your profile." + links,
        )
    return (
        "CRPS Tracker: how was today?",
        f"Hello {name},\n\nA reminder to log how today went. It takes under a minute. "
        "You can change the time or turn reminders off in your profile." + links,
    )


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind every patient whose reminder time has passed today and who has not logged, by the
    channel they chose (an e-mail needs a confirmed address). Returns how many were reminded."""
    now = now or timezone.now()
    sent = 0
    reachable = Q(user__email_confirmed=True) & ~Q(user__email="")
    by_phone = Q(reminder_channel__in=[PatientProfile.Channel.PUSH, PatientProfile.Channel.BOTH])
    profiles = PatientProfile.objects.filter(reachable | by_phone, reminder_enabled=True).select_related("user")
    for profile in profiles.iterator():
        patient = profile.user
        now_local = now.astimezone(patient_time_zone(patient))
        today = now_local.date()
        last_entry = DiaryEntry.objects.filter(patient=patient).order_by("-date").values_list("date", flat=True).first()
        logged_today = last_entry == today
        if not reminder_due(
            now_local=now_local,
            reminder_time=profile.reminder_time,
            last_reminded_on=profile.last_reminded_on,
            logged_today=logged_today,
        ):
            continue
        reached = False
        if by_push(profile.reminder_channel):
            reached = push_notice(patient.pk, REMINDER) > 0
        if by_email(profile.reminder_channel) and patient.can_receive_email:
            missed = (today - last_entry).days - 1 if last_entry else 0
            subject, body = reminder_text(patient.display_name, missed, len(due(patient, today)))
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [patient.email])
            reached = True
        # Once a day, also when no phone took the push (it is not tried again every 15 minutes).
        profile.last_reminded_on = today
        profile.save(update_fields=["last_reminded_on"])
        sent += reached
    return sent
