import datetime

from django import forms
from django.utils.html import format_html, format_html_join

from lib.dates import EARLIEST_DATE
from lib.forms import LongTextarea

from .medicines import MEDICINES
from .models import DiagnosticTest, Medication, Neurostimulator, Procedure, ProgrammingChange, Therapy, TherapySession
from .services import PAST_DATES, latest_planned_date
from .vocabulary import DoseUnit, DrugClass, Frequency, ProcedureKind, StopReason, TherapyModality


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# (start, end) pairs whose order every form checks.
DATE_ORDER = (("started_on", "stopped_on"), ("started_on", "ended_on"), ("implanted_on", "removed_on"))


class PatientDatesMixin(forms.BaseForm):
    """Date pickers that stop at the patient's today; end dates not before start dates."""

    past_only: tuple[str, ...] = ()

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                field.input_formats = ["%Y-%m-%d"]
                field.widget = DateInput()
                if name in self.past_only:
                    field.widget.attrs["max"] = today.isoformat()

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data  # what Form's and ModelForm's clean() return
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if isinstance(field, forms.DateField) and value and value < EARLIEST_DATE:
                self.add_error(name, f"Dates before {EARLIEST_DATE:%Y} are not accepted.")
        for name in self.past_only:
            value = cleaned.get(name)
            if value and value > self.today:
                self.add_error(name, "This date is in the future.")
        for start, end in DATE_ORDER:
            if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
                self.add_error(end, "This is before the start date.")
        return cleaned


def rating_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="How much it helped (0-10)",
        required=False,
        min_value=0,
        max_value=10,
        help_text="Your own rating: 0 = not at all, 10 = completely.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def drug_class_field() -> forms.ChoiceField:
    """Optional: a patient who does not know the class leaves "Not sure" rather than a wrong class."""
    return forms.ChoiceField(
        label="Class",
        choices=[("", "Not sure"), *DrugClass.choices],
        required=False,
        help_text="Not sure? Leave it: for a medicine on the app's list the class is filled in for you.",
    )


class MedicineNameInput(forms.TextInput):
    """A free-text name with the app's own list of medicines as suggestions (a <datalist>; no script,
    nothing looked up online). A suggestion shows its brand names, so typing "Lyrica" offers Pregabalin."""

    list_id = "medicine-names"

    def __init__(self, attrs=None):
        super().__init__({"list": self.list_id, "autocomplete": "off", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((m.display, ", ".join(m.brands)) for m in MEDICINES)
        )
        datalist = format_html('<datalist id="{}">{}</datalist>', self.list_id, options)
        return super().render(name, value, attrs, renderer) + datalist


MEDICINE_NAME_HELP = (
    "Start typing: suggestions come from a list of medicines kept in this app (nothing is looked up online). "
    "Any other name is fine too."
)


class MedicationStartForm(PatientDatesMixin, forms.Form):
    past_only = ("started_on",)

    name = forms.CharField(
        max_length=120, label="Medication name", help_text=MEDICINE_NAME_HELP, widget=MedicineNameInput()
    )
    drug_class = drug_class_field()
    amount = forms.DecimalField(label="Dose", min_value=0, max_digits=8, decimal_places=2)
    unit = forms.ChoiceField(choices=DoseUnit.choices)
    frequency = forms.ChoiceField(label="How often", choices=Frequency.choices)
    started_on = forms.DateField(label="Start date")
    side_effects = forms.CharField(
        label="Side effects noted", required=False, max_length=2000, widget=LongTextarea(attrs={"rows": 2})
    )
    notes = forms.CharField(required=False, max_length=4000, widget=LongTextarea(attrs={"rows": 2}))


class MedicationForm(PatientDatesMixin, forms.ModelForm):
    past_only = PAST_DATES[Medication]
    helped_rating = rating_field()
    drug_class = drug_class_field()

    class Meta:
        model = Medication
        fields = (
            "name",
            "drug_class",
            "started_on",
            "stopped_on",
            "stop_reason",
            "side_effects",
            "helped_rating",
            "notes",
        )
        widgets = {
            "name": MedicineNameInput(),
            "side_effects": LongTextarea(attrs={"rows": 2}),
            "notes": LongTextarea(attrs={"rows": 3}),
        }
        help_texts = {"name": MEDICINE_NAME_HELP}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stop_reason") and not cleaned.get("stopped_on"):
            self.add_error("stopped_on", "Give the stop date, or clear the reason.")
        return cleaned


class DoseChangeForm(PatientDatesMixin, forms.Form):
    past_only = ("changed_on",)

    changed_on = forms.DateField(label="Date of the change")
    amount = forms.DecimalField(label="New dose", min_value=0, max_digits=8, decimal_places=2)
    unit = forms.ChoiceField(choices=DoseUnit.choices)
    frequency = forms.ChoiceField(label="How often", choices=Frequency.choices)


class StopForm(PatientDatesMixin, forms.Form):
    past_only = ("stopped_on",)

    stopped_on = forms.DateField(label="Stop date")
    stop_reason = forms.ChoiceField(label="Why did you stop?", choices=[("", "Choose a reason"), *StopReason.choices])
    side_effects = forms.CharField(
        label="Side effects noted", required=False, max_length=2000, widget=LongTextarea(attrs={"rows": 2})
    )


class TherapyForm(PatientDatesMixin, forms.ModelForm):
    past_only = PAST_DATES[Therapy]
    helped_rating = rating_field()
    modalities = forms.MultipleChoiceField(
        label="What it involves", choices=TherapyModality.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Therapy
        fields = ("category", "modalities", "provider", "started_on", "ended_on", "helped_rating", "notes")
        widgets = {"notes": LongTextarea(attrs={"rows": 3})}
        help_texts = {"ended_on": "Leave empty while the course goes on."}


class TherapySessionForm(PatientDatesMixin, forms.ModelForm):
    past_only = PAST_DATES[TherapySession]

    class Meta:
        model = TherapySession
        fields = ("date", "note")


class ProcedureForm(PatientDatesMixin, forms.ModelForm):
    helped_rating = rating_field()

    class Meta:
        model = Procedure
        fields = (
            "kind",
            "block_type",
            "side",
            "agent",
            "performed_on",
            "performed_by",
            "helped_rating",
            "relief_percent",
            "relief_days",
            "notes",
        )
        widgets = {"notes": LongTextarea(attrs={"rows": 3})}
        help_texts = {
            "performed_on": "A future date records a planned procedure.",
            "relief_percent": "Fill in afterwards: at best, how much of your pain went away (0 = none, 100 = all).",
            "relief_days": "Fill in afterwards: how many days the relief lasted.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["performed_on"].widget.attrs["max"] = latest_planned_date(self.today).isoformat()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != ProcedureKind.NERVE_BLOCK and cleaned.get("block_type"):
            self.add_error("block_type", "Only a nerve block has a block type.")
        performed_on = cleaned.get("performed_on")
        if performed_on and performed_on > self.today:
            for name in ("helped_rating", "relief_percent", "relief_days"):
                if cleaned.get(name) is not None:
                    self.add_error(name, "Fill this in after the procedure.")
        return cleaned


class NeurostimulatorForm(PatientDatesMixin, forms.ModelForm):
    past_only = PAST_DATES[Neurostimulator]
    helped_rating = rating_field()

    class Meta:
        model = Neurostimulator
        fields = ("device_type", "stage", "implanted_on", "removed_on", "helped_rating", "notes")
        widgets = {"notes": LongTextarea(attrs={"rows": 3})}
        help_texts = {"removed_on": "Leave empty while it is in place."}


class ProgrammingChangeForm(PatientDatesMixin, forms.ModelForm):
    past_only = PAST_DATES[ProgrammingChange]

    class Meta:
        model = ProgrammingChange
        fields = ("date", "note")


class DiagnosticTestForm(PatientDatesMixin, forms.ModelForm):
    past_only = PAST_DATES[DiagnosticTest]

    class Meta:
        model = DiagnosticTest
        fields = ("kind", "performed_on", "result_summary", "notes")
        widgets = {"result_summary": LongTextarea(attrs={"rows": 3}), "notes": LongTextarea(attrs={"rows": 2})}


ADHERENCE_CHOICES = [("yes", "Taken"), ("no", "Not taken"), ("", "Not recorded")]


class AdherenceForm(forms.Form):
    """On the diary page: which current medications were taken that day."""

    prefix = "adherence"

    def __init__(self, *args, medications, recorded: dict[int, bool], **kwargs):
        super().__init__(*args, **kwargs)
        self.medications = medications
        for medication in medications:
            dose = f" {medication.current_dose}" if medication.current_dose else ""
            value = recorded.get(medication.pk)
            self.fields[f"med_{medication.pk}"] = forms.ChoiceField(
                label=f"{medication.name}{dose}",
                choices=ADHERENCE_CHOICES,
                required=False,
                initial="" if value is None else ("yes" if value else "no"),
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            )

    def taken(self) -> dict[int, bool | None]:
        mapping = {"yes": True, "no": False, "": None}
        return {m.pk: mapping[self.cleaned_data.get(f"med_{m.pk}", "")] for m in self.medications}
