from django import template

from flags.selectors import now_sentence as _now_sentence

register = template.Library()


@register.filter
def now_sentence(now, own=False) -> str:
    """{{ flag.now|now_sentence:own }}: flags.selectors.now_sentence."""
    return _now_sentence(now, own=bool(own)) if now else ""
