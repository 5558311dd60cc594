import datetime
import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, UserCreationForm

from lib.forms import LongTextarea
from lib.vocabulary import BodySite

from .models import PatientProfile, User
from .tasks import password_reset_queue
from .throttle import email_allowed
from .validators import time_zone_names, validate_new_username

logger = logging.getLogger(__name__)
# At most this many reset e-mails per address an hour, so the form cannot be used to flood an inbox.
RESET_EMAILS_PER_HOUR = 3


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


class SignUpForm(UserCreationForm):
    """Patient self-signup. The role is fixed by the service, never taken from the form."""

    email = forms.EmailField(
        required=False,
        help_text="Optional. Used only for reminders and flag e-mails you ask for, and a forgotten password. "
        "You can add or change it later in your profile.",
    )
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        help_text="Your diary day follows your local date.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].initial = settings.DEFAULT_PATIENT_TIME_ZONE
        self.fields["username"].widget.attrs.update(autocomplete="username", autocapitalize="none")
        if self.is_bound:  # keep the zone the patient chose when the form comes back with errors
            self.fields["time_zone"].widget.attrs["data-touched"] = "1"

    def clean_username(self):
        username = super().clean_username()  # NFKC-normalised by the field; "Carol" refused when "carol" exists
        if username is not None:
            validate_new_username(username)
        return username


def password_is_right(request, user: User, password: str) -> bool:
    """Check `user`'s password through authenticate(), so that axes counts a wrong guess towards the
    account's lockout as at login, and refuses even the right password while the account is locked."""
    return authenticate(request, username=user.get_username(), password=password) is not None


class PatientProfileForm(forms.ModelForm):
    """Reminders and flag e-mails go to the account's e-mail address. The name is the account's
    (User.first_name, last_name), set with user_name_change."""

    NAME_FIELDS = ("first_name", "last_name")
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        required=False,
        help_text="Optional. Shown to the clinicians you share your diary with and on your report; "
        "without a name they see your username.",
    )
    field_order = ("first_name", "last_name")
    time_zone = forms.ChoiceField(choices=time_zone_choices)
    affected_sites = forms.MultipleChoiceField(
        choices=BodySite.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Affected body sites",
    )

    class Meta:
        model = PatientProfile
        fields = (
            "time_zone",
            "birth_year",
            "affected_sites",
            "onset_date",
            "reminder_enabled",
            "reminder_time",
            "reminder_channel",
            "email_flags",
            "flag_channel",
        )
        widgets = {
            "onset_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        labels = {"onset_date": "Condition onset date", "birth_year": "Year of birth"}
        help_texts = {"birth_year": "Optional. Your care team sees your age on your report."}

    def __init__(self, *args, today: datetime.date | None = None, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        for name, autocomplete in zip(self.NAME_FIELDS, ("given-name", "family-name"), strict=True):
            self.fields[name].initial = getattr(self.instance.user, name)
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        if today:
            # An onset saved before stays valid after a move westwards (patient_profile_update).
            latest = max(today, self.instance.onset_date or today)
            self.fields["onset_date"].widget.attrs["max"] = latest.isoformat()
        # A form from before the choice existed (an open page) keeps e-mail, the way it went until then.
        for channel in PatientProfile.EMAILED.values():
            self.fields[channel].required = False
        if not email:
            for name in PatientProfile.EMAILED:
                self.fields[name].help_text = (
                    "By e-mail, it needs an e-mail address (under Signing in, below); as a notification, "
                    "turn notifications on for this phone (below)."
                )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm's clean() returns
        for channel in PatientProfile.EMAILED.values():
            cleaned[channel] = cleaned.get(channel) or PatientProfile.Channel.EMAIL
        if not self.email:
            for name, channel in PatientProfile.EMAILED.items():
                if cleaned.get(name) and cleaned.get(channel) != PatientProfile.Channel.PUSH:
                    self.add_error(
                        name,
                        "This goes by e-mail: add an e-mail address first (under Signing in), "
                        "or choose a notification on your phone.",
                    )
        return cleaned


class EmailChangeForm(forms.Form):
    """A new e-mail address, confirmed with the current password (the address can reset it)."""

    email = forms.EmailField(
        label="E-mail address",
        required=False,
        help_text="For reminders, flag e-mails and a forgotten password. Leave empty to remove it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request

    def clean_password(self):
        """Checked through authenticate(), so that wrong guesses count towards the account's lockout."""
        password = self.cleaned_data["password"]
        if not password_is_right(self.request, self.user, password):
            raise forms.ValidationError("That is not your current password.")
        return password


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="6-digit code from your authenticator app",
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": "Enter the 6 digits your app shows."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip()


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.CharField(label="Type DELETE to confirm", max_length=10)

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request

    def clean_password(self):
        """Through authenticate(), so that wrong guesses count towards the account's lockout."""
        if not password_is_right(self.request, self.user, self.cleaned_data["password"]):
            raise forms.ValidationError("That is not your password.")
        return self.cleaned_data["password"]

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip() != "DELETE":
            raise forms.ValidationError("Type DELETE in capitals to confirm.")
        return self.cleaned_data["confirm"]


class LockoutPasswordChangeForm(PasswordChangeForm):
    """Django's, with the old password checked through authenticate(), so wrong guesses count towards the lockout."""

    def __init__(self, user, *args, request, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not password_is_right(self.request, self.user, old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form: the link goes by a task (accounts.services), at most RESET_EMAILS_PER_HOUR an hour.

    Which accounts get a link is `password_reset_recipients`. Whether an address has an account, or
    was throttled, is never shown: the page that follows is the same for every address, and it does
    the same work for every address (the recipients are looked up by the task).
    """

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Queue the link; Django's arguments for its own e-mail (domain, templates) are the task's to decide."""
        email = self.cleaned_data["email"]
        if not email_allowed("password-reset", email, per_hour=RESET_EMAILS_PER_HOUR):
            logger.warning("Password reset e-mails throttled for one address")
            return
        password_reset_queue(email=email)


class QuestionsForm(forms.ModelForm):
    """The patient's questions for their next appointment (on the dashboard; in the clinician's report)."""

    class Meta:
        model = PatientProfile
        fields = ("questions_for_clinic",)
        labels = {"questions_for_clinic": "Questions for my next appointment"}
        help_texts = {
            "questions_for_clinic": "Your clinicians see them in the report before your appointment. "
            "Up to 2,000 characters."
        }
        widgets = {"questions_for_clinic": LongTextarea(attrs={"rows": 4})}  # a longer text is kept and refused
