from django.conf import settings
from django.db import models


class PushSubscription(models.Model):
    """One browser's Web Push address for a patient (one per phone or browser they turned it on in).

    The endpoint is the push service's address for that browser; p256dh and auth are the browser's
    keys, with which each notice is encrypted (RFC 8291) so that the push service cannot read it.
    A notice never holds health data anyway (reminders.notices).
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=2000)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # A browser has one endpoint; turning notifications on again (or for another patient
            # on a shared phone) moves it. Its index serves the lookup by endpoint.
            models.UniqueConstraint(fields=["endpoint"], name="reminders_push_one_per_endpoint"),
        ]

    def __str__(self) -> str:
        return f"push subscription of {self.patient_id}"

    def as_webpush_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
