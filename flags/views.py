from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.access import patient_required
from accounts.models import User
from accounts.selectors import local_today

from .forms import AcknowledgeForm
from .models import Flag
from .selectors import flag_history, flags_with_now, patient_flags, readiness
from .services import flag_acknowledge


@patient_required
@require_safe
def flag_list(request: HttpRequest, patient: User) -> HttpResponse:
    today = local_today(patient)
    return render(
        request,
        "flags/list.html",
        {
            "flags": patient_flags(flags_with_now(patient, flag_history(patient), today)),
            "form": AcknowledgeForm(),
            "new_diary": readiness(patient, today),
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
