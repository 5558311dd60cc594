from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("reminders/_push_settings.html", takes_context=True)
def push_settings(context):
    """The profile's "notifications on this phone" switch: offered when the server has VAPID keys."""
    user = context["request"].user
    return {
        "vapid_public_key": settings.VAPID_PUBLIC_KEY if settings.VAPID_PRIVATE_KEY else "",
        "phones": user.push_subscriptions.count(),
    }
