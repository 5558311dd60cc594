from django import forms
from django.core.exceptions import ValidationError

from lib.forms import add_service_error


class DayForm(forms.Form):
    pain = forms.IntegerField(required=False)


def test_a_service_error_goes_on_its_field_or_on_top():
    form = DayForm({"pain": "3"})
    assert form.is_valid()
    add_service_error(form, ValidationError({"pain": "Too high.", "date": "In the future."}))
    assert form.errors == {"pain": ["Too high."], "__all__": ["In the future."]}


def test_a_plain_service_error_goes_on_top():
    form = DayForm({})
    form.is_valid()
    add_service_error(form, ValidationError(["One.", "Two."]))
    assert form.non_field_errors() == ["One.", "Two."]
