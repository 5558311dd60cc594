from django import forms


class GrantForm(forms.Form):
    clinician = forms.CharField(
        label="Clinician's username or e-mail",
        max_length=254,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


class InviteForm(forms.Form):
    patient = forms.CharField(
        label="Patient's username or e-mail",
        max_length=254,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "Username or e-mail"}),
    )


class RedeemForm(forms.Form):
    code = forms.CharField(
        label="Share code from the patient",
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off", "autocapitalize": "characters"}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label="Search patients by name", max_length=100, required=False)


class AppointmentForm(forms.Form):
    """An appointment, recorded on the patient's sharing page or the clinician's review (_appointment_fields.html)."""

    date = forms.DateField(input_formats=["%Y-%m-%d"], widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "appt-%s")  # one form on a page: appt-date, appt-note
        super().__init__(*args, **kwargs)
