import datetime

from django import forms
from django.utils.html import format_html

from accounts.validators import QUICK_NOTE_LENGTH, QUICK_NOTES_MAX
from lib.forms import LongTextarea

from .models import DETAIL_FIELDS, ENTRY_FIELDS, LIST_FIELDS, SCALE_FIELDS
from .vocabulary import (
    DETAIL_CHOICES,
    MEASURE_NAMES,
    MEASURES,
    SCALE_MAX,
    SCALE_MIN,
    BodySite,
    LimbTemperature,
    PainQuality,
    SkinColour,
    Sweating,
    Trigger,
)


def scale_form_field(label: str, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=SCALE_MIN,
        max_value=SCALE_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "scale-input"}),
        error_messages={"invalid": f"Enter a whole number from {SCALE_MIN} to {SCALE_MAX}."},
    )


def choice_field(choices, label: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", "Not recorded"), *choices], required=False)


class YesNoSelect(forms.NullBooleanSelect):
    """Yes / No, with "Not recorded" (not "Unknown") for a question the patient skipped."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", "Not recorded"), ("true", "Yes"), ("false", "No"))


def yes_no_field(label: str) -> forms.NullBooleanField:
    return forms.NullBooleanField(label=label, required=False, widget=YesNoSelect())


class UniqueMultipleChoiceField(forms.MultipleChoiceField):
    def validate(self, value):
        super().validate(value)
        if len(set(value)) != len(value):
            raise forms.ValidationError("A choice is listed twice.", code="repeated")


def checkboxes(choices, label: str) -> forms.MultipleChoiceField:
    return UniqueMultipleChoiceField(label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple)


def measure_field(name: str) -> forms.IntegerField:
    measure = next(m for m in MEASURES if m.name == name)
    return scale_form_field(measure.label, f"0 = {measure.low_anchor}, 10 = {measure.high_anchor}")


class DiaryEntryForm(forms.Form):
    """The day's values. The date comes from the URL (or the CSV line), not from here.

    A plain form (not a ModelForm) so that validating a CSV line runs no query.
    """

    pain = measure_field("pain")
    spasms = measure_field("spasms")
    swelling = measure_field("swelling")
    skin_changes = measure_field("skin_changes")
    mood = measure_field("mood")

    worst_pain = scale_form_field("Worst pain", "0 = no pain, 10 = worst pain imaginable")
    pain_qualities = checkboxes(PainQuality.choices, "What the pain felt like")
    allodynia = yes_no_field("Touch-evoked pain (allodynia)")
    triggers = checkboxes(Trigger.choices, "Triggers")
    body_sites = checkboxes(BodySite.choices, "Body sites affected")
    spasm_episodes = forms.IntegerField(
        label="Number of spasm episodes",
        required=False,
        min_value=0,
        max_value=500,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    tremor = yes_no_field("Tremor or jerking")
    skin_colour = choice_field(SkinColour.choices, "Skin colour")
    limb_temperature = choice_field(LimbTemperature.choices, "Limb temperature")
    sweating = choice_field(Sweating.choices, "Sweating")
    sleep_quality = scale_form_field("Sleep quality", "0 = worst, 10 = best")
    anxiety = scale_form_field("Anxiety", "0 = none, 10 = extreme")
    interference = scale_form_field("Interference with daily activities", "0 = none, 10 = unable to do anything")
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=4000,
        widget=LongTextarea(attrs={"rows": 3}),
        help_text=(
            "Anything else about today: what you did, what helped, questions for your clinician. "
            "Up to 4,000 characters."
        ),
    )
    note_for_clinician = forms.BooleanField(label="Put this note in my clinician's appointment report", required=False)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors and not any(cleaned.get(name) not in (None, "", []) for name in ENTRY_FIELDS):
            raise forms.ValidationError("Nothing to save yet: fill in at least one measure or a note.")
        return cleaned

    # "Start from your last entry": the fields filled in from an earlier day, and that day.
    copied: frozenset[str] = frozenset()
    copied_on: datetime.date | None = None

    def mark_copied(self, names, on: datetime.date) -> None:
        """Say beside each field in `names` that its value was copied from the entry of `on`.

        The 0-10 fields show it from their template (symptoms/_scale_field.html); the others carry
        it as their help text, which crispy forms shows under the field and links with
        aria-describedby, so that a screen reader announces it with the field.
        """
        self.copied, self.copied_on = frozenset(names), on
        for name in self.copied - set(SCALE_FIELDS):
            self.fields[name].help_text = format_html(
                '<span class="copied-mark" id="id_{}_copied">{}</span>', name, copied_mark(on)
            )

    def headline_fields(self):
        return [self[m.name] for m in MEASURES]

    def detail_fields(self):
        return [self[name] for name in DETAIL_FIELDS]

    def entry_values(self) -> dict:
        """The cleaned values, as the service and the model take them."""
        values = {name: self.cleaned_data.get(name) for name in ENTRY_FIELDS}
        values["note_for_clinician"] = bool(self.cleaned_data.get("note_for_clinician"))
        for name in LIST_FIELDS:
            values[name] = list(values[name] or [])
        for name in ("skin_colour", "limb_temperature", "sweating", "notes"):
            values[name] = values[name] or ""
        return values


def copied_mark(on: datetime.date) -> str:
    return f"Copied from {on:%-d %b}"


def values_to_copy(entry, *, detail: bool) -> dict:
    """What "Start from your last entry" fills in from `entry`: the headline numbers recorded that
    day, and the detail only when the patient asks for it too (a sign of yesterday is not one of
    today's until they say so). Never the notes, nor their "for my clinician" tick.
    """
    names = (*MEASURE_NAMES, *(DETAIL_FIELDS if detail else ()))
    values = {name: getattr(entry, name) for name in names}
    return {name: value for name, value in values.items() if value not in (None, "", [])}


class ImportDiaryForm(forms.Form):
    file = forms.FileField(
        label="Diary CSV file",
        help_text="A CSV file, for example saved from a spreadsheet: the format is below.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class PickDayForm(forms.Form):
    date = forms.DateField(
        label="Date",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class QuickLogForm(forms.Form):
    """How the patient's daily log looks: which detail items show under the five measures and in which
    order (a place number each; empty keeps the item under "More detail"), and up to three quick notes
    pinned as one-tap chips."""

    one_screen = forms.BooleanField(
        label="On my phone, the five measures and Save on one screen",
        required=False,
        help_text=(
            "Each measure's name then sits beside its number buttons, in two rows (0 to 5, then 6 to 10), "
            "as large as usual."
        ),
    )

    def __init__(self, *args, details=(), notes=(), one_screen=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["one_screen"].initial = one_screen
        places = {name: index for index, name in enumerate(details, start=1)}
        for name, label in DETAIL_CHOICES:
            self.fields[f"place_{name}"] = forms.IntegerField(
                label=label,
                required=False,
                min_value=1,
                max_value=len(DETAIL_CHOICES),
                initial=places.get(name),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "place-input"}),
            )
        for number in range(1, QUICK_NOTES_MAX + 1):
            self.fields[f"note_{number}"] = forms.CharField(
                label=f"Quick note {number}",
                required=False,
                max_length=QUICK_NOTE_LENGTH,
                initial=notes[number - 1] if number <= len(notes) else "",
            )

    def place_fields(self):
        return [self[f"place_{name}"] for name, _label in DETAIL_CHOICES]

    def note_fields(self):
        return [self[f"note_{number}"] for number in range(1, QUICK_NOTES_MAX + 1)]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        seen: dict[int, str] = {}
        for name, label in DETAIL_CHOICES:
            place = cleaned.get(f"place_{name}")
            if place is None:
                continue
            if place in seen:
                self.add_error(
                    f"place_{name}", f"{seen[place]} has place {place} already: give each a different number."
                )
            seen.setdefault(place, label)
        notes = [cleaned.get(f"note_{n}", "").strip() for n in range(1, QUICK_NOTES_MAX + 1)]
        folded = [note.casefold() for note in notes if note]
        if len(set(folded)) != len(folded):
            raise forms.ValidationError("The same quick note is there twice.")
        return cleaned

    def details(self) -> list[str]:
        """The detail items to show under the five measures, in their places' order."""
        placed = [(self.cleaned_data[f"place_{name}"], name) for name, _l in DETAIL_CHOICES]
        return [name for place, name in sorted(p for p in placed if p[0] is not None)]

    def notes(self) -> list[str]:
        values = (self.cleaned_data.get(f"note_{n}", "").strip() for n in range(1, QUICK_NOTES_MAX + 1))
        return [note for note in values if note]
