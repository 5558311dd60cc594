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
