"""Accessible tables and CSP-safe SVG for the two charts."""

import re
from datetime import date

from masip.evidence.analysis.charts import (
    daily_table,
    daily_volume_svg,
    hour_weekday_svg,
    hour_weekday_table,
)
from masip.evidence.analysis.figures import DayCount

DAILY = [DayCount(date(2024, 1, 1), 2), DayCount(date(2024, 1, 2), 0)]
MATRIX = [[0] * 24 for _ in range(7)]
MATRIX[0][9] = 4


def test_daily_table_has_a_row_a_day():
    table = daily_table(DAILY)

    assert table.head == ["Date", "Contacts"]
    assert table.rows == [["1 January 2024", "2"], ["2 January 2024", "0"]]


def test_hour_weekday_table_has_seven_rows_of_24_hours():
    table = hour_weekday_table(MATRIX)

    assert len(table.head) == 25
    assert [row[0] for row in table.rows][:2] == ["Monday", "Tuesday"]
    assert table.rows[0][10] == "4"


def test_svg_charts_have_title_and_description_and_no_script_or_style():
    for svg in (
        daily_volume_svg(DAILY),
        hour_weekday_svg(MATRIX),
        daily_volume_svg([]),
    ):
        assert svg.startswith("<svg")
        assert "<title" in svg
        assert "<desc" in svg
        assert "style=" not in svg
        assert "<script" not in svg
        assert not re.search(r"\son\w+=", svg)  # no event attributes


def test_svg_heat_map_shades_the_busiest_hour_darkest():
    svg = hour_weekday_svg(MATRIX)

    assert svg.count("masip-chart__cell--4") == 1
    assert "<title>Monday 09:00: 4</title>" in svg


def test_svg_charts_on_one_page_have_distinct_ids():
    daily, weekly = daily_volume_svg(DAILY), hour_weekday_svg(MATRIX)

    assert 'id="masip-daily-chart-title"' in daily
    assert 'id="masip-week-chart-title"' in weekly
    assert 'aria-labelledby="x-title x-desc"' in hour_weekday_svg(MATRIX, ident="x")
