"""Bar charts for the helpline statistics: server-rendered SVG that passes
the strict CSP (no script, no ``style`` attribute: shapes carry the site's
``masip-chart__*`` classes, GOV.UK blue bars), each with a ``<title>`` and a
``<desc>``. Every chart has its table beside it on the page, with the same
figures: the table is the chart for screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from masip.evidence.analysis.charts import svg_document
from masip.helpline.stats import Bar

LABEL_CHARS = 34  # longer labels are shortened on the chart (not in the table)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_svg(
    bars: Sequence[Bar],
    *,
    ident: str,
    title: str,
    width: int = 720,
    row: int = 24,
) -> str:
    """A horizontal bar per item, the longest bar the largest value, the
    figure written at the end of each bar."""
    height = max(len(bars), 1) * row + 8
    if not bars or not any(b.value > 0 for b in bars):
        return svg_document(ident, width, row + 8, title, "Nothing to show.", [])
    top = max(b.value for b in bars)
    biggest = max(bars, key=lambda b: b.value)
    desc = (
        f"{len(bars)} bars; the largest is {biggest.label}: {biggest.shown}. "
        "The table gives every figure."
    )
    left, right = 250, 120  # room for the labels and the end figures
    usable = width - left - right
    body = [
        f'<line class="masip-chart__axis" x1="{left}" y1="0" x2="{left}" '
        f'y2="{height - 4}"/>'
    ]
    for n, bar in enumerate(bars):
        y = n * row + 4
        length = usable * bar.value / top if top > 0 else 0.0
        body.append(
            f'<text class="masip-chart__label" x="{left - 8}" y="{y + row * 0.65:.1f}" '
            f'text-anchor="end">{escape(_short(bar.label))}</text>'
            f'<rect class="masip-chart__bar" x="{left}" y="{y + 3}" '
            f'width="{max(length, 0.0):.1f}" height="{row - 8}">'
            f"<title>{escape(bar.label)}: {escape(bar.shown)}</title></rect>"
            f'<text class="masip-chart__label" x="{left + max(length, 0.0) + 6:.1f}" '
            f'y="{y + row * 0.65:.1f}">{escape(bar.shown)}</text>'
        )
    return svg_document(ident, width, height, title, desc, body)
