from django import forms

from lib.forms import LongTextarea


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=LongTextarea(attrs={"rows": 2}),  # a longer note is kept and refused, not cut
        help_text="For example: talked to my pain team, new plan agreed.",
    )


class ClinicianAcknowledgeForm(AcknowledgeForm):
    """The care team's acknowledgement: a note the patient reads, and one only clinicians read."""

    note = forms.CharField(
        label="Note for the patient (optional)",
        required=False,
        max_length=2000,
        widget=LongTextarea(attrs={"rows": 2}),
        help_text="The patient will see this note.",
    )
    care_team_note = forms.CharField(
        label="Care-team-only note (optional)",
        required=False,
        max_length=2000,
        widget=LongTextarea(attrs={"rows": 2}),
        help_text="Only clinicians the patient shares with see this; the patient never does.",
    )
