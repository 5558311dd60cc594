"""The chart builder, without a database: figure JSON out."""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder

from dashboard.charts import TreatmentMark, trend_figure
from dashboard.ranges import DateRange

TODAY = datetime.date(2026, 11, 24)
D = datetime.timedelta(days=1)


def rng(days):
    return DateRange(TODAY - (days - 1) * D, TODAY, "custom", "")


def traces_named(figure, name):
    return [t for t in figure["data"] if t.get("name") == name]


def test_points_are_logged_days_only_and_the_line_has_gaps():
    daily = {TODAY - d * D: {"pain": 6} for d in range(30) if not 10 <= d < 20}  # ten days not logged
    figure = trend_figure(daily, rng(30))
    (points,) = traces_named(figure, "Pain")
    assert len(points["x"]) == 20
    assert 0 not in points["y"]
    (line,) = traces_named(figure, "Pain, 7-day mean")
    assert len(line["x"]) == 30
    gap = [line["y"][line["x"].index((TODAY - d * D).isoformat())] for d in range(13, 17)]
    assert gap == [None, None, None, None]  # not interpolated, not zero


def test_every_measure_has_a_panel_and_mood_says_up_is_better():
    figure = trend_figure({TODAY: {"pain": 3, "mood": 8}}, rng(30))
    titles = [v["title"]["text"] for k, v in figure["layout"].items() if k.startswith("yaxis") and "title" in v]
    assert titles == [
        "Pain<br>↑ worse",
        "Spasms<br>↑ worse",
        "Swelling<br>↑ worse",
        "Skin changes<br>↑ worse",
        "Mood<br>↑ better",
    ]


def test_the_baseline_band_appears_once_there_are_enough_days():
    daily = {TODAY - d * D: {"pain": 4 + d % 2} for d in range(60)}
    (band, *_) = traces_named(trend_figure(daily, rng(30)), "Your usual")
    assert band["fill"] == "toself"
    edges = [y for y in band["y"] if y is not None]
    assert len(edges) == 2 * 30  # one closed shape over the whole range: highs out, lows back
    assert 3.9 <= min(edges) <= 4.1 and 4.9 <= max(edges) <= 5.1  # mean 4.5 +/- sd 0.5


def test_treatments_share_the_time_axis_with_hover_text():
    marks = [
        TreatmentMark(
            "medication", "Gabapentin", TODAY - 20 * D, None, "Gabapentin 300 mg three times a day", True, True
        ),
        TreatmentMark("procedure", "Procedures", TODAY - 5 * D, None, "Stellate ganglion nerve block", False, True),
        TreatmentMark("medication", "Old", TODAY - 400 * D, TODAY - 300 * D, "Out of range"),
    ]
    figure = trend_figure({TODAY: {"pain": 3}}, rng(30), marks)
    bars = [t for t in figure["data"] if t["type"] == "bar"]
    assert len(bars) == 1 and list(bars[0]["y"]) == ["Gabapentin"]
    assert list(bars[0]["hovertext"]) == ["Gabapentin 300 mg three times a day"]
    (diamonds,) = [t for t in figure["data"] if t.get("marker", {}).get("symbol") == "diamond"]
    assert list(diamonds["x"]) == [(TODAY - 5 * D).isoformat()]
    lines = {s["x0"] for s in figure["layout"]["shapes"]}
    assert lines == {(TODAY - 20 * D).isoformat(), (TODAY - 5 * D).isoformat()}


def test_past_a_year_it_draws_weekly_means():
    daily = {TODAY - d * D: {"pain": 5} for d in range(5 * 365)}
    figure = trend_figure(daily, rng(5 * 365))
    assert not traces_named(figure, "Pain")
    (weekly,) = traces_named(figure, "Pain, weekly mean")
    assert 260 <= len(weekly["x"]) <= 262
    size = len(json.dumps(figure, cls=DjangoJSONEncoder))
    assert size < 400_000  # light enough for a phone; the benchmark prints the real figure
