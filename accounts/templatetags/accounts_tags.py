from django import template

from accounts.forms import QuestionsForm

register = template.Library()


@register.inclusion_tag("accounts/_questions_form.html", takes_context=True)
def questions_form(context: template.Context) -> dict:
    """The signed-in patient's questions for their next appointment, as a small form (no query when the
    page has already read their profile, as every patient page does for the time zone)."""
    profile = getattr(context["user"], "patient_profile", None)
    return {"form": QuestionsForm(instance=profile), "csrf_token": context.get("csrf_token")}
