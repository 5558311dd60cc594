"""Flags and how ready a diary is to be watched for a worsening."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, QuerySet

from accounts.models import User
from symptoms.models import DiaryEntry

from .detection import logged_days_before_watching
from .models import Flag


def open_flags(patient: User) -> QuerySet[Flag]:
    return Flag.objects.filter(patient=patient, resolved_on__isnull=True).order_by("-date")


def flag_history(patient: User) -> QuerySet[Flag]:
    return Flag.objects.filter(patient=patient).select_related("acknowledged_by").order_by("-date")


@dataclass(frozen=True)
class NewDiary:
    """A diary too young for the worsening rule: what it has, and what the rule still needs."""

    first_entry: datetime.date | None
    logged_days: int
    watching_from: int  # logged days the rule needs before it can first test the diary

    @property
    def days_to_go(self) -> int:
        return self.watching_from - self.logged_days


def new_diary(first_entry: datetime.date | None, logged_days: int) -> NewDiary | None:
    """What a young diary still lacks before the worsening rule can watch it; None once it has enough."""
    watching_from = logged_days_before_watching()
    return NewDiary(first_entry, logged_days, watching_from) if logged_days < watching_from else None


def diary_size(patient: User) -> tuple[datetime.date | None, int]:
    """The date of the patient's first entry and how many days they have logged. One query."""
    found = DiaryEntry.objects.filter(patient=patient).aggregate(first=Min("date"), days=Count("id"))
    return found["first"], found["days"]
