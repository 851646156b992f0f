"""Chart data as accessible tables, and as SVG that passes a strict CSP.

Each chart has a table twin (``daily_table``, ``hour_weekday_table``) for
screen readers and for pages shown without the chart. The SVG renderers are
pure functions returning markup: no script, no ``style`` attributes; shapes
carry class names (``masip-chart__bar``, ``masip-chart__cell--3``) for the
site stylesheet, and each chart has a ``<title>`` and a ``<desc>``, named
by ids built from ``ident`` (give each chart on a page its own).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from masip.evidence.analysis import wording as w
from masip.evidence.analysis.figures import DayCount

SHADES = 5  # heat-map classes masip-chart__cell--0 (none) to --4 (most)


@dataclass(frozen=True, slots=True)
class Table:
    caption: str
    head: list[str]
    rows: list[list[str]]


def daily_table(daily: Sequence[DayCount]) -> Table:
    rows = [[w.day(d.day), w.number(d.count)] for d in daily]
    return Table("Contacts from the perpetrator each day", ["Date", "Contacts"], rows)


def hour_weekday_table(matrix: Sequence[Sequence[int]]) -> Table:
    head = ["Day", *(f"{h:02d}:00" for h in range(24))]
    rows = [
        [w.WEEKDAYS[d], *(w.number(n) for n in row)] for d, row in enumerate(matrix)
    ]
    return Table(
        "Contacts from the perpetrator by day of the week and hour "
        "(victim's local time)",
        head,
        rows,
    )


def svg_document(
    ident: str, width: int, height: int, title: str, desc: str, body: list[str]
) -> str:
    ident = escape(ident)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="masip-chart" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def daily_volume_svg(
    daily: Sequence[DayCount],
    *,
    width: int = 720,
    height: int = 240,
    ident: str = "masip-daily-chart",
) -> str:
    """A bar per day, tallest bar the busiest day."""
    top = max((d.count for d in daily), default=0)
    title = "Contacts from the perpetrator each day"
    if not daily:
        return svg_document(ident, width, height, title, "No days to show.", [])
    desc = (
        f"{len(daily)} days from {w.day(daily[0].day)} to {w.day(daily[-1].day)}; "
        f"the most on one day was {w.number(top)}."
    )
    plot = height - 20
    step = width / len(daily)
    body = [
        f'<line class="masip-chart__axis" x1="0" y1="{plot}" x2="{width}" y2="{plot}"/>'
    ]
    for i, d in enumerate(daily):
        if d.count:
            bar = plot * d.count / top
            body.append(
                f'<rect class="masip-chart__bar" x="{i * step:.2f}" '
                f'y="{plot - bar:.2f}" width="{max(step - 1, 0.5):.2f}" '
                f'height="{bar:.2f}"><title>{escape(w.day(d.day))}: '
                f"{w.number(d.count)}</title></rect>"
            )
    body.append(
        f'<text class="masip-chart__label" x="0" y="{height - 4}">'
        f"{escape(w.day(daily[0].day))}</text>"
        f'<text class="masip-chart__label" x="{width}" y="{height - 4}" '
        f'text-anchor="end">{escape(w.day(daily[-1].day))}</text>'
    )
    return svg_document(ident, width, height, title, desc, body)


def hour_weekday_svg(
    matrix: Sequence[Sequence[int]], *, cell: int = 24, ident: str = "masip-week-chart"
) -> str:
    """A 7 by 24 heat map, Monday at the top, midnight on the left."""
    top = max((n for row in matrix for n in row), default=0)
    left, above = 90, 20
    width, height = left + 24 * cell, above + 7 * cell
    body = [
        f'<text class="masip-chart__label" x="{left + h * cell}" y="14">{h:02d}</text>'
        for h in range(0, 24, 3)
    ]
    for d, row in enumerate(matrix):
        y = above + d * cell
        body.append(
            f'<text class="masip-chart__label" x="0" y="{y + cell - 6}">'
            f"{w.WEEKDAYS[d]}</text>"
        )
        for h, n in enumerate(row):
            shade = 0 if not n or not top else 1 + (SHADES - 2) * n // top
            body.append(
                f'<rect class="masip-chart__cell masip-chart__cell--{shade}" '
                f'x="{left + h * cell}" y="{y}" width="{cell - 1}" height="{cell - 1}">'
                f"<title>{w.WEEKDAYS[d]} {h:02d}:00: {w.number(n)}</title></rect>"
            )
    desc = (
        "Contacts from the perpetrator by day of the week (rows, Monday first) "
        f"and hour of the day (columns, local time); darker is more, up to "
        f"{w.number(top)} in one hour of one weekday."
    )
    return svg_document(ident, width, height, "When contact was made", desc, body)
