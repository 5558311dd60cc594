"""The one chart builder: diary and treatments in, plotly figure JSON out. Pure functions.

One figure, one shared time axis: a lane of treatments on top, then a panel per headline
measure with the daily values as points, the 7-day mean as a line and the patient's own
baseline as a band. Days not logged are gaps. Past a year, weekly means replace daily values.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeGuard

from symptoms.signs import SIGNS, Sign
from symptoms.vocabulary import MEASURES
from symptoms.yardsticks import FlagLevel, Usual, flag_open_on, usual_level

from .ranges import DateRange
from .series import days, rolling_mean, weekly_means
from .summary import DailyMeasures, measure_series

ACCENT = "#1f5f8b"
BAND = "rgba(45, 125, 70, 0.16)"
POINTS = "rgba(31, 95, 139, 0.45)"
FLAG = "#a21d2c"
LANE_COLOURS = {
    "medication": "#1f5f8b",
    "therapy": "#2d7d46",
    "neurostimulation": "#6a3d9a",
    "procedure": "#a4470f",
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
MEASURE_HEIGHT = 150
LANE_HEIGHT = 24
SIGN_LANE_HEIGHT = 18
SIGN_COLOUR = "#0f6b6b"
MS_PER_DAY = 86_400_000

# Of plotly's default template ("plotly"), what a chart of scatters and bars on 2-D axes reads: the look the
# chart had when plotly's Python package built it. tests/dashboard/test_charts.py checks it against plotly's.
_AXIS_LOOK = {
    "gridcolor": "white",
    "linecolor": "white",
    "ticks": "",
    "title": {"standoff": 15},
    "zerolinecolor": "white",
    "automargin": True,
    "zerolinewidth": 2,
}
_PATTERN = {"fillmode": "overlay", "size": 10, "solidity": 0.2}
TEMPLATE = {
    "data": {
        "bar": [
            {
                "error_x": {"color": "#2a3f5f"},
                "error_y": {"color": "#2a3f5f"},
                "marker": {"line": {"color": "#E5ECF6", "width": 0.5}, "pattern": _PATTERN},
                "type": "bar",
            }
        ],
        "scatter": [{"fillpattern": _PATTERN, "type": "scatter"}],
    },
    "layout": {
        "annotationdefaults": {"arrowcolor": "#2a3f5f", "arrowhead": 0, "arrowwidth": 1},
        "autotypenumbers": "strict",
        "colorway": [
            *("#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A"),
            *("#19d3f3", "#FF6692", "#B6E880", "#FF97FF", "#FECB52"),
        ],
        "font": {"color": "#2a3f5f"},
        "hoverlabel": {"align": "left"},
        "hovermode": "closest",
        "paper_bgcolor": "white",
        "plot_bgcolor": "#E5ECF6",
        "shapedefaults": {"line": {"color": "#2a3f5f"}},
        "title": {"x": 0.05},
        "xaxis": _AXIS_LOOK,
        "yaxis": _AXIS_LOOK,
    },
}


@dataclass(frozen=True)
class TreatmentMark:
    """Something to draw on the treatments lane: a span (start to end) or a single dated event."""

    kind: str  # medication, therapy, neurostimulation, procedure
    lane: str  # the row it goes on, e.g. "Gabapentin"
    start: datetime.date
    end: datetime.date | None  # None for an event, or for a span still going on
    hover: str
    span: bool = True
    marks_start: bool = False  # draw a line through the measure panels at `start`


@dataclass(frozen=True)
class FlagMark:
    """A worsening flag, drawn on its measure's panel on the day it was raised."""

    measure: str
    date: datetime.date
    hover: str
    # The usual level the flag was raised against: the band holds it, frozen, while the flag is open.
    baseline_mean: float | None = None
    baseline_days: int = 0
    resolved_on: datetime.date | None = None


def _iso(day: datetime.date) -> str:
    return day.isoformat()


def _holds_a_level(flag: FlagMark) -> TypeGuard[FlagLevel]:
    """Whether the flag was raised against a usual level, which it then holds while open."""
    return flag.baseline_mean is not None


def _usual_on(series, day: datetime.date, episodes: Sequence[FlagMark]) -> Usual | None:
    """The usual level on `day`: held at a flag's level while it was open (symptoms.yardsticks)."""
    return usual_level(series, day, flag_open_on((f for f in episodes if _holds_a_level(f)), day))


def _band(days_: Sequence[datetime.date], series, episodes: Sequence[FlagMark] = ()) -> tuple[list, list]:
    """x and y of the usual band as closed shapes, one per run of days that have a usual level."""
    xs, ys = [], []
    run: list[tuple[datetime.date, float, float]] = []

    def close():
        if run:
            xs.extend([_iso(d) for d, _, _ in run] + [_iso(d) for d, _, _ in reversed(run)] + [None])
            ys.extend([high for _, _, high in run] + [low for _, low, _ in reversed(run)] + [None])
            run.clear()

    for day in days_:
        usual = _usual_on(series, day, episodes)
        if usual is None:
            close()
        else:
            run.append((day, usual.low, usual.high))
    close()
    return xs, ys


def _axis_names(row: int) -> tuple[str, str]:
    """The x and y axis of a row, as plotly names them in a trace ("x", "y2") and in the layout."""
    return ("x", "y") if row == 1 else (f"x{row}", f"y{row}")


def _layout_key(axis: str) -> str:
    return {"x": "xaxis", "y": "yaxis"}[axis[0]] + axis[1:]


def _trace(kind: str, row: int, **attributes) -> dict:
    """A trace as plotly.js reads it, on the row's axes; attributes given as None are left out."""
    x, y = _axis_names(row)
    return {"type": kind, "xaxis": x, "yaxis": y, **{k: v for k, v in attributes.items() if v is not None}}


def _time_axis(row: int, rows: int, x_range: list[str]) -> dict[str, object]:
    """Row `row`'s time axis, in the layout: the rows share one, labelled under the bottom row."""
    x_axis: dict[str, object] = {"anchor": _axis_names(row)[1], "domain": [0.0, 1.0], "type": "date", "range": x_range}
    x_axis |= {"showgrid": True, "gridcolor": "#e6eaee"}
    if row != rows:
        x_axis |= {"matches": _axis_names(rows)[0], "showticklabels": False}
    return x_axis


# How every figure looks, around its panels.
_LOOK = {
    "margin": {"l": 70, "r": 12, "t": 12, "b": 40},
    "showlegend": False,
    "hovermode": "closest",
    "font": {"family": FONT, "size": 12, "color": "#24323d"},
    "plot_bgcolor": "#ffffff",
    "paper_bgcolor": "#ffffff",
}


def _figure(data: list[dict], layout: dict, *, height: int, shapes: list[dict], **look: object) -> dict:
    """The figure, its layout given the common look (and `look`'s own settings) and its shapes, if any."""
    layout |= {"height": height, **_LOOK, **look, "template": TEMPLATE}
    if shapes:
        layout["shapes"] = shapes
    return {"data": data, "layout": layout}


def _domains(heights: Sequence[int], spacing: float) -> list[tuple[float, float]]:
    """Each row's vertical domain, top row first: the rows share 1 less the gaps by their heights."""
    room = 1 - spacing * (len(heights) - 1)
    total = sum(heights)
    domains, top = [], 1.0
    for h in heights:
        bottom = top - room * h / total
        domains.append((max(bottom, 0.0), top))
        top = bottom - spacing
    return domains


def trend_figure(
    daily: DailyMeasures,
    rng: DateRange,
    marks: Sequence[TreatmentMark] = (),
    flags: Sequence[FlagMark] = (),
    measure_height: int = MEASURE_HEIGHT,
    signs_strip: bool = True,
) -> dict:
    """The dashboard's figure as a JSON-ready dict; `signs_strip=False` leaves out the CRPS signs strip.

    Built as plain data in plotly.js's own terms (no plotly Python objects on a request):
    tests/dashboard/test_charts.py validates every kind of figure against plotly's schema.
    """
    in_range = [m for m in marks if m.start <= rng.end and (m.end is None or m.end >= rng.start)]
    lanes = list(dict.fromkeys(m.lane for m in in_range))
    lane_rows = 1 if lanes else 0
    signs = signs_in_range(daily, rng) if signs_strip else []
    rows = lane_rows + len(MEASURES) + (1 if signs else 0)
    lane_px = max(LANE_HEIGHT * len(lanes), 60) if lanes else 0
    signs_px = max(SIGN_LANE_HEIGHT * len(signs), 40) if signs else 0
    height = lane_px + measure_height * len(MEASURES) + signs_px + 70
    heights = ([lane_px] if lanes else []) + [measure_height] * len(MEASURES) + ([signs_px] if signs else [])
    x_range = [_iso(rng.start - datetime.timedelta(days=1)), _iso(rng.end + datetime.timedelta(days=1))]
    layout: dict = {}
    for row, (low, high) in enumerate(_domains(heights, 18 / height), start=1):
        x, y = _axis_names(row)
        layout[_layout_key(x)] = _time_axis(row, rows, x_range)
        layout[_layout_key(y)] = {"anchor": x, "domain": [low, high]}
    data: list[dict] = []
    if lanes:
        data += _treatment_lane(layout, in_range, rng)
    for index, measure in enumerate(MEASURES):
        row = lane_rows + index + 1
        series = measure_series(daily, measure.name)
        episodes = [f for f in flags if f.measure == measure.name]
        data += _measure_panel(series, rng, row, measure, episodes)
        raised = [f for f in episodes if rng.start <= f.date <= rng.end]
        if raised:
            data.append(
                _trace(
                    "scatter",
                    row,
                    x=[_iso(f.date) for f in raised],
                    y=[10.2] * len(raised),
                    mode="markers",
                    marker={"symbol": "triangle-down", "size": 12, "color": FLAG},
                    hovertext=[f.hover for f in raised],
                    hovertemplate="%{hovertext}<extra></extra>",
                    name=f"{measure.label} flag",
                )
            )
        direction = "↑ worse" if measure.higher_is_worse else "↑ better"
        layout[_layout_key(_axis_names(row)[1])] |= {
            "title": {"text": f"{measure.label}<br>{direction}"},
            "range": [-0.5, 10.5],
            "tickvals": [0, 5, 10],
            "fixedrange": True,
        }
    if signs:
        data += _signs_lane(layout, daily, signs, rng, row=rows)
    starts = sorted({m.start for m in in_range if m.marks_start and rng.start <= m.start <= rng.end})
    shapes = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": _iso(day),
            "x1": _iso(day),
            "y0": 0,
            "y1": 1,
            "line": {"color": "rgba(80, 90, 100, 0.45)", "width": 1, "dash": "dot"},
            "layer": "below",
        }
        for day in starts
    ]
    return _figure(data, layout, height=height, shapes=shapes, bargap=0.35)


def _measure_panel(series, rng: DateRange, row: int, measure, episodes: Sequence[FlagMark] = ()) -> list[dict]:
    if rng.weekly:
        weeks = weekly_means(series, rng.start, rng.end)
        x = [_iso(w.start + datetime.timedelta(days=3)) for w in weeks]
        band_days = [w.start + datetime.timedelta(days=6) for w in weeks]
        xs, ys = _band(band_days, series, episodes)
        xs = [_iso(datetime.date.fromisoformat(v) - datetime.timedelta(days=3)) if v else None for v in xs]
        return [
            _band_trace(xs, ys, row),
            _trace(
                "scatter",
                row,
                x=x,
                y=[w.mean for w in weeks],
                mode="lines+markers",
                connectgaps=False,
                line={"color": ACCENT, "width": 2},
                marker={"size": 4, "color": ACCENT},
                name=f"{measure.label}, weekly mean",
                customdata=[w.count for w in weeks],
                hovertemplate="Week of %{x|%-d %b %Y}<br>" + measure.label + " mean %{y:.1f} (%{customdata} days)"
                "<extra></extra>",
            ),
        ]
    all_days = days(rng.start, rng.end)
    logged = [d for d in all_days if d in series]
    xs, ys = _band(all_days, series, episodes)
    return [
        _band_trace(xs, ys, row),
        _trace(
            "scatter",
            row,
            x=[_iso(d) for d in all_days],
            y=[rolling_mean(series, d) for d in all_days],
            mode="lines",
            connectgaps=False,
            line={"color": ACCENT, "width": 2},
            name=f"{measure.label}, 7-day mean",
            hovertemplate="%{x|%-d %b %Y}<br>7-day mean %{y:.1f}<extra></extra>",
        ),
        _trace(
            "scatter",
            row,
            x=[_iso(d) for d in logged],
            y=[series[d] for d in logged],
            mode="markers",
            marker={"size": 5, "color": POINTS},
            name=measure.label,
            hovertemplate="%{x|%a %-d %b %Y}<br>" + measure.label + " %{y}<extra></extra>",
        ),
    ]


def _band_trace(xs, ys, row: int) -> dict:
    return _trace(
        "scatter",
        row,
        x=xs,
        y=ys,
        fill="toself",
        fillcolor=BAND,
        line={"width": 0},
        mode="lines",
        hoverinfo="skip",
        name="Your usual",
        connectgaps=False,
    )


def _treatment_lane(layout: dict, marks: Sequence[TreatmentMark], rng: DateRange) -> list[dict]:
    traces = []
    for kind, colour in LANE_COLOURS.items():
        spans = [m for m in marks if m.kind == kind and m.span]
        if spans:
            starts = [max(m.start, rng.start - datetime.timedelta(days=1)) for m in spans]
            ends = [min(m.end or rng.end, rng.end + datetime.timedelta(days=1)) for m in spans]
            traces.append(
                _trace(
                    "bar",
                    1,
                    orientation="h",
                    y=[m.lane for m in spans],
                    base=[_iso(s) for s in starts],
                    x=[((e - s).days + 1) * MS_PER_DAY for s, e in zip(starts, ends, strict=True)],
                    marker={"color": colour},
                    hovertext=[m.hover for m in spans],
                    hovertemplate="%{hovertext}<extra></extra>",
                    name=kind,
                )
            )
        events = [m for m in marks if m.kind == kind and not m.span]
        if events:
            traces.append(
                _trace(
                    "scatter",
                    1,
                    x=[_iso(m.start) for m in events],
                    y=[m.lane for m in events],
                    mode="markers",
                    marker={"symbol": "diamond", "size": 11, "color": colour, "line": {"color": "#fff", "width": 1}},
                    hovertext=[m.hover for m in events],
                    hovertemplate="%{hovertext}<extra></extra>",
                    name=kind,
                )
            )
    layout["yaxis"] |= {
        "type": "category",
        # Lanes top to bottom in the order given; charts.js labels them inside the plot on phones.
        "categoryorder": "array",
        "categoryarray": list(dict.fromkeys(m.lane for m in marks)),
        "autorange": "reversed",
        "fixedrange": True,
        "showgrid": False,
        "tickfont": {"size": 11},
    }
    return traces


def signs_in_range(daily: DailyMeasures, rng: DateRange) -> list[Sign]:
    """The CRPS signs recorded on at least one day of the range: the lanes of the signs strip.

    A sign recorded but never present keeps its (empty) lane: "recorded, not seen" is news too.
    """
    in_range = [values for d, values in daily.items() if rng.start <= d <= rng.end]
    return [sign for sign in SIGNS if any(sign.present(values) is not None for values in in_range)]


def _signs_lane(layout: dict, daily: DailyMeasures, signs: Sequence[Sign], rng: DateRange, row: int) -> list[dict]:
    """The signs strip: one lane per sign, a mark on each day it was present (symptoms.signs).

    Past a year, one mark per calendar week with at least one such day, its days in the hover.
    """
    # One pass a sign over the logged days (5 years are 1,800), as symptoms.signs.sign_on reads each.
    logged = sorted((d, values) for d, values in daily.items() if rng.start <= d <= rng.end)
    # Every lane, also one with no mark (recorded, never present): an invisible point on each.
    traces = [
        _trace(
            "scatter",
            row,
            x=[_iso(rng.start)] * len(signs),
            y=[sign.lane for sign in signs],
            mode="markers",
            marker={"opacity": 0},
            hoverinfo="skip",
            name="Signs",
        )
    ]
    for sign in signs:
        states = [(day, state) for day, values in logged if (state := sign.present(values)) is not None]
        if not any(state for _, state in states):
            continue
        if rng.weekly:
            weeks: dict[datetime.date, list[int]] = {}
            for day, state in states:
                counts = weeks.setdefault(day - datetime.timedelta(days=day.weekday()), [0, 0])
                counts[0] += state
                counts[1] += 1
            shown = [(monday, c) for monday, c in sorted(weeks.items()) if c[0]]
            x = [_iso(monday + datetime.timedelta(days=3)) for monday, _ in shown]
            custom = [[c[0], c[1]] for _, c in shown]
            hover = "Week of %{x|%-d %b %Y}<br>" + sign.label + ": %{customdata[0]} of %{customdata[1]} recorded days"
        else:
            x = [_iso(day) for day, state in states if state]
            custom = None
            hover = "%{x|%a %-d %b %Y}<br>" + sign.label
        traces.append(
            _trace(
                "scatter",
                row,
                x=x,
                y=[sign.lane] * len(x),
                mode="markers",
                marker={"symbol": "square", "size": 7, "color": SIGN_COLOUR},
                customdata=custom,
                hovertemplate=hover + "<extra></extra>",
                name=sign.label,
            )
        )
    layout[_layout_key(_axis_names(row)[1])] |= {
        "type": "category",
        # One lane per sign, in the order of symptoms.signs; charts.js labels them inside on phones.
        "categoryorder": "array",
        "categoryarray": [sign.lane for sign in signs],
        "range": [len(signs) - 0.5, -0.5],
        "fixedrange": True,
        "showgrid": True,
        "gridcolor": "#eef1f4",
        "tickfont": {"size": 11},
    }
    return traces


@dataclass(frozen=True)
class ScorePanel:
    """One questionnaire's scores over time: its own small panel, its full scale on the axis."""

    title: str  # the axis title, e.g. "PHQ-9"
    maximum: float
    points: Sequence[tuple[datetime.date, float]]
    bands: Sequence[int] = ()  # the score where each severity band starts (dotted lines)


SCORE_PANEL_HEIGHT = 110


def scores_figure(panels: Sequence[ScorePanel], panel_height: int = SCORE_PANEL_HEIGHT) -> dict:
    """A small panel per questionnaire, points joined in time, one shared time axis."""
    rows = len(panels)
    height = panel_height * rows + 60
    days = [day for panel in panels for day, _ in panel.points]
    x_range = [_iso(min(days) - datetime.timedelta(days=7)), _iso(max(days) + datetime.timedelta(days=7))]
    layout: dict = {}
    data: list[dict] = []
    shapes: list[dict] = []
    domains = _domains([panel_height] * rows, 24 / height)
    for row, ((low, high), panel) in enumerate(zip(domains, panels, strict=True), 1):
        x, y = _axis_names(row)
        layout[_layout_key(x)] = _time_axis(row, rows, x_range)
        top = panel.maximum
        layout[_layout_key(y)] = {
            "anchor": x,
            "domain": [low, high],
            "range": [-top * 0.06, top * 1.08],
            "tickvals": [0, top],
            "fixedrange": True,
            "title": {"text": panel.title},
        }
        data.append(
            _trace(
                "scatter",
                row,
                x=[_iso(day) for day, _ in panel.points],
                y=[score for _, score in panel.points],
                mode="lines+markers",
                line={"color": ACCENT, "width": 1.5},
                marker={"size": 7, "color": ACCENT},
                name=panel.title,
                hovertemplate=f"{panel.title} %{{y}} on %{{x|%-d %b %Y}}<extra></extra>",
            )
        )
        shapes += [
            {
                "type": "line",
                "xref": "paper",
                "yref": y,
                "x0": 0,
                "x1": 1,
                "y0": start,
                "y1": start,
                "line": {"color": "rgba(80, 90, 100, 0.35)", "width": 1, "dash": "dot"},
                "layer": "below",
            }
            for start in panel.bands
            if start > 0
        ]
    return _figure(data, layout, height=height, shapes=shapes)
