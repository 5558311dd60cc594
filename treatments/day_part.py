"""The diary's day page asks which current medications were taken that day (optional): the part
treatments adds to it (symptoms.day_parts), registered in treatments/apps.py."""

import datetime

from django.http import QueryDict

from accounts.models import User
from symptoms.day_parts import DayPart

from . import selectors, services
from .forms import AdherenceForm


def medicines_taken(patient: User, date: datetime.date, data: QueryDict | None) -> DayPart:
    """The day's current medications, each with what the diary says of it; one or two queries."""
    medications = selectors.current_medications(patient, on=date)
    recorded = {m.pk: m.recorded for m in medications if m.recorded is not None}
    form = AdherenceForm(data, medications=medications, recorded=recorded)

    def save() -> None:
        if medications:
            services.adherence_record(patient=patient, day=date, taken=form.taken())

    return DayPart(form=form, template="treatments/_medicines_taken.html", save=save)
