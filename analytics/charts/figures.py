"""One chart specification per dashboard table: a `plotly.graph_objects.Figure` built from
the selector's `Table`, the only place that decides what a table's chart shows.

The page serialises the figure into a `json_script` and `dashboard.js` hands it to
Plotly.js untouched; the PDF report draws the very same figure with ReportLab
(`analytics.charts.pdf`). So both show the same measure, the same numbers and the same
labels:

- "by_unit": horizontal bars per unit of its staff, active learners and completions (counts);
  a click on a bar opens that unit (`customdata` holds its drill-down link);
- "coverage": per competency (its code on the axis, its name in the hover text), one bar per
  role group: the share (%) of the group's people required to hold it who meet it;
- "gaps": a heat map of units × competencies, each cell that share (%), in five classes of
  20 percentage points;
- "trend": completions per month as bars, and the running total since October as a line on
  a second axis;
- "top_courses" and "courses": horizontal bars per course of its enrolments and completions.

Other tables (lists of people, overdue assignments, quizzes, surveys) get no chart. Every
value shown on a chart is written by `value_label`: grouped whole numbers for counts, one
decimal for others, "%" after a share, "–" for nothing.

Labels are plain text in the figure (a long label's line breaks are LINE_BREAK, a newline):
unit, course, role group and competency names are people's data, and Plotly.js reads its
text as markup (`<b>`, `<a href>`, `<br>`, entities). `figure_json`, the one way a figure
reaches the page, escapes every label with `plotly_text`, so a course called
`<a href=...>x</a>` shows those characters; hover templates name no data, only Plotly's
placeholders (`%{y}`, `%{fullData.name}`).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.selectors.contract import Table, value_text

# Okabe–Ito: told apart with the common colour-vision deficiencies. Series take them in order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# ColorBrewer "Blues" in five classes of 20 percentage points: a share reads the same on the
# page and on paper (a continuous scale would not print in the same steps).
HEAT_CLASSES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
HEAT_STEP = 20.0
TEXT_COLOUR = "#1c1f24"
GRID_COLOUR = "#e3e7ed"
FONT_FAMILY = "Sarabun, Tahoma, system-ui, sans-serif"

Number = int | float | None
LINE_BREAK = "\n"  # where a long label breaks; `plotly_text` makes it Plotly's <br>
# The figure's properties Plotly.js draws as text (at any depth: traces, axis and colour-bar
# titles, tick labels). Templates (`hovertemplate`, `texttemplate`) are not among them.
PLOTLY_TEXT_KEYS = frozenset({"x", "y", "text", "hovertext", "name", "ticktext"})


def value_label(value: Any, kind: str) -> str:
    """A charted value as people read it: the tables' `value_text`, with "%" after a share (a
    chart has no column name to say so): "1,234", "4.5", "66.7%", "–" for nothing."""
    text = value_text(value, kind if kind in {"int", "decimal", "percent"} else "decimal")
    return f"{text}%" if kind == "percent" and text != "–" else text


def competency_code(label: str) -> str:
    """ "GOV-2 การคุ้มครองข้อมูลส่วนบุคคล" → "GOV-2": competency names are too long for an axis."""
    return str(label).split(" ", 1)[0]


def _number(value: Any) -> Number:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return value if isinstance(value, int) else float(value)


def _bar_texts(values: Sequence[Number], kind: str) -> list[str]:
    """The label on each bar, point or cell; none where there is no value (no bar, not zero)."""
    return ["" if value is None else value_label(value, kind) for value in values]


def _wrapped(text: str, width: int) -> str:
    """Plotly does not wrap axis labels: long unit names are broken at spaces (LINE_BREAK)."""
    lines: list[str] = []
    line = ""
    for word in str(text).split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return LINE_BREAK.join(lines)


DESCRIPTIONS = {
    "bars": gettext_lazy("Bar chart. The same numbers are in the table below it."),
    "heatmap": gettext_lazy("Heat map. The same numbers are in the table below it."),
    "trend": gettext_lazy("Bar and line chart. The same numbers are in the table below it."),
}


def _accessible_name(table: Table, kind: str) -> str:
    """What a screen reader says for the chart: the table's title and where its numbers are."""
    return f"{table.title}. {DESCRIPTIONS[kind]}"


def _layout(*, label: str, height: int, **extra: Any) -> go.Layout:
    """What every chart shares: font, white background, legend above the plot, no template
    (Plotly.js gets only what the figure says), and `meta.label`, the chart's accessible name."""
    layout: dict[str, Any] = {
        "meta": {"label": label},
        "font": {"family": FONT_FAMILY, "size": 14, "color": TEXT_COLOUR},
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 14}},
        "margin": {"l": 16, "r": 16, "t": 36, "b": 16},
        "legend": _legend_above(1.02),
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "height": height,
    }
    return go.Layout(template=go.layout.Template(), **(layout | extra))


def _legend_above(y: float) -> dict[str, Any]:
    """The legend in a row above the plot; higher over vertical bars, whose values sit on top."""
    return {"orientation": "h", "x": 0, "y": y, "xanchor": "left", "yanchor": "bottom"}


def _value_axis(title: str, values: Sequence[Number], *, percent: bool = False) -> dict[str, Any]:
    axis: dict[str, Any] = {
        "title": {"text": title},
        "rangemode": "tozero",
        "automargin": True,
        "tickmode": "auto",  # an overlaying axis would otherwise take the other axis's ticks
        "tickformat": ",~r",
        "gridcolor": GRID_COLOUR,
        "zerolinecolor": "#9aa3af",
    }
    if percent:
        axis.update(range=[0, 100], ticksuffix="%")
    elif max((value for value in values if value is not None), default=0) <= 8:
        axis["dtick"] = 1  # small counts: a tick per unit rather than 0.5 steps
    return axis


def _column_index(table: Table, key: str) -> int:
    return next(index for index, column in enumerate(table.columns) if column.key == key)


def _horizontal_bars(table: Table, keys: Sequence[str], *, axis: str) -> go.Figure:
    """One bar per row and column of `keys` (counts), rows top to bottom as in the table."""
    categories = [_wrapped(row[0], 28) for row in table.rows]
    links = table.links if any(table.links) else None
    traces, values = [], []
    for position, key in enumerate(keys):
        index = _column_index(table, key)
        column = table.columns[index]
        series = [_number(row[index]) for row in table.rows]
        values += series
        traces.append(
            go.Bar(
                name=column.label,
                orientation="h",
                x=series,
                y=categories,
                text=_bar_texts(series, column.kind),
                textposition="outside",
                cliponaxis=False,
                marker={"color": PALETTE[position % len(PALETTE)]},
                customdata=links,
                hovertemplate="%{y}<br>%{fullData.name}: %{text}<extra></extra>",
            )
        )
    return go.Figure(
        traces,
        _layout(
            label=_accessible_name(table, "bars"),
            height=max(240, 110 + len(table.rows) * len(keys) * 22),
            barmode="group",
            xaxis=_value_axis(axis, values),
            yaxis={"automargin": True, "type": "category", "dtick": 1, "autorange": "reversed"},
        ),
    )


def _by_unit(table: Table) -> go.Figure:
    return _horizontal_bars(table, ["staff", "active", "completions"], axis=_("People or courses"))


def _courses(table: Table) -> go.Figure:
    return _horizontal_bars(table, ["enrolments", "completions"], axis=_("Enrolments or completions"))


def _coverage(table: Table) -> go.Figure:
    """Per competency, one bar per role group: the share of its people meeting it."""
    group_at, competency_at, share_at = (
        _column_index(table, key) for key in ("role_group", "competency", "met_percent")
    )
    competencies = list(dict.fromkeys(str(row[competency_at]) for row in table.rows))
    shares: dict[str, dict[str, Number]] = {}
    for row in table.rows:
        shares.setdefault(str(row[group_at]), {})[str(row[competency_at])] = _number(row[share_at])
    traces = []
    for position, (group, by_competency) in enumerate(shares.items()):
        series = [by_competency.get(competency) for competency in competencies]
        traces.append(
            go.Bar(
                name=group,
                x=[competency_code(competency) for competency in competencies],
                y=series,
                text=_bar_texts(series, "percent"),
                textposition="outside",
                cliponaxis=False,
                hovertext=competencies,
                marker={"color": PALETTE[position % len(PALETTE)]},
                hovertemplate="%{hovertext}<br>%{fullData.name}: %{text}<extra></extra>",
            )
        )
    return go.Figure(
        traces,
        _layout(
            label=_accessible_name(table, "bars"),
            height=400,
            barmode="group",
            legend=_legend_above(1.08),
            xaxis={"automargin": True, "type": "category", "dtick": 1},
            yaxis=_value_axis(_("People meeting it (%)"), [], percent=True),
        ),
    )


def _heat_colourscale() -> list[list[float | str]]:
    """Steps, not a gradient: each class of 20 points is one colour, as in the PDF's key."""
    scale: list[list[float | str]] = []
    for position, colour in enumerate(HEAT_CLASSES):
        scale += [[position / len(HEAT_CLASSES), colour], [(position + 1) / len(HEAT_CLASSES), colour]]
    return scale


def _gaps(table: Table) -> go.Figure:
    names = [str(column.label) for column in table.columns[1:]]
    z = [[_number(value) for value in row[1:]] for row in table.rows]
    links = [link or "" for link in table.links] or [""] * len(table.rows)
    return go.Figure(
        go.Heatmap(
            x=[competency_code(name) for name in names],
            y=[_wrapped(row[0], 28) for row in table.rows],
            z=z,
            zmin=0,
            zmax=100,
            colorscale=_heat_colourscale(),
            text=[_bar_texts(row, "percent") for row in z],
            texttemplate="%{text}",
            hovertext=[names for _row in z],
            customdata=[[link] * len(names) for link in links],
            hovertemplate="%{y}<br>%{hovertext}: %{text}<extra></extra>",
            colorbar={
                "title": {"text": _("People meeting it (%)"), "side": "right"},
                "tickvals": [index * HEAT_STEP for index in range(len(HEAT_CLASSES) + 1)],
                "ticktext": [f"{index * HEAT_STEP:.0f}%" for index in range(len(HEAT_CLASSES) + 1)],
            },
            xgap=2,
            ygap=2,
        ),
        _layout(
            label=_accessible_name(table, "heatmap"),
            height=max(260, 140 + len(table.rows) * 44),
            xaxis={"automargin": True, "side": "top", "type": "category", "tickangle": -45, "dtick": 1},
            # Every row labelled: Plotly would otherwise skip labels it thinks crowded.
            yaxis={"automargin": True, "autorange": "reversed", "type": "category", "dtick": 1},
            margin={"l": 16, "r": 16, "t": 16, "b": 16},
        ),
    )


def _trend(table: Table) -> go.Figure:
    months = [str(row[0]) for row in table.rows]
    monthly_at, running_at = _column_index(table, "completions"), _column_index(table, "cumulative")
    monthly = [_number(row[monthly_at]) for row in table.rows]
    running = [_number(row[running_at]) for row in table.rows]
    monthly_name, running_name = table.columns[monthly_at].label, table.columns[running_at].label
    return go.Figure(
        [
            go.Bar(
                name=monthly_name,
                x=months,
                y=monthly,
                text=_bar_texts(monthly, "int"),
                textposition="outside",
                cliponaxis=False,
                marker={"color": PALETTE[0]},
                hovertemplate="%{x}<br>%{fullData.name}: %{text}<extra></extra>",
            ),
            go.Scatter(
                name=running_name,
                mode="lines+markers",
                x=months,
                y=running,
                yaxis="y2",
                text=_bar_texts(running, "int"),
                line={"color": PALETTE[5], "width": 3, "dash": "dot"},
                marker={"symbol": "diamond", "size": 8},
                hovertemplate="%{x}<br>%{fullData.name}: %{text}<extra></extra>",
            ),
        ],
        _layout(
            label=_accessible_name(table, "trend"),
            height=360,
            legend=_legend_above(1.08),
            xaxis={"type": "category"},
            yaxis=_value_axis(monthly_name, monthly),
            yaxis2={
                **_value_axis("", running),  # the legend names the line
                "overlaying": "y",
                "side": "right",
                "showgrid": False,
                "tickfont": {"color": PALETTE[5]},
            },
        ),
    )


SPECIFICATIONS: dict[str, Callable[[Table], go.Figure]] = {
    "by_unit": _by_unit,
    "coverage": _coverage,
    "gaps": _gaps,
    "trend": _trend,
    "top_courses": _courses,
    "courses": _courses,
}


def table_figure(table: Table) -> go.Figure | None:
    """The chart of a dashboard table, or None when it has none (a list of people, or no rows)."""
    build = SPECIFICATIONS.get(table.key)
    if build is None or not table.rows:
        return None
    return build(table)


def plotly_text(text: str) -> str:
    """Plain text as Plotly.js shows it literally: `&`, `<` and `>` as entities (so no tag or
    entity in a name is interpreted), and LINE_BREAK as Plotly's <br>."""
    return html.escape(text, quote=False).replace(LINE_BREAK, "<br>")


def _escaped(value: Any, *, text: bool = False) -> Any:
    """`value` with every string under a PLOTLY_TEXT_KEYS key passed through `plotly_text`."""
    if isinstance(value, dict):
        return {key: _escaped(item, text=key in PLOTLY_TEXT_KEYS) for key, item in value.items()}
    if isinstance(value, list):
        return [_escaped(item, text=text) for item in value]
    if text and isinstance(value, str):
        return plotly_text(value)
    return value


def figure_json(figure: go.Figure) -> dict[str, Any]:
    """The figure as plain JSON data for the page (`json_script`), to be handed to
    `Plotly.newPlot` as is, its labels escaped for Plotly (`plotly_text`)."""
    data: dict[str, Any] = json.loads(figure.to_json())
    data["layout"].pop("template", None)  # empty by construction; Plotly.js needs none
    escaped: dict[str, Any] = _escaped(data)
    return escaped
