from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from lib.http import download

from .access import patient_required
from .export import full_export_zip
from .forms import PatientProfileForm, SignUpForm
from .models import User
from .selectors import local_today, patient_profile
from .services import patient_profile_update, patient_sign_up


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_patient:
        return redirect("dashboard:patient")
    if request.user.is_clinician:
        return redirect("careteam:clinician_home")
    return redirect("admin:index")


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = patient_sign_up(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            email=form.cleaned_data["email"],
            time_zone=form.cleaned_data["time_zone"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome. Log how today went: it takes under a minute.")
        return redirect("symptoms:today")
    return render(request, "accounts/sign_up.html", {"form": form})


@patient_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, patient: User) -> HttpResponse:
    instance = patient_profile(patient)
    form = PatientProfileForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        patient_profile_update(profile=instance, **form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@patient_required
@require_GET
def export_all(request: HttpRequest, patient: User) -> HttpResponse:
    """Everything the app holds about the patient, as a zip of CSV files."""
    filename = f"crps-tracker-{patient.username}-{local_today(patient).isoformat()}.zip"
    return download(full_export_zip(patient), filename, "application/zip")
