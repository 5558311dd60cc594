from django.db import transaction

from accounts.models import User

from .models import PushSubscription


def push_subscription_save(*, patient: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep a browser's push address for `patient`. A browser has one address: if another patient had
    it (a shared phone), it is theirs no longer."""
    with transaction.atomic():
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults={"patient": patient, "p256dh": p256dh, "auth": auth}
        )
    return subscription


def push_subscription_delete(*, patient: User, endpoint: str) -> int:
    return PushSubscription.objects.filter(patient=patient, endpoint=endpoint).delete()[0]


def push_phones(patient: User) -> int:
    return PushSubscription.objects.filter(patient=patient).count()
