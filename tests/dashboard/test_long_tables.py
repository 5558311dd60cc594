# ruff: noqa: E501  (the template loops as they were, one line each)
"""The long tables written in Python write what the template loops they replaced wrote."""

import datetime
import re

from django.template import Context, Template

from dashboard.summary import CalendarDay
from dashboard.templatetags.dashboard_tags import calendar_rows, weekly_rows

MONDAY = datetime.date(2026, 11, 2)
D = datetime.timedelta(days=1)

WEEKLY_LOOP = """{% for week in weeks %}
<tr><th scope="row">{{ week.start|date:"j M Y" }}</th><td class="num">{{ week.logged }}</td>{% for mean in week.means %}<td class="num">{{ mean|default_if_none:"\u2013" }}</td>{% endfor %}</tr>
{% endfor %}"""

CALENDAR_LOOP = """{% for week in calendar %}
<tr>
<th scope="row" class="week-label">{% with first=week.0 %}<span class="visually-hidden">week of </span><span aria-hidden="true">{{ first.date|date:"j M" }}</span><span class="visually-hidden">{{ first.date|date:"j F Y" }}</span>{% endwith %}</th>
{% for day in week %}
{% if not day.in_range %}<td class="cal out"></td>
{% elif day.pain is None %}<td class="cal none"><span class="visually-hidden">{{ day.date|date:"j M" }}: not logged</span></td>
{% else %}<td class="cal p{{ day.pain }}"><span aria-hidden="true">{{ day.pain }}</span><span class="visually-hidden">{{ day.date|date:"j M" }}: pain {{ day.pain }}</span></td>{% endif %}
{% endfor %}
</tr>
{% endfor %}"""


def same(a: str, b: str) -> bool:
    squeeze = lambda s: re.sub(r">\s+<", "><", s.strip())  # noqa: E731
    return squeeze(a) == squeeze(b)


def test_weekly_rows_as_the_template_wrote_them():
    weeks = [{"start": MONDAY - 7 * n * D, "logged": 7 - n, "means": [3.5, None, 0.0, 10.0, 6.3 - n]} for n in range(4)]
    assert same(str(weekly_rows(weeks)), Template(WEEKLY_LOOP).render(Context({"weeks": weeks})))


def test_calendar_rows_as_the_template_wrote_them():
    cells = [CalendarDay(MONDAY + n * D, [None, 0, 7, 10][n % 4], 2 <= n <= 12) for n in range(14)]
    calendar = [cells[:7], cells[7:]]
    assert same(str(calendar_rows(calendar)), Template(CALENDAR_LOOP).render(Context({"calendar": calendar})))


def test_a_value_is_escaped():
    weeks = [{"start": MONDAY, "logged": "<b>", "means": ["<i>"]}]
    assert "<b>" not in str(weekly_rows(weeks)) and "&lt;i&gt;" in str(weekly_rows(weeks))
