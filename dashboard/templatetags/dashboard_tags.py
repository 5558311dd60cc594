import datetime
import functools
import json
from collections.abc import Mapping

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import dateformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from lib.figures import one_decimal

register = template.Library()


@register.filter
def attr_value(obj, name: str):
    """{{ entry|attr_value:"pain" }}: an attribute (or a mapping's value) named by a variable."""
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


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


# The long tables (a weekly row for each of 5 years' weeks, a cell for each day of the calendar's year),
# written in Python: the template language costs tens of milliseconds over so many cells.


@functools.lru_cache(maxsize=4096)
def _date(day: datetime.date, fmt: str) -> str:
    return dateformat.format(day, fmt)  # what the |date filter writes


def _number(value) -> str:
    return "\u2013" if value is None else str(value)  # as {{ value|default_if_none:"&ndash;" }} writes it


@register.simple_tag
def weekly_rows(weeks: list[dict]) -> str:
    """The weekly averages table's rows, newest week first (dashboard.summary.weekly_table)."""
    return format_html_join(
        "\n",
        '<tr><th scope="row">{}</th><td class="num">{}</td>{}</tr>',
        (
            (
                _date(week["start"], "j M Y"),
                week["logged"],
                format_html_join("", '<td class="num">{}</td>', ((_number(mean),) for mean in week["means"])),
            )
            for week in weeks
        ),
    )


def _calendar_cell(day) -> str:
    if not day.in_range:
        return mark_safe('<td class="cal out"></td>')
    if day.pain is None:
        return format_html(
            '<td class="cal none"><span class="visually-hidden">{}: not logged</span></td>', _date(day.date, "j M")
        )
    return format_html(
        '<td class="cal p{}"><span aria-hidden="true">{}</span><span class="visually-hidden">{}: pain {}</span></td>',
        day.pain,
        day.pain,
        _date(day.date, "j M"),
        day.pain,
    )


@register.simple_tag
def calendar_rows(calendar) -> str:
    """The pain calendar's rows, a week each, Monday first (dashboard.summary.pain_calendar)."""
    return format_html_join(
        "\n",
        '<tr><th scope="row" class="week-label"><span class="visually-hidden">week of </span>'
        '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span></th>{}</tr>',
        (
            (
                _date(week[0].date, "j M"),
                _date(week[0].date, "j F Y"),
                mark_safe("".join(_calendar_cell(day) for day in week)),  # noqa: S308 - cells from format_html
            )
            for week in calendar
        ),
    )
