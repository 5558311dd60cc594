"""What the care team does when a lower app speaks up (connected in careteam/apps.py)."""

import datetime

from django.conf import settings
from django.core.mail import send_mail

from accounts.models import User
from lib.http import site_url

from .models import Appointment
from .selectors import care_team


def tell_care_team_of_safety_alert(sender, alert, **kwargs) -> None:
    """E-mail each clinician the patient shares with that a safety answer is waiting on their list: who, and a
    link, never the answers. Called in the request that saved the answer (assessments.services)."""
    patient = alert.patient
    team = [c for c in care_team(patient) if c.email]
    for clinician in team:
        send_mail(
            subject="CRPS Tracker: a patient may need support",
            message=(
                f"{patient.display_name} has answered a mood questionnaire in a way that needs a clinician's "
                f"attention today. They have been shown crisis resources.\n\n"
                f"Open their page to see it and acknowledge it: "
                f"{site_url('careteam:patient', patient_id=patient.pk)}\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[clinician.email],
        )
    type(alert).objects.filter(pk=alert.pk).update(clinicians_emailed=len(team))


def next_appointment(patient: User, today: datetime.date) -> datetime.date | None:
    """The patient's next appointment from today on (for the questionnaires asked before one)."""
    return (
        Appointment.objects.filter(patient=patient, date__gte=today)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
