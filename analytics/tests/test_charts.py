"""The chart specification of each dashboard table: the figure the page hands to Plotly.js
and the PDF report draws, asserted against the table it was built from."""

from __future__ import annotations

import json
from typing import Any

import pytest
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Group, String, UserNode

from analytics.charts.figures import HEAT_CLASSES, figure_json, table_figure, value_label
from analytics.charts.pdf import figure_chart
from analytics.selectors.contract import Column, Table
from lms.thai_pdf.fonts import register_fonts

UNITS = ["สำนักงานสถิติแห่งชาติ", "กรมอุตุนิยมวิทยา", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"]


def by_unit() -> Table:
    return Table(
        key="by_unit",
        title="รายหน่วยงาน",
        columns=[
            Column("unit", "หน่วยงาน"),
            Column("staff", "บุคลากร", "int"),
            Column("active", "ผู้เรียน", "int"),
            Column("completions", "เรียนจบ", "int"),
            Column("hours_per_person", "ชั่วโมงต่อคน", "decimal"),
            Column("compliance", "ตรงเวลา (%)", "percent"),
        ],
        rows=[
            [UNITS[0], 1234, 3, 5, 4.5, 66.667],
            [UNITS[1], 6, 3, 0, None, None],
            [UNITS[2], 2, 2, 4, 2.0, 50.0],
        ],
        links=["/dashboard/?unit=1", "/dashboard/?unit=2", None],
    )


def coverage() -> Table:
    return Table(
        key="coverage",
        title="ความครอบคลุมสมรรถนะ",
        columns=[
            Column("role_group", "กลุ่มบทบาท"),
            Column("competency", "สมรรถนะ"),
            Column("required", "ต้องมี", "int"),
            Column("met", "มีแล้ว", "int"),
            Column("met_percent", "ร้อยละ", "percent"),
        ],
        rows=[
            ["ด้านเทคโนโลยีดิจิทัล", "DL การรู้ดิจิทัล", 2, 2, 100.0],
            ["ด้านเทคโนโลยีดิจิทัล", "DG ธรรมาภิบาลดิจิทัล", 2, 1, 50.0],
            ["อื่น ๆ", "DL การรู้ดิจิทัล", 7, 3, 300 / 7],
        ],
    )


def gaps() -> Table:
    return Table(
        key="gaps",
        title="ช่องว่างสมรรถนะ",
        columns=[Column("unit", "หน่วยงาน"), Column("n1", "DL การรู้ดิจิทัล", "percent"),
                 Column("n2", "DG ธรรมาภิบาลดิจิทัล", "percent")],
        rows=[[UNITS[0], 55.55, None], [UNITS[1], 100.0, 0.0]],
        links=["/dashboard/?unit=1", None],
    )  # fmt: skip


def trend() -> Table:
    return Table(
        key="trend",
        title="รายเดือน",
        columns=[Column("month", "เดือน"), Column("completions", "เรียนจบ", "int"),
                 Column("cumulative", "สะสม", "int")],
        rows=[["ต.ค. 69", 2, 2], ["พ.ย. 69", 0, 2], ["ธ.ค. 69", 1500, 1502]],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [(1234, "int", "1,234"), (4.25, "decimal", "4.2"), (66.667, "percent", "66.7%"), (None, "percent", "–")],
)
def test_every_charted_number_is_written_one_way(value: Any, kind: str, text: str) -> None:
    assert value_label(value, kind) == text


def test_by_unit_bars_are_the_tables_counts_with_drill_down_links() -> None:
    figure = table_figure(by_unit())
    assert figure is not None
    assert [trace.name for trace in figure.data] == ["บุคลากร", "ผู้เรียน", "เรียนจบ"]
    staff = figure.data[0]
    assert staff.orientation == "h"
    assert list(staff.y) == UNITS
    assert list(staff.x) == [1234, 6, 2]
    assert list(staff.text) == ["1,234", "6", "2"]
    assert list(figure.data[2].x) == [5, 0, 4]
    assert list(staff.customdata) == ["/dashboard/?unit=1", "/dashboard/?unit=2", None]
    assert figure.layout.meta["label"].startswith("รายหน่วยงาน. ")


def test_coverage_shows_the_share_of_each_role_group_meeting_each_competency() -> None:
    figure = table_figure(coverage())
    assert figure is not None
    digital, others = figure.data
    assert digital.name == "ด้านเทคโนโลยีดิจิทัล"
    assert list(digital.x) == ["DL", "DG"]
    assert list(digital.hovertext) == ["DL การรู้ดิจิทัล", "DG ธรรมาภิบาลดิจิทัล"]
    assert list(digital.y) == [100.0, 50.0]
    assert list(digital.text) == ["100.0%", "50.0%"]
    # The other group does not need DG: no bar, not a zero.
    assert list(others.y) == [pytest.approx(42.857, abs=1e-3), None]
    assert list(others.text) == ["42.9%", ""]
    assert list(figure.layout.yaxis.range) == [0, 100]


def test_gaps_heat_map_cells_are_the_tables_shares_in_five_classes() -> None:
    figure = table_figure(gaps())
    assert figure is not None
    (heat,) = figure.data
    assert heat.type == "heatmap"
    assert list(heat.x) == ["DL", "DG"]
    assert [list(row) for row in heat.z] == [[55.55, None], [100.0, 0.0]]
    assert [list(row) for row in heat.text] == [["55.5%", ""], ["100.0%", "0.0%"]]
    assert [list(row) for row in heat.customdata] == [["/dashboard/?unit=1"] * 2, ["", ""]]
    colours = [step[1] for step in heat.colorscale]
    assert colours == [colour for colour in HEAT_CLASSES for _twice in range(2)]


def test_trend_has_monthly_bars_and_the_running_total_on_a_second_axis() -> None:
    figure = table_figure(trend())
    assert figure is not None
    monthly, running = figure.data
    assert (monthly.type, running.type, running.yaxis) == ("bar", "scatter", "y2")
    assert list(monthly.x) == ["ต.ค. 69", "พ.ย. 69", "ธ.ค. 69"]
    assert list(monthly.y) == [2, 0, 1500]
    assert list(running.text) == ["2", "2", "1,502"]


def test_lists_of_people_and_empty_tables_get_no_chart() -> None:
    people = Table(
        "people", "รายชื่อ", [Column("name", "ชื่อ"), Column("hours", "ชั่วโมง", "decimal")], [["ก", 1.0]]
    )
    assert table_figure(people) is None
    assert table_figure(Table("by_unit", "ว่าง", by_unit().columns, [])) is None


def test_the_page_gets_plain_json_without_a_template() -> None:
    figure = table_figure(by_unit())
    assert figure is not None
    data = figure_json(figure)
    assert "template" not in data["layout"]
    assert data["data"][0]["x"] == [1234, 6, 2]  # a plain list, not a base64 typed array
    assert json.loads(json.dumps(data)) == data


def _strings(node: Any) -> list[str]:
    """Every string a drawing puts on the page, charts (user nodes) included."""
    if isinstance(node, String):
        return [node.text]
    if isinstance(node, UserNode):
        return _strings(node.provideNode())
    if isinstance(node, Group | Drawing):
        return [text for child in node.contents for text in _strings(child)]
    return []


@pytest.mark.parametrize("table", [by_unit(), coverage(), gaps(), trend()], ids=lambda table: table.key)
def test_the_pdf_draws_the_figures_values_and_labels(table: Table) -> None:
    register_fonts()
    figure = table_figure(table)
    assert figure is not None
    chart, truncated = figure_chart(figure, width=700)
    assert not truncated
    drawn = _strings(chart.drawing)
    shaped = [label.text for label in chart.labels]
    for trace in figure.data:
        texts = [text for row in trace.text for text in row] if trace.type == "heatmap" else list(trace.text)
        if trace.type == "scatter":
            continue  # the line's points carry no labels; its axis does
        for text in texts:
            assert text in drawn or not text
        if trace.type == "heatmap":
            assert [label for label in shaped if label in table.columns[1].label] == ["DL การรู้ดิจิทัล"]
        elif trace.orientation == "h":
            assert [label for label in shaped if label in UNITS] == list(trace.y)
        if len(figure.data) > 1:
            assert trace.name in shaped  # the legend
    # Each value stands beside its own category: ReportLab stacks rows and series bottom-up,
    # the page lists them top-down, so a horizontal chart holds both orders turned round.
    bars = [trace for trace in figure.data if trace.type == "bar"]
    bar_charts = [
        node for node in chart.drawing.contents if isinstance(node, HorizontalBarChart | VerticalBarChart)
    ]
    if not bars:
        assert not bar_charts
    elif bars[0].orientation == "h":
        (drawn,) = bar_charts
        assert [values[::-1] for values in reversed(drawn.data)] == [_numbers(trace.x) for trace in bars]
    else:
        (drawn,) = bar_charts
        assert [list(values) for values in drawn.data] == [_numbers(trace.y) for trace in bars]


def _numbers(values) -> list[float | None]:
    return [None if value is None else float(value) for value in values]
