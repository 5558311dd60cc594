from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe
from django_otp import login as otp_login
from django_otp.middleware import is_verified  # what OTPMiddleware installs as user.is_verified()

from lib.forms import add_service_error
from lib.http import require_form_methods

from .access import patient_required
from .forms import (
    DeleteAccountForm,
    EmailChangeForm,
    LockoutPasswordChangeForm,
    PatientProfileForm,
    QuestionsForm,
    SignUpForm,
    TokenForm,
)
from .models import User
from .selectors import local_today, patient_profile
from .services import (
    account_delete,
    email_address_confirm,
    email_confirmation_send,
    patient_profile_update,
    patient_sign_up,
    user_email_change,
    user_name_change,
)
from .two_factor import (
    base32_secret,
    confirmed_device,
    in_fours,
    pending_device,
    qr_data_uri,
    second_factor_required,
    seconds_to_wait,
    token_already_used,
    wait_message,
)
from .typealias import AuthenticatedHttpRequest


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """`/`: a visitor learns what the app is and can log in or sign up; an account goes to its own home."""
    if not request.user.is_authenticated:
        form = AuthenticationForm(request)
        form.fields["username"].widget.attrs.pop("autofocus", None)  # a phone's keyboard would hide the intro
        return render(request, "accounts/landing.html", {"form": form, "operator": settings.SITE_OPERATOR})
    if request.user.is_clinician:
        return redirect("careteam:clinician_home")
    if request.user.is_staff or request.user.is_superuser:  # clinic staff: the admin (their role says patient)
        return redirect("admin:index")
    return redirect("dashboard:patient")


@require_form_methods
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = patient_sign_up(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data["email"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except ValidationError as error:  # e.g. the name was taken a moment ago, by a sign-up at the same time
            add_service_error(form, error)
            return render(request, "accounts/sign_up.html", {"form": form})
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome. Log how today went: it takes under a minute.")
        if email_confirmation_send(user=user):
            messages.info(request, f"We sent a link to {user.email}: open it to confirm your e-mail address.")
        return redirect("symptoms:today")
    return render(request, "accounts/sign_up.html", {"form": form})


@patient_required
@require_form_methods
def profile(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    instance = patient_profile(patient)
    form = PatientProfileForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        today=local_today(patient),
        email=patient.email,
    )
    if request.method == "POST" and form.is_valid():
        settings = dict(form.cleaned_data)
        name = {field: settings.pop(field) for field in form.NAME_FIELDS}
        try:
            with transaction.atomic():
                patient_profile_update(profile=instance, **settings)
                user_name_change(user=patient, **name)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile")
    two_factor_on = confirmed_device(patient) is not None
    return render(request, "accounts/profile.html", {"form": form, "two_factor_on": two_factor_on})


@patient_required
@require_form_methods
def questions(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    """The questions for the next appointment: a small form on the dashboard posts here."""
    instance = patient_profile(patient)
    form = QuestionsForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["questions_for_clinic"]
        try:
            patient_profile_update(profile=instance, questions_for_clinic=text)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if text:
                messages.success(request, "Your questions for your next appointment are saved.")
            else:
                messages.success(request, "Your questions for your next appointment are cleared.")
            return redirect(reverse("dashboard:patient") + "#report-heading")
    return render(request, "accounts/questions.html", {"form": form})


@login_required
@require_form_methods
def email_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    posted = request.POST if request.method == "POST" else None
    form = EmailChangeForm(posted, user=user, request=request, initial={"email": user.email})
    if posted is not None and form.is_valid():
        try:
            user_email_change(user=user, email=form.cleaned_data["email"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if not user.email:
                messages.success(request, "Your e-mail address is removed; reminders and flag e-mails are off.")
            elif email_confirmation_send(user=user):
                messages.success(request, f"We sent a link to {user.email}: open it to confirm the address.")
            else:
                messages.success(request, "Your e-mail address is saved.")
            return redirect(_account_home(user))
    return render(request, "accounts/email_change.html", {"form": form})


@login_required
@require_POST
def email_confirmation_resend(request: AuthenticatedHttpRequest) -> HttpResponse:
    if email_confirmation_send(user=request.user):
        messages.success(request, f"We sent a new link to {request.user.email}.")
    elif not request.user.email_confirmed:
        messages.error(request, "Several links were sent in the last hour: please use one of those, or try later.")
    return redirect(_account_home(request.user))


@require_form_methods
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm an address from the e-mailed link. A button, not the GET: mail scanners open links."""
    if request.method == "POST":
        user = email_address_confirm(token=token)
        if user is not None:
            messages.success(request, f"Thank you: {user.email} is confirmed.")
            return redirect(_account_home(user) if request.user == user else "login")
        return render(request, "accounts/email_confirm.html", {"invalid": True}, status=400)
    return render(request, "accounts/email_confirm.html", {"invalid": False})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own, with the old password checked so that wrong guesses count towards the lockout."""

    form_class = LockoutPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's own, plus: a new password chosen from the e-mailed link also lifts a login lockout."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


@login_required
@require_safe
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Signing in (e-mail, password, second factor) for accounts without a patient profile: clinicians."""
    if request.user.is_patient:
        return redirect("accounts:profile")
    two_factor_on = confirmed_device(request.user) is not None
    return render(request, "accounts/account.html", {"two_factor_on": two_factor_on})


def _account_home(user: User) -> str:
    return "accounts:profile" if user.is_patient else "accounts:account"


@login_required
@require_form_methods
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the code (or type the secret), then prove it with a token."""
    user = request.user
    if confirmed_device(user) is not None and not is_verified(user):
        return redirect("accounts:two_factor_verify")
    device = pending_device(user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        wait = seconds_to_wait(device)
        if wait:
            form.add_error("token", wait_message(wait))
        elif device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _second_factor_passed(request, device)
            messages.success(request, "Two-factor authentication is on.")
            return redirect(_safe_next(request))
        else:
            form.add_error("token", "That code did not match. Check the time on your phone and try the newest code.")
    context = {"form": form, "secret_groups": in_fours(base32_secret(device)), "qr": qr_data_uri(device)}
    return render(request, "accounts/two_factor_setup.html", {**context, "required": second_factor_required(user)})


@login_required
@require_form_methods
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    if device is None:
        return redirect("accounts:two_factor_setup")
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        wait = seconds_to_wait(device)
        if wait:
            form.add_error("token", wait_message(wait))
        elif device.verify_token(token):
            _second_factor_passed(request, device)
            return redirect(_safe_next(request))
        elif token_already_used(device, token):
            form.add_error("token", "That code has just been used, and each code works once. Wait for the next one.")
        else:
            form.add_error("token", "That code did not match. Try the newest code from your authenticator app.")
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def _second_factor_passed(request: HttpRequest, device) -> None:
    """Mark the session as verified, under a new session key: a key seen before the code is worth nothing."""
    otp_login(request, device)
    request.session.cycle_key()


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or reverse("home")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


@patient_required
@require_form_methods
def delete_account(request: AuthenticatedHttpRequest, patient: User) -> HttpResponse:
    """Delete the account and all its data, after the password and a typed confirmation."""
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=patient, request=request)
    if request.method == "POST" and form.is_valid():
        logout(request)
        account_delete(user=patient)
        messages.success(request, "Your account and all your data have been deleted.")
        return redirect("login")
    return render(request, "accounts/delete_account.html", {"form": form})
