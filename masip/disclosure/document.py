"""The disclosure document: a PDF of the released items and nothing else.

Drawn with reportlab from the items' released text. The document carries no
withheld item, no count of withheld items (a count can itself tell a
perpetrator that a victim's details exist), and no author name in its
metadata.
"""

import datetime as dt
from collections.abc import Iterable
from io import BytesIO
from itertools import groupby
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer  # type: ignore[import-untyped]

from masip.disclosure.models import DisclosureItem, Regime, SubjectAccessRequest

TITLE = "Your subject access request"

_REGIME_TEXT = {
    Regime.UK_GDPR: (
        "This is our response to your request under Article 15 of the UK "
        "General Data Protection Regulation for a copy of the personal data "
        "we hold about you."
    ),
    Regime.LAW_ENFORCEMENT: (
        "This is our response to your request under section 45 of the Data "
        "Protection Act 2018 for a copy of the personal data we hold about "
        "you for law enforcement purposes."
    ),
}

WITHHELD_TEXT = (
    "The law allows us to withhold information, for example to protect other "
    "people or to prevent or detect crime. Where we have done so, the "
    "information is not shown here. If you are unhappy with our response you "
    "can ask us to look at it again, and you can complain to the Information "
    "Commissioner's Office (ico.org.uk)."
)


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: markup escaped, line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _styles() -> dict[str, ParagraphStyle]:
    sheet = getSampleStyleSheet()
    return {
        "title": sheet["Title"],
        "heading": sheet["Heading2"],
        "item": sheet["Heading4"],
        "body": sheet["BodyText"],
    }


def render(
    sar: SubjectAccessRequest,
    items: Iterable[DisclosureItem],
    *,
    released_at: dt.datetime,
) -> bytes:
    """The PDF for a request: its released items, grouped by case."""
    styles = _styles()
    story: list[Any] = [
        _paragraph(TITLE, styles["title"]),
        _paragraph(
            f"Reference: {sar.reference}\n"
            f"Requested by: {sar.requester_name}\n"
            f"Received: {sar.received_on:%-d %B %Y}\n"
            f"Released: {released_at:%-d %B %Y}\n"
            f"From: {sar.agency.name}",
            styles["body"],
        ),
        Spacer(1, 4 * mm),
        _paragraph(_REGIME_TEXT[Regime(sar.regime)], styles["body"]),
        _paragraph(WITHHELD_TEXT, styles["body"]),
    ]
    released = [i for i in items if i.is_released]
    if not released:
        story.append(
            _paragraph("We have no information about you to release.", styles["body"])
        )
    for case_reference, group in groupby(released, key=lambda i: i.case_reference):
        heading = (
            f"Case {case_reference}" if case_reference else "Your personal details"
        )
        story.append(_paragraph(heading, styles["heading"]))
        for item in group:
            story.append(_paragraph(item.label, styles["item"]))
            story.append(_paragraph(item.text, styles["body"]))
    buffer = BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=TITLE,
        author=sar.agency.name,
        subject=sar.reference,
        creator="MASIP",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    pdf.build(story)
    return buffer.getvalue()
