from django.db.models import QuerySet

from accounts.models import User

from .models import Flag


def open_flags(patient: User) -> QuerySet[Flag]:
    return Flag.objects.filter(patient=patient, resolved_on__isnull=True).order_by("-date")


def flag_history(patient: User) -> QuerySet[Flag]:
    return Flag.objects.filter(patient=patient).select_related("acknowledged_by").order_by("-date")
