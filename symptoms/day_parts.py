"""Parts of the diary's day page that the apps above the diary add, without the diary knowing them.

An upper app registers a maker in its AppConfig.ready() (treatments/apps.py: which medicines were
taken that day). Given the patient, the day and the posted data (None to show the page), a maker
returns its part: a form, bound or not, the template that shows it inside the day's form, and how to
save it. The day's save (services.diary_day_save, diary_entry_save_from_phone) saves the parts in the
transaction of the diary entry, so a part is never kept without its day, nor a day without its parts.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.http import QueryDict

from accounts.models import User


@dataclass(frozen=True)
class DayPart:
    form: forms.Form
    template: str  # included inside the day's form, with `part` in its context
    save: Callable[[], None]  # the form's values written, once the form is valid


DayPartMaker = Callable[[User, datetime.date, QueryDict | None], DayPart]

# Filled at start-up by the apps above (their AppConfig.ready), in the order they show on the page.
makers: list[DayPartMaker] = []


def register(maker: DayPartMaker) -> None:
    if maker not in makers:
        makers.append(maker)


def day_parts(patient: User, date: datetime.date, data: QueryDict | None = None) -> list[DayPart]:
    return [make(patient, date, data) for make in makers]
