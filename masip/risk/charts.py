"""The case's risk level over time: an SVG that passes the strict CSP, and
its table twin (the table is the chart for screen readers)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from masip.core.templatetags.govuk import govuk_day
from masip.evidence.analysis.charts import Table, svg_document
from masip.risk.models import Assessment

LEVELS = ("standard", "medium", "high")


def level_table(history: Sequence[Assessment], titles: dict[str, str]) -> Table:
    rows = [
        [
            govuk_day(a.completed_at),
            titles.get(a.instrument_code, a.instrument_code),
            a.agency.name,
            a.level.capitalize() + (" (judgement)" if a.overridden else ""),
        ]
        for a in history
    ]
    return Table("Risk levels over time", ["Date", "Form", "Agency", "Level"], rows)


def level_svg(
    history: Sequence[Assessment],
    *,
    width: int = 720,
    height: int = 160,
    ident: str = "masip-risk-chart",
) -> str:
    """A point per assessment, at the height of its level, in time order."""
    title = "Risk levels over time"
    points = [a for a in history if a.level in LEVELS]
    if not points:
        return svg_document(ident, width, height, title, "No levels to show.", [])
    first, last = points[0].completed_at, points[-1].completed_at
    span = max((last - first).total_seconds(), 1.0)
    desc = (
        f"{len(points)} assessments from {govuk_day(first)} to {govuk_day(last)}; "
        f"the latest gives {points[-1].level}."
    )
    left, plot_top, plot_bottom = 90, 12, height - 24
    row = (plot_bottom - plot_top) / (len(LEVELS) - 1)
    body = []
    for n, level in enumerate(LEVELS):
        y = plot_bottom - n * row
        body.append(
            f'<line class="masip-chart__grid" x1="{left}" y1="{y:.1f}" '
            f'x2="{width}" y2="{y:.1f}"/>'
            f'<text class="masip-chart__label" x="0" y="{y + 4:.1f}">'
            f"{level.capitalize()}</text>"
        )
    usable = width - left - 12
    for a in points:
        x = left + 6 + usable * (a.completed_at - first).total_seconds() / span
        y = plot_bottom - LEVELS.index(a.level) * row
        body.append(
            f'<circle class="masip-chart__point masip-chart__point--{a.level}" '
            f'cx="{x:.1f}" cy="{y:.1f}" r="6"><title>'
            f"{escape(govuk_day(a.completed_at))}: {escape(a.level)}</title></circle>"
        )
    body.append(
        f'<text class="masip-chart__label" x="{left}" y="{height - 4}">'
        f"{escape(govuk_day(first))}</text>"
        f'<text class="masip-chart__label" x="{width}" y="{height - 4}" '
        f'text-anchor="end">{escape(govuk_day(last))}</text>'
    )
    return svg_document(ident, width, height, title, desc, body)
