from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.access import patient_access_required, patient_required
from accounts.models import User
from accounts.selectors import local_today
from accounts.typealias import AuthenticatedHttpRequest

from .detection import parameters_for
from .forms import AcknowledgeForm, ClinicianAcknowledgeForm, SensitivityForm
from .models import Flag
from .selectors import LEVELS, detection_setting, flag_history, flags_with_now, new_diary_of, patient_flags
from .services import flag_acknowledge, setting_change


@patient_required
@require_safe
def flag_list(request: HttpRequest, patient: User) -> HttpResponse:
    today = local_today(patient)
    setting = detection_setting(patient)
    return render(
        request,
        "flags/list.html",
        {
            "flags": patient_flags(flags_with_now(patient, flag_history(patient), today)),
            "form": AcknowledgeForm(),
            "new_diary": new_diary_of(patient, today),
            "setting": setting,
            "resolve_days": parameters_for(setting.level.value).resolve_days,
            "levels": LEVELS,
        },
    )


@patient_required
@require_POST
def acknowledge(request: HttpRequest, patient: User, pk: int) -> HttpResponse:
    flag = get_object_or_404(Flag.objects.filter(patient=patient), pk=pk)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        back = reverse("flags:list")
        return acknowledge_again(request, flag, form, action=request.path, back=back)
    flag_acknowledge(flag=flag, by=patient, note=form.cleaned_data["note"])
    messages.success(request, f"Noted: {flag.get_measure_display().lower()} flag acknowledged.")
    return redirect("flags:list")


def acknowledge_again(request: HttpRequest, flag: Flag, form: AcknowledgeForm, *, action: str, back: str, **context):
    """A refused note (too long), kept as typed beside the reason it was refused, to shorten and send again.

    A 400: nothing was acknowledged (and so nothing is logged as acknowledged, accounts.access)."""
    context = {"flag": flag, "form": form, "action": action, "back": back, **context}
    return render(request, "flags/acknowledge.html", context, status=400)


@patient_access_required("changed the worsening-detection setting", action="changed")
@require_POST
def sensitivity(request: HttpRequest, patient: User) -> HttpResponse:
    """A clinician the patient shares with sets how sensitive worsening detection is for them (from the
    review page); the patient sees the setting and the reason on their Changes page, and cannot set it."""
    clinician = request.user
    if not isinstance(clinician, User) or not clinician.is_clinician:
        raise Http404("For the care team.")
    form = SensitivityForm(request.POST)
    if form.is_valid():
        setting = setting_change(
            patient=patient, level=form.cleaned_data["level"], reason=form.cleaned_data["reason"], by=clinician
        )
        messages.success(
            request,
            f"Worsening detection for {patient.display_name} is now {setting.get_level_display().lower()}; "
            "the whole diary is being checked again at it.",
        )
        return redirect("careteam:patient", patient_id=patient.pk)
    back = reverse("careteam:patient", kwargs={"patient_id": patient.pk})
    context = {"subject": patient, "form": form, "back": back, "levels": LEVELS}
    return render(request, "flags/sensitivity.html", context, status=400)


@patient_access_required("acknowledged a flag", action="changed")
@require_POST
def acknowledge_for_care_team(request: AuthenticatedHttpRequest, patient: User, pk: int) -> HttpResponse:
    """A clinician the patient shares with acknowledges a flag from the review page (careteam:acknowledge_flag)."""
    flag = get_object_or_404(flag_history(patient), pk=pk)
    form = ClinicianAcknowledgeForm(request.POST)
    if not form.is_valid():
        back = reverse("careteam:patient", kwargs={"patient_id": patient.pk})
        return acknowledge_again(request, flag, form, action=request.path, back=back, patient_name=patient.display_name)
    flag = flag_acknowledge(
        flag=flag, by=request.user, note=form.cleaned_data["note"], care_team_note=form.cleaned_data["care_team_note"]
    )
    earlier = flag.clinician_acknowledged_by
    if request.user.is_clinician and earlier and earlier != request.user:
        messages.info(request, f"{earlier.display_name} had already acknowledged this flag for the care team.")
    else:
        messages.success(request, "Flag acknowledged.")
    return redirect("careteam:patient", patient_id=patient.pk)
