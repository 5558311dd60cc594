from django import forms


class GrantForm(forms.Form):
    clinician = forms.CharField(label="Clinician's username or e-mail", max_length=254)


class InviteForm(forms.Form):
    patient = forms.CharField(label="Patient's username or e-mail", max_length=254)


class RedeemForm(forms.Form):
    code = forms.CharField(label="Share code from the patient", max_length=20)


class SearchForm(forms.Form):
    q = forms.CharField(label="Search patients by name", max_length=100, required=False)


class AppointmentForm(forms.Form):
    date = forms.DateField(input_formats=["%Y-%m-%d"], widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(required=False, max_length=500)
