"""Saving questionnaires and assessments, their schedules, and the safety path."""

import logging
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from accounts.models import User

from .instruments import INSTRUMENTS, PATIENT_INSTRUMENTS, SAFETY_ITEM, needs_safety_path
from .models import Response, SafetyAlert, Schedule

logger = logging.getLogger(__name__)

# Sent, in the request that saved the answer, when a PHQ-9 answer opens the safety path (`alert`).
# careteam tells the care team (careteam/apps.py): the upper app reaches down, never the other way.
safety_concern = Signal()

# The most days between two askings a patient or clinician can choose.
LONGEST_SCHEDULE_DAYS = 365


def clean_answers(code: str, answers: Mapping[str, object]) -> dict[str, int]:
    """Every item answered with one of its choices, as integers; else ValidationError."""
    instrument = INSTRUMENTS[code]
    cleaned, missing = {}, []
    for item in instrument.items:
        given = answers.get(item.key)  # a choice's number, or its text as posted
        try:
            value = int(given) if isinstance(given, int | str) else None
        except ValueError:
            value = None
        if value is None or value not in dict(item.choices):
            missing.append(item.key)
            continue
        cleaned[item.key] = value
    if missing:
        raise ValidationError(f"Answer every question ({len(missing)} not answered).")
    return cleaned


@transaction.atomic
def response_record(
    *,
    patient: User,
    code: str,
    answers: Mapping[str, object],
    completed_on,
    recorded_by: User,
    prefilled: Iterable[str] = (),
    site: str = "",
) -> Response:
    """Save one completed questionnaire (one a day for each person recording it: a second the same day
    replaces theirs). A PHQ-9 answer of thoughts of self-harm raises a safety alert now, in this transaction
    (safety_alert_raise); answering the day again never takes it back."""
    instrument = INSTRUMENTS[code]
    cleaned = clean_answers(code, answers)
    score = instrument.score(cleaned)
    response, _ = Response.objects.update_or_create(
        patient=patient,
        instrument=code,
        completed_on=completed_on,
        recorded_by=recorded_by,
        defaults={
            "version": instrument.version,
            "answers": cleaned,
            "score": score,
            "skipped": False,
            "prefilled": sorted(set(prefilled) & set(cleaned)),
            "site": site,
        },
    )
    if needs_safety_path(code, cleaned):
        safety_alert_raise(
            patient=patient,
            answered_on=completed_on,
            item_answer=cleaned[SAFETY_ITEM[1]],
            total=int(score),
            response=response,
        )
    return response


@transaction.atomic
def safety_alert_raise(
    *, patient: User, answered_on, item_answer: int, total: int | None = None, response: Response | None = None
) -> SafetyAlert:
    """The care team must look today: an alert at the top of their list, and an e-mail once committed. One
    alert a response: answered again that day, an open alert keeps the worst answer, and one a clinician has
    acknowledged opens again (and the care team is told again). A questionnaire left incomplete raises one
    without a response, once a day."""
    existing = SafetyAlert.objects.select_for_update().filter(patient=patient, response=response)
    if response is None:
        existing = existing.filter(answered_on=answered_on)
    alert = existing.first()
    if alert is None:
        alert = SafetyAlert.objects.create(
            patient=patient, response=response, answered_on=answered_on, item_answer=item_answer, total=total
        )
    elif alert.acknowledged_at is not None:
        alert.item_answer, alert.total, alert.answered_on = item_answer, total, answered_on
        alert.acknowledged_at = alert.acknowledged_by = None
        alert.raised_at = timezone.now()
        alert.save()
    else:
        if item_answer > alert.item_answer or (total or 0) > (alert.total or 0):
            alert.item_answer, alert.total = max(item_answer, alert.item_answer), total or alert.total
            alert.save(update_fields=["item_answer", "total"])
        return alert  # already on the list, the care team already told
    transaction.on_commit(lambda: _tell_care_team(alert))
    return alert


def _tell_care_team(alert: SafetyAlert) -> None:
    """The care team's e-mails (careteam's receiver, which sends them after the response: a mail server that
    hangs never holds back the crisis page). A mail server that is down never undoes the alert: it is
    already saved and on the care team's list."""
    try:
        safety_concern.send(sender=SafetyAlert, alert=alert)
    except Exception:
        logger.exception("Could not notify the care team of safety alert %s", alert.pk)


@transaction.atomic
def response_skip(*, patient: User, code: str, today) -> Response | None:
    """Skip a questionnaire that is due: it is asked again at its next turn. A day already answered stays."""
    instrument = INSTRUMENTS[code]
    if instrument.who != "patient":
        raise ValidationError("Only a patient's questionnaire can be skipped.")
    response, created = Response.objects.get_or_create(
        patient=patient,
        instrument=code,
        completed_on=today,
        recorded_by=patient,
        defaults={"version": instrument.version, "skipped": True},
    )
    return response if created else None


def schedule_set(*, patient: User, code: str, every_days: int, by: User) -> Schedule:
    """How often the patient is asked `code`: every `every_days` days, or never (0)."""
    if code not in {i.code for i in PATIENT_INSTRUMENTS}:
        raise ValidationError("No such questionnaire.")
    if not 0 <= every_days <= LONGEST_SCHEDULE_DAYS:
        raise ValidationError(f"Choose 0 (never) to {LONGEST_SCHEDULE_DAYS} days.")
    schedule, _ = Schedule.objects.update_or_create(
        patient=patient, instrument=code, defaults={"every_days": every_days, "changed_by": by}
    )
    return schedule


@transaction.atomic
def alert_acknowledge(*, alert: SafetyAlert, by: User) -> SafetyAlert:
    """A clinician has seen the alert: it leaves the top of the list (kept in the record)."""
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = timezone.now(), by
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return alert
