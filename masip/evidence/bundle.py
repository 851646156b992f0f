"""The evidence bundle: one file a court or a panel can read (issue 4).

``bundle_build`` gathers the case's chronology (incidents and imported
messages and calls, merged in time order, in UK time), the course-of-conduct
figures in plain words, the two charts with their tables, the messages
flagged for review and a manifest of the evidence items with their SHA-256,
and writes them as a PDF, a CSV or a JSON file. It records
``EVIDENCE_EXPORTED`` with the file's own SHA-256 as the target, so the audit
trail names exactly the bytes that left the system.

Withholding: the victim's location and contact details never leave in a
bundle. Incident locations are always "[withheld]", and any of the victim's
restricted address lines, postcodes (with or without the space), phone
numbers and email addresses found in a message, a sender, an attachment
name, a narrative or a figure's wording is replaced by "[withheld]"
(case-insensitive). The figures and charts always describe the whole
timeline; ``perpetrator_only`` narrows the chronology to the perpetrator's
messages (incidents stay: they are the perpetrator's conduct).
"""

import csv
import datetime as dt
import hashlib
import html
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from reportlab.graphics.shapes import Drawing, Line, Rect, String  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, LongTable, Paragraph, SimpleDocTemplate, Spacer  # type: ignore[import-untyped]

from masip.access.actors import Actor
from masip.audit.events import EventType
from masip.audit.services import record
from masip.cases.models import Case, CaseParticipant, ParticipantRole
from masip.evidence import selectors
from masip.evidence.analysis import ConductReport, daily_table, hour_weekday_table
from masip.evidence.analysis.charts import Table
from masip.evidence.analysis.figures import DayCount
from masip.evidence.models import EvidenceItem, TimelineEntry
from masip.exports.cells import neutralise, xml_safe
from masip.exports.documents import HANDLING, MARKING, mark_page
from masip.incidents.models import Incident
from masip.people.models import Address, Confidentiality, PersonIdentifier

Format = Literal["pdf", "csv", "json"]
FORMATS: tuple[Format, ...] = ("pdf", "csv", "json")
WITHHELD = "[withheld]"
ZONE = ZoneInfo("Europe/London")
TARGET_TYPE = "evidence_bundle"
FLAGGED = "flagged for review"

CONTENT_TYPES: dict[Format, str] = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
CSV_HEAD = [
    "Record",
    "Time",
    "Channel",
    "Kind",
    "Sender",
    "From the perpetrator",
    "Text",
    "Attachments",
    "Location",
    "Source file",
    "Source line",
    "Digest",
]


@dataclass(frozen=True)
class BundleFile:
    name: str
    content_type: str
    content: bytes
    sha256: str


# Withholding -------------------------------------------------------------------


class Withholder:
    """Replaces the victim's restricted address and contact details in text."""

    def __init__(self, patterns: Iterable[str]) -> None:
        unique = sorted({p for p in patterns if p}, key=len, reverse=True)
        self._pattern = re.compile("|".join(unique), re.IGNORECASE) if unique else None

    def __call__(self, text: str) -> str:
        if not text or self._pattern is None:
            return text
        return self._pattern.sub(WITHHELD, text)


def _words(value: str) -> str:
    """A phrase matched whatever the spacing between its words."""
    parts = value.split()
    return r"\s+".join(re.escape(part) for part in parts) if parts else ""


def _postcode(value: str) -> str:
    """A postcode matched with or without the space before its last three."""
    compact = "".join(value.split())
    if len(compact) <= 3:
        return re.escape(compact) if compact else ""
    return rf"\b{re.escape(compact[:-3])}\s*{re.escape(compact[-3:])}\b"


def _phone(value: str) -> str:
    """A phone number matched whatever spaces, dots or dashes split it."""
    digits = [c for c in value if c.isdigit()]
    if len(digits) < 6:
        return _words(value)
    body = r"[\s.\-]*".join(digits)
    if value.strip().startswith("+"):
        body = r"\+" + body
    return rf"(?<!\d){body}(?!\d)"


def victim_withholder(case: Case) -> Withholder:
    """What to withhold for ``case``: its victims' restricted details."""
    victims = CaseParticipant.objects.filter(
        case=case, role=ParticipantRole.VICTIM
    ).values_list("person_id", flat=True)
    patterns: list[str] = []
    for address in Address.objects.filter(
        person_id__in=list(victims), confidentiality=Confidentiality.RESTRICTED
    ):
        patterns += [_words(address.line_1), _words(address.line_2)]
        patterns.append(_postcode(address.postcode))
    for identifier in PersonIdentifier.objects.filter(
        person_id__in=list(victims),
        confidentiality=Confidentiality.RESTRICTED,
        kind__in=[PersonIdentifier.Kind.PHONE, PersonIdentifier.Kind.EMAIL],
    ):
        if identifier.kind == PersonIdentifier.Kind.PHONE:
            patterns.append(_phone(identifier.value))
        else:
            patterns.append(_words(identifier.value))
    return Withholder(patterns)


# What the bundle holds ------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the chronology: a message or call, or an incident."""

    record: str  # "message" or "incident"
    occurred_at: dt.datetime
    channel: str
    kind: str
    sender: str
    is_perpetrator: bool | None
    text: str
    attachments: list[str]
    location: str
    source_file: str
    source_line: int | None
    digest: str

    @property
    def time(self) -> str:
        return timezone.localtime(self.occurred_at, ZONE).isoformat()

    @property
    def when(self) -> str:
        local = timezone.localtime(self.occurred_at, ZONE)
        return f"{local.day} {local:%B %Y}, {local:%H:%M:%S}"


@dataclass(frozen=True)
class ManifestRow:
    name: str
    sha256: str
    size: int
    content_type: str
    uploaded_by: str
    uploaded_at: dt.datetime

    @property
    def uploaded(self) -> str:
        return timezone.localtime(self.uploaded_at, ZONE).isoformat()


@dataclass(frozen=True)
class Contents:
    case: Case
    made_at: dt.datetime
    made_by: str
    purpose: str
    perpetrator_only: bool
    rows: list[Row]
    report: ConductReport | None
    explanations: list[str]
    flags: list[tuple[dt.datetime, str]]
    manifest: list[ManifestRow]


def _entry_row(entry: TimelineEntry, withhold: Callable[[str], str]) -> Row:
    return Row(
        record="message",
        occurred_at=entry.occurred_at,
        channel=entry.channel,
        kind=entry.kind,
        sender=withhold(entry.sender),
        is_perpetrator=entry.is_perpetrator,
        text=withhold(entry.text),
        attachments=[withhold(name) for name in entry.attachment_list],
        location="",
        source_file=withhold(entry.evidence.original_name),
        source_line=entry.source_line,
        digest=entry.digest,
    )


def _incident_row(incident: Incident, withhold: Callable[[str], str]) -> Row:
    return Row(
        record="incident",
        occurred_at=incident.occurred_at,
        channel=", ".join(incident.channel_labels()),
        kind=", ".join(incident.behaviour_labels()),
        sender="",
        is_perpetrator=None,
        text=withhold(incident.narrative),
        attachments=[],
        location=WITHHELD if incident.location else "",
        source_file="",
        source_line=None,
        digest="",
    )


def _contents(*, actor: Actor, case: Case, perpetrator_only: bool) -> Contents:
    withhold = victim_withholder(case)
    entries = selectors.timeline_entries(case=case, perpetrator_only=perpetrator_only)
    rows = [_entry_row(entry, withhold) for entry in entries]
    rows += [
        _incident_row(incident, withhold)
        for incident in Incident.objects.filter(case=case)
    ]
    rows.sort(key=lambda row: (row.occurred_at, row.record != "incident"))
    report = selectors.conduct_report(case=case, tz=ZONE)
    explanations = [withhold(s) for s in report.explanations()] if report else []
    flags = (
        [(flag.occurred_at, withhold(flag.text)) for flag in report.language.flags]
        if report
        else []
    )
    manifest = [
        ManifestRow(
            name=withhold(item.original_name),
            sha256=item.sha256,
            size=item.size,
            content_type=item.content_type,
            uploaded_by=item.uploaded_by.full_name,
            uploaded_at=item.uploaded_at,
        )
        for item in EvidenceItem.objects.filter(case=case)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "id")
    ]
    return Contents(
        case=case,
        made_at=timezone.now(),
        made_by=f"{actor.user.full_name}, {actor.membership.agency.name}",
        purpose=actor.purpose,
        perpetrator_only=perpetrator_only,
        rows=rows,
        report=report,
        explanations=explanations,
        flags=flags,
        manifest=manifest,
    )


# The service --------------------------------------------------------------------


@transaction.atomic
def bundle_build(
    *, actor: Actor, case: Case, fmt: Format, perpetrator_only: bool
) -> BundleFile:
    """The case's evidence bundle as ``fmt``, audited with its own SHA-256."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown bundle format: {fmt}")
    contents = _contents(actor=actor, case=case, perpetrator_only=perpetrator_only)
    content = WRITERS[fmt](contents)
    digest = hashlib.sha256(content).hexdigest()
    record(
        EventType.EVIDENCE_EXPORTED,
        actor=actor.audit,
        target_type=TARGET_TYPE,
        target_id=digest,
        case_reference=case.reference,
        changed_fields=["bundle", fmt],
    )
    return BundleFile(
        name=file_name(case, fmt),
        content_type=CONTENT_TYPES[fmt],
        content=content,
        sha256=digest,
    )


def file_name(case: Case, fmt: str) -> str:
    """``STK-...-evidence-bundle.pdf``: ASCII, nothing typed by a user."""
    reference = re.sub(r"[^A-Za-z0-9-]", "", case.reference)
    return f"{reference}-evidence-bundle.{fmt}"


# CSV and JSON --------------------------------------------------------------------


def _csv(contents: Contents) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in _provenance_lines(contents):
        writer.writerow([neutralise(line)])
    writer.writerow([])
    writer.writerow(CSV_HEAD)
    for row in contents.rows:
        values = [
            row.record,
            row.time,
            row.channel,
            row.kind,
            row.sender,
            ""
            if row.is_perpetrator is None
            else ("yes" if row.is_perpetrator else "no"),
            row.text,
            "; ".join(row.attachments),
            row.location,
            row.source_file,
            "" if row.source_line is None else str(row.source_line),
            row.digest,
        ]
        writer.writerow([neutralise(value) for value in values])
    return buffer.getvalue().encode("utf-8-sig")


def _json(contents: Contents) -> bytes:
    data: dict[str, Any] = {
        "marking": MARKING,
        "case": contents.case.reference,
        "made_at": timezone.localtime(contents.made_at, ZONE).isoformat(),
        "made_by": contents.made_by,
        "purpose": contents.purpose,
        "time_zone": ZONE.key,
        "perpetrator_only": contents.perpetrator_only,
        "chronology": [
            {
                "record": row.record,
                "time": row.time,
                "channel": row.channel,
                "kind": row.kind,
                "sender": row.sender,
                "is_perpetrator": row.is_perpetrator,
                "text": row.text,
                "attachments": row.attachments,
                "location": row.location,
                "source_file": row.source_file,
                "source_line": row.source_line,
                "digest": row.digest,
            }
            for row in contents.rows
        ],
        "figures": contents.explanations,
        "flagged": [
            {
                "time": timezone.localtime(at, ZONE).isoformat(),
                "text": text,
                "status": FLAGGED,
            }
            for at, text in contents.flags
        ],
        "manifest": [
            {
                "name": item.name,
                "sha256": item.sha256,
                "size": item.size,
                "content_type": item.content_type,
                "uploaded_by": item.uploaded_by,
                "uploaded_at": item.uploaded,
            }
            for item in contents.manifest
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _provenance_lines(contents: Contents) -> list[str]:
    when = timezone.localtime(contents.made_at, ZONE).strftime("%-d %B %Y at %H:%M")
    return [
        MARKING,
        f"MASIP evidence bundle for case {contents.case.reference}",
        f"Made by {contents.made_by} on {when}",
        f"Purpose: {contents.purpose}",
        f"Times are UK time ({ZONE.key}).",
        (
            "Only the perpetrator's messages are listed."
            if contents.perpetrator_only
            else "All imported messages and calls are listed."
        ),
        "The victim's addresses, locations and contact details are shown as "
        f"{WITHHELD}.",
        HANDLING,
    ]


# PDF ----------------------------------------------------------------------------


def _text(value: str) -> str:
    return html.escape(xml_safe(value), quote=False).replace("\n", "<br/>")


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    head: ParagraphStyle


def _styles() -> _Styles:
    sheet = getSampleStyleSheet()
    cell = ParagraphStyle("cell", parent=sheet["BodyText"], fontSize=7, leading=9)
    head = ParagraphStyle("head", parent=cell, fontName="Helvetica-Bold")
    return _Styles(sheet["Title"], sheet["Heading2"], sheet["BodyText"], cell, head)


_TABLE_STYLE = [
    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("FONTSIZE", (0, 0), (-1, -1), 7),
]


def _table(
    head: list[str], rows: list[list[Any]], widths: list[float], styles: _Styles
) -> LongTable:
    heading = [Paragraph(_text(h), styles.head) for h in head]
    body = [[_cell(cell, styles) for cell in row] for row in rows]
    return LongTable(
        [heading, *body], colWidths=widths, repeatRows=1, style=_TABLE_STYLE
    )


class _Plain(str):
    """A cell drawn as one unwrapped string (a hash, so it is never split)."""

    __slots__ = ()


def _cell(cell: Any, styles: _Styles) -> Any:
    if isinstance(cell, _Plain):
        return str(cell)
    if isinstance(cell, str):
        return Paragraph(_text(cell), styles.cell)
    return cell


def daily_drawing(daily: list[DayCount], *, width: float = 260 * mm) -> Drawing:
    """Contacts each day as bars (reportlab graphics, no text from messages)."""
    height = 60 * mm
    left, bottom = 14 * mm, 10 * mm
    drawing = Drawing(width, height)
    plot_w, plot_h = width - left - 4 * mm, height - bottom - 6 * mm
    top = max((d.count for d in daily), default=0) or 1
    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeColor=colors.black))
    drawing.add(Line(left, bottom, left, bottom + plot_h, strokeColor=colors.black))
    drawing.add(String(2, bottom + plot_h - 6, str(top), fontSize=7))
    drawing.add(String(2, bottom - 2, "0", fontSize=7))
    step = plot_w / max(len(daily), 1)
    for i, day in enumerate(daily):
        bar_h = plot_h * day.count / top
        if bar_h:
            drawing.add(
                Rect(
                    left + i * step + step * 0.1,
                    bottom,
                    step * 0.8,
                    bar_h,
                    fillColor=colors.HexColor("#1d70b8"),
                    strokeColor=None,
                )
            )
    if daily:
        drawing.add(String(left, 2, daily[0].day.isoformat(), fontSize=7))
        drawing.add(
            String(
                left + plot_w,
                2,
                daily[-1].day.isoformat(),
                fontSize=7,
                textAnchor="end",
            )
        )
    return drawing


def week_drawing(matrix: list[list[int]]) -> Drawing:
    """Contacts by weekday (rows, Monday first) and hour (columns) as a grid."""
    cell, left, bottom = 9 * mm, 12 * mm, 6 * mm
    drawing = Drawing(left + 24 * cell + 2 * mm, bottom + 7 * cell + 2 * mm)
    top = max((n for row in matrix for n in row), default=0) or 1
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    for d, row in enumerate(matrix):
        y = bottom + (6 - d) * cell
        drawing.add(String(2, y + cell / 3, days[d], fontSize=7))
        for h, n in enumerate(row):
            shade = 1 - 0.85 * n / top
            drawing.add(
                Rect(
                    left + h * cell,
                    y,
                    cell,
                    cell,
                    fillColor=colors.Color(shade, shade, 1 if n else shade),
                    strokeColor=colors.white,
                )
            )
    for h in range(0, 24, 3):
        drawing.add(String(left + h * cell, 1, f"{h:02d}", fontSize=7))
    return drawing


def _chart_table(table: Table, styles: _Styles, width: float) -> list[Flowable]:
    columns = len(table.head)
    return [
        Paragraph(_text(table.caption), styles.body),
        _table(table.head, table.rows, [width / columns] * columns, styles),
    ]


def _pdf(contents: Contents) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        topMargin=18 * mm,
        bottomMargin=16 * mm,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        title=f"MASIP evidence bundle ({MARKING})",
        author="MASIP",
        subject=MARKING,
        creator="MASIP",
    )
    width = document.width
    story: list[Flowable] = [
        Paragraph(_text(f"Evidence bundle: {contents.case.reference}"), styles.title)
    ]
    story += [
        Paragraph(_text(line), styles.body) for line in _provenance_lines(contents)
    ]

    story.append(Paragraph("Chronology", styles.heading))
    chronology = [
        [
            row.when,
            "Incident" if row.record == "incident" else row.channel,
            row.kind,
            row.sender + (" (perpetrator)" if row.is_perpetrator else ""),
            row.text
            + (
                "\nAttachments: " + ", ".join(row.attachments)
                if row.attachments
                else ""
            )
            + (f"\nLocation: {row.location}" if row.location else ""),
            f"{row.source_file}, line {row.source_line}"
            if row.source_line is not None
            else row.source_file,
        ]
        for row in contents.rows
    ]
    fractions = (0.13, 0.09, 0.12, 0.13, 0.38, 0.15)
    story.append(
        _table(
            ["Time (UK)", "Channel", "Kind", "From", "Text", "Source"],
            chronology,
            [width * f for f in fractions],
            styles,
        )
        if chronology
        else Paragraph("Nothing has been recorded.", styles.body)
    )

    story.append(Paragraph("Course of conduct in plain words", styles.heading))
    if contents.report is None:
        story.append(
            Paragraph("There are no figures: nothing has been imported.", styles.body)
        )
    else:
        story += [Paragraph(_text(s), styles.body) for s in contents.explanations]
        charts = contents.report.charts
        story.append(Paragraph("Contact each day", styles.heading))
        story.append(daily_drawing(charts.daily, width=width))
        story += _chart_table(daily_table(charts.daily), styles, width / 2)
        story.append(Paragraph("Contact by hour and day of the week", styles.heading))
        story.append(week_drawing(charts.hour_by_weekday))
        story += _chart_table(hour_weekday_table(charts.hour_by_weekday), styles, width)

    story.append(Paragraph("Messages flagged for review", styles.heading))
    story.append(
        Paragraph(
            "Words on the threat and abuse list. Each is flagged for review by a "
            "person; a flag proves nothing.",
            styles.body,
        )
    )
    for at, text in contents.flags:
        local = timezone.localtime(at, ZONE)
        story.append(
            Paragraph(_text(f"{local:%d/%m/%Y %H:%M} ({FLAGGED}): {text}"), styles.body)
        )

    story.append(Paragraph("Manifest of evidence items", styles.heading))
    manifest = [
        [
            item.name,
            _Plain(item.sha256),
            f"{item.size:,} bytes",
            item.content_type,
            item.uploaded_by,
            timezone.localtime(item.uploaded_at, ZONE).strftime("%d/%m/%Y %H:%M"),
        ]
        for item in contents.manifest
    ]
    story.append(
        _table(
            ["File", "SHA-256", "Size", "Type", "Uploaded by", "Uploaded at"],
            manifest,
            [width * f for f in (0.18, 0.38, 0.09, 0.12, 0.13, 0.10)],
            styles,
        )
        if manifest
        else Paragraph("There are no evidence items.", styles.body)
    )
    story.append(Spacer(1, 4 * mm))
    document.build(story, onFirstPage=mark_page, onLaterPages=mark_page)
    return buffer.getvalue()


WRITERS: dict[Format, Callable[[Contents], bytes]] = {
    "pdf": _pdf,
    "csv": _csv,
    "json": _json,
}
