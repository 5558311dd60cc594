from django import template

register = template.Library()


@register.filter
def attr_value(obj, name: str):
    """{{ entry|attr_value:"pain" }}: an attribute named by a variable."""
    return getattr(obj, name, None)
