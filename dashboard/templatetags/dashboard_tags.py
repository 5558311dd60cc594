import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from lib.figures import one_decimal

register = template.Library()


@register.filter
def attr_value(obj, name: str):
    """{{ entry|attr_value:"pain" }}: an attribute named by a variable."""
    return getattr(obj, name, None)


@register.filter(name="one_decimal")
def one_decimal_filter(value: float | None) -> str:
    """{{ card.recent_mean|one_decimal }}: a mean as every page shows it (lib.figures.one_decimal)."""
    return "" if value is None else f"{one_decimal(value):.1f}"


_SCRIPT_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))


@register.filter
def figure_script(figure: dict, element_id: str) -> str:
    """{{ dash.figure|figure_script:"trend-figure" }}: Django's json_script, compact and faster on a large
    figure (str.replace over the text instead of str.translate); the same escapes, so the same safety."""
    text = json.dumps(figure, cls=DjangoJSONEncoder, separators=(",", ":"))
    for character, escape in _SCRIPT_ESCAPES:
        text = text.replace(character, escape)
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text))  # noqa: S308
