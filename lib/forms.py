from django import forms
from django.core.exceptions import ValidationError


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, [message for e in errors for message in e.messages])
    else:
        form.add_error(None, error.messages)


class LongTextarea(forms.Textarea):
    """A textarea without the browser's maxlength: a browser cuts pasted text at that length without
    a word, so the length is checked on the server, which keeps the text and says how much is too much."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("maxlength", None)
        return context
