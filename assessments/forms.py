"""Forms made from the instruments' definitions (instruments.py): one radio group per item."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from symptoms.vocabulary import BodySite

from .instruments import PATIENT_INSTRUMENTS, Instrument, schedule_choices
from .selectors import Suggestion
from .services import LONGEST_SCHEDULE_DAYS


class InstrumentForm(forms.Form):
    """Every item of `instrument`, each required; a CSS symptoms form starts from the diary's suggestions,
    each marked, and asks the patient to confirm them."""

    def __init__(self, instrument: Instrument, *args, suggestions: dict[str, Suggestion] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.suggestions = suggestions or {}
        for item in instrument.items:
            self.fields[item.key] = forms.TypedChoiceField(
                label=item.text,
                choices=item.choices,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=item.hint,
                error_messages={"required": "Choose an answer."},
            )
            if item.key in self.suggestions:
                self.fields[item.key].initial = self.suggestions[item.key].value
        if self.suggestions:
            self.fields["confirm_suggestions"] = forms.BooleanField(
                label="I have checked the answers marked \u201cfrom your diary\u201d",
                error_messages={"required": "Check the answers your diary suggested, then tick this box."},
            )

    def item_fields(self):
        """(field, suggestion or None) for each item, in the instrument's order."""
        return [(self[item.key], self.suggestions.get(item.key)) for item in self.instrument.items]

    @property
    def prefilled(self) -> list[str]:
        return sorted(self.suggestions)

    def answers(self) -> dict[str, int]:
        return {item.key: self.cleaned_data[item.key] for item in self.instrument.items}


class ExaminationForm(InstrumentForm):
    """The clinician's part of the CSS: the signs, with the limb and side examined and the date."""

    site = forms.ChoiceField(label="Affected limb and side", choices=[("", "Choose"), *BodySite.choices])
    date = forms.DateField(label="Date of the examination", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, instrument: Instrument, *args, today: datetime.date, **kwargs):
        super().__init__(instrument, *args, **kwargs)
        self.today = today
        self.fields["date"].initial = today
        self.order_fields(["date", "site"])

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > self.today:
            raise ValidationError("An examination cannot be dated in the future.")
        return day


class ChecklistForm(InstrumentForm):
    """The clinician's Budapest checklist, dated."""

    date = forms.DateField(label="Date of the judgement", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, instrument: Instrument, *args, today: datetime.date, **kwargs):
        super().__init__(instrument, *args, **kwargs)
        self.today = today
        self.fields["date"].initial = today
        self.order_fields(["date"])

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > self.today:
            raise ValidationError("The checklist cannot be dated in the future.")
        return day


class ScheduleForm(forms.Form):
    """How often each patient questionnaire is asked."""

    def __init__(self, *args, current: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for instrument in PATIENT_INSTRUMENTS:
            days = current[instrument.code]
            self.fields[instrument.code] = forms.TypedChoiceField(
                label=instrument.short, choices=schedule_choices(days), coerce=int, initial=days
            )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean() returns
        for code, days in cleaned.items():
            if not 0 <= days <= LONGEST_SCHEDULE_DAYS:
                self.add_error(code, "Choose how often.")
        return cleaned
