from django import forms

from lib.forms import LongTextarea

from .models import DetectionSetting


def note_field(label: str, help_text: str) -> forms.CharField:
    """An optional note of up to 2,000 characters; a longer one is kept and refused, never cut."""
    return forms.CharField(
        label=label, required=False, max_length=2000, widget=LongTextarea(attrs={"rows": 2}), help_text=help_text
    )


class AcknowledgeForm(forms.Form):
    note = note_field("Note (optional)", "For example: talked to my pain team, new plan agreed.")


class ClinicianAcknowledgeForm(AcknowledgeForm):
    """The care team's acknowledgement: a note the patient reads, and one only clinicians read."""

    note = note_field("Note for the patient (optional)", "The patient will see this note.")
    care_team_note = note_field(
        "Care-team-only note (optional)", "Only clinicians the patient shares with see this; the patient never does."
    )


class SensitivityForm(forms.Form):
    """The care team's choice of how sensitive worsening detection is for a patient, and why."""

    level = forms.ChoiceField(
        label="Worsening detection", choices=DetectionSetting.Level.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Why (the patient reads this)",
        required=False,
        max_length=300,
        help_text="For example: new medication from 3 March, watching closely for a month.",
    )
