"""What the care team does when a lower app speaks up (connected in careteam/apps.py)."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage

from accounts.models import User
from lib.http import site_url
from lib.mail import send_after_response

from .models import Appointment
from .selectors import care_team


def tell_care_team_of_safety_alert(sender, alert, **kwargs) -> None:
    """E-mail each clinician the patient shares with that a safety answer is waiting on their list: who, and a
    link, never the answers. Worked out in the request that saved the answer (assessments.services), sent
    after it (lib.mail): the crisis page never waits for a mail server."""
    patient = alert.patient
    body = (
        f"{patient.display_name} has answered a mood questionnaire in a way that needs a clinician's "
        f"attention today. They have been shown crisis resources.\n\n"
        f"Open their page to see it and acknowledge it: {site_url('careteam:patient', patient_id=patient.pk)}\n"
    )
    messages = [
        EmailMessage("CRPS Tracker: a patient may need support", body, settings.DEFAULT_FROM_EMAIL, [clinician.email])
        for clinician in care_team(patient)
        if clinician.email
    ]
    type(alert).objects.filter(pk=alert.pk).update(clinicians_emailed=len(messages))
    if messages:
        send_after_response(messages)


def next_appointment(patient: User, today: datetime.date) -> datetime.date | None:
    """The patient's next appointment from today on (for the questionnaires asked before one)."""
    return (
        Appointment.objects.filter(patient=patient, date__gte=today)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
