"""The chart builder, without a database: figure JSON out."""

import datetime
import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import json_script
from plotly.subplots import make_subplots

from dashboard.charts import TEMPLATE, FlagMark, TreatmentMark, _domains, trend_figure
from dashboard.ranges import DateRange
from dashboard.templatetags.dashboard_tags import figure_script

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


def signs_axis(figure):
    """The signs strip's y-axis: the last one, below the five measure panels."""
    layout = figure["layout"]
    name = max((k for k in layout if k.startswith("yaxis")), key=lambda k: int(k[5:] or 1))
    return layout[name], f"y{name[5:]}"


def test_the_signs_strip_marks_each_day_a_sign_was_present_below_the_measures():
    daily = {
        TODAY: {"pain": 6, "allodynia": True, "limb_temperature": "colder", "sweating": ""},
        TODAY - 1 * D: {"pain": 6, "allodynia": False, "limb_temperature": "same"},
        TODAY - 2 * D: {"pain": 6, "allodynia": True, "sleep_quality": 2},
        TODAY - 40 * D: {"pain": 6, "allodynia": True},  # before the range
    }
    figure = trend_figure(daily, rng(30))
    axis, y = signs_axis(figure)
    # Lanes for the signs recorded in the range, in the table's order; sweating was never recorded.
    assert axis["type"] == "category"
    assert list(axis["categoryarray"]) == ["Allodynia", "Temperature", "Poor sleep"]
    (allodynia,) = traces_named(figure, "Allodynia (touch-evoked pain)")
    assert allodynia["yaxis"] == y
    assert list(allodynia["x"]) == [(TODAY - 2 * D).isoformat(), TODAY.isoformat()]
    assert set(allodynia["y"]) == {"Allodynia"}
    assert "Allodynia (touch-evoked pain)" in allodynia["hovertemplate"]
    (temperature,) = traces_named(figure, "Temperature difference")
    assert list(temperature["x"]) == [TODAY.isoformat()]
    assert not traces_named(figure, "Sweating change")
    # The measure panels keep their height: the strip adds its own below them.
    assert figure["layout"]["yaxis"]["domain"][0] > axis["domain"][1]


def test_a_sign_recorded_but_never_present_keeps_an_empty_lane():
    daily = {TODAY - d * D: {"pain": 5, "skin_colour": "normal"} for d in range(10)}
    figure = trend_figure(daily, rng(30))
    axis, _ = signs_axis(figure)
    assert list(axis["categoryarray"]) == ["Skin colour"]
    assert not traces_named(figure, "Skin colour change")


def test_no_signs_strip_when_no_sign_was_recorded():
    figure = trend_figure({TODAY: {"pain": 3, "allodynia": None, "skin_colour": ""}}, rng(30))
    assert not traces_named(figure, "Signs")
    assert all(figure["layout"][k].get("type") != "category" for k in figure["layout"] if k.startswith("yaxis"))


def test_past_a_year_the_signs_strip_has_one_mark_per_week_with_its_days():
    # Allodynia on 3 of the 7 days of the week of Monday 16 Nov, recorded on all of them; none before.
    monday = datetime.date(2026, 11, 16)
    daily = {TODAY - d * D: {"pain": 5, "allodynia": False} for d in range(2 * 365)}
    for d in (0, 2, 5):
        daily[monday + d * D]["allodynia"] = True
    figure = trend_figure(daily, rng(2 * 365))
    (allodynia,) = traces_named(figure, "Allodynia (touch-evoked pain)")
    assert list(allodynia["x"]) == [(monday + 3 * D).isoformat()]
    assert [list(c) for c in allodynia["customdata"]] == [[3, 7]]
    assert "%{customdata[0]} of %{customdata[1]} recorded days" in allodynia["hovertemplate"]


def test_the_signs_strip_can_be_left_out():
    daily = {TODAY: {"pain": 6, "allodynia": True}}
    assert traces_named(trend_figure(daily, rng(30)), "Allodynia (touch-evoked pain)")
    figure = trend_figure(daily, rng(30), signs_strip=False)
    assert not traces_named(figure, "Allodynia (touch-evoked pain)") and not traces_named(figure, "Signs")


# The figure is built as plain data; plotly's Python package is its schema check, here and never on a request.


def every_kind_of_figure():
    daily = {
        TODAY - d * D: {"pain": d % 9, "mood": 5, "spasms": 2, "allodynia": d % 3 == 0, "skin_colour": "red"}
        for d in range(800)
        if d % 6
    }
    marks = [
        TreatmentMark("medication", "Gabapentin", TODAY - 300 * D, None, "Gabapentin 300 mg", marks_start=True),
        TreatmentMark("therapy", "Physio", TODAY - 60 * D, TODAY - 20 * D, "Physio", marks_start=True),
        TreatmentMark("neurostimulation", "Stimulator", TODAY - 5 * D, None, "Reprogrammed", span=False),
        TreatmentMark("procedure", "Procedures", TODAY - 10 * D, None, "Block", span=False, marks_start=True),
    ]
    flags = [FlagMark("pain", TODAY - 12 * D, "Sustained rise", baseline_mean=4.0, baseline_days=30)]
    return {
        "30 days, everything": trend_figure(daily, rng(30), marks, flags),
        "2 years, weekly": trend_figure(daily, rng(730), marks, flags),
        "one day, nothing else": trend_figure({TODAY: {"pain": 3}}, rng(30)),
        "report, no signs strip": trend_figure(daily, rng(90), marks, flags, measure_height=72, signs_strip=False),
    }


def test_every_kind_of_figure_is_valid_plotly():
    for name, figure in every_kind_of_figure().items():
        validated = go.Figure(figure, skip_invalid=False)  # raises on a key or value plotly.js does not know
        assert validated.to_plotly_json() == json.loads(json.dumps(figure)), name


def test_the_schema_check_can_fail():
    (figure, *_) = every_kind_of_figure().values()
    figure["data"][0]["colour"] = "red"
    with pytest.raises(ValueError, match="colour"):
        go.Figure(figure, skip_invalid=False)


def test_the_rows_are_laid_out_as_plotly_s_make_subplots_lays_them_out():
    heights = [96, 150, 150, 150, 150, 150, 72]
    spacing = 18 / 988
    expected = make_subplots(
        rows=len(heights),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=spacing,
        row_heights=[h / sum(heights) for h in heights],
    ).to_plotly_json()["layout"]
    names = ["yaxis"] + [f"yaxis{row}" for row in range(2, len(heights) + 1)]
    ours = [bound for domain in _domains(heights, spacing) for bound in domain]
    assert ours == pytest.approx([bound for name in names for bound in expected[name]["domain"]])


def test_the_template_is_plotly_s_default_as_a_2d_chart_reads_it():
    plotly_default = pio.templates["plotly"].to_plotly_json()
    assert TEMPLATE["data"] == {kind: plotly_default["data"][kind] for kind in ("bar", "scatter")}
    assert TEMPLATE["layout"] == {key: plotly_default["layout"][key] for key in TEMPLATE["layout"]}


def test_the_figure_script_escapes_as_json_script_does():
    figure = {"data": [{"name": "</script><script>alert(1)</script> & more"}], "layout": {}}
    ours = figure_script(figure, "trend-figure")
    django_s = json_script(figure, "trend-figure")
    assert "</script><script>" not in ours
    start = '<script id="trend-figure" type="application/json">'
    assert ours.startswith(start) and django_s.startswith(start)
    assert json.loads(ours[len(start) : -len("</script>")]) == json.loads(django_s[len(start) : -len("</script>")])
    assert ours.count("<") == ours.count(">") == 2  # only the script element's own tags


def test_the_questionnaire_scores_figure_is_valid_plotly_with_a_panel_each():
    import plotly.graph_objects as go

    from dashboard.charts import ScorePanel, scores_figure

    day = datetime.date(2026, 9, 1)
    panels = [
        ScorePanel("PEG", 10, [(day, 6.0), (day + datetime.timedelta(days=7), 7.3)]),
        ScorePanel("PHQ-9", 27, [(day, 11)], bands=[0, 5, 10, 15, 20]),
        ScorePanel("CSS", 17, [(day, 9), (day + datetime.timedelta(days=90), 15)]),
    ]
    figure = scores_figure(panels)
    go.Figure(figure, skip_invalid=False)  # raises on a key or value plotly.js does not know
    assert [t["yaxis"] for t in figure["data"]] == ["y", "y2", "y3"]
    assert figure["layout"]["yaxis3"]["range"][1] == 17 * 1.08
    assert len(figure["layout"]["shapes"]) == 4  # PHQ-9's bands above 0
    assert figure["data"][0]["y"] == [6.0, 7.3]
