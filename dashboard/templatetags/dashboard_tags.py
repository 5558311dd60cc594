from django import template

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
