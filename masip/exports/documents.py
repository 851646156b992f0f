"""The export files: CSV, spreadsheet (XLSX) and PDF, each protectively marked.

Every file opens (and the CSV and spreadsheet also close) with the marking
``OFFICIAL-SENSITIVE``, who exported it, in which agency and role, when, and
for what stated purpose; the PDF repeats the marking at the top and bottom of
every page. Every cell of the CSV and the spreadsheet goes through
``cells.neutralise`` (formulas made inert); the spreadsheet writes every cell
as a string, never a formula.

Size: the view refuses an export of more than ``MASIP_EXPORT_MAX_ROWS`` cases
before anything is written. Within that bound the database is read in chunks
of ``CHUNK_SIZE`` rows; the CSV and the spreadsheet (openpyxl's write-only
mode, which keeps no rows in memory) are written to a temporary file that
spills to disk past ``SPOOL_BYTES`` and is streamed to the browser in blocks;
the PDF is laid out as a series of small tables, so its layout time grows
linearly with the row count. The files are built inside the request, so the
database reads happen under the request's access context and the audited row
count is exactly what the file holds.
"""

import csv
import datetime as dt
import html
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from django.utils import timezone
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, LongTable, Paragraph, SimpleDocTemplate, Spacer  # type: ignore[import-untyped]

from masip.exports.cells import neutralise, xml_safe
from masip.exports.selectors import COLUMNS, HEADINGS, CaseExport

MARKING = "OFFICIAL-SENSITIVE"
HANDLING = (
    "Contains personal data about victims of stalking. Store it only on an "
    "approved system, share it only with the agencies working these cases, and "
    "delete it when it is no longer needed."
)
PDF_ROWS_PER_TABLE = 100
SPOOL_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Provenance:
    """Who exported the file, when, why, and what it holds."""

    exported_by: str
    agency: str
    role: str
    exported_at: dt.datetime
    purpose: str
    filters: str
    row_count: int

    def lines(self) -> list[str]:
        when = timezone.localtime(self.exported_at).strftime("%-d %B %Y at %H:%M")
        return [
            MARKING,
            "MASIP case list",
            f"Exported by {self.exported_by}, {self.agency} ({self.role}), on {when}",
            f"Purpose: {self.purpose}",
            f"Filters: {self.filters}",
            f"Cases: {self.row_count}",
            HANDLING,
        ]


def file_name(extension: str, at: dt.datetime) -> str:
    """A fixed-shape ASCII file name: nothing typed by a user reaches it."""
    stamp = timezone.localtime(at).strftime("%Y%m%d-%H%M")
    return f"masip-cases-{stamp}-official-sensitive.{extension}"


# CSV ---------------------------------------------------------------------------


def _spool() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)


def csv_file(export: CaseExport, provenance: Provenance) -> IO[bytes]:
    """The CSV (UTF-8 with a byte order mark, for Excel) in a temporary file."""
    spool = _spool()
    text = io.TextIOWrapper(spool, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    for line in provenance.lines():
        writer.writerow([neutralise(line)])
    writer.writerow([])
    writer.writerow(HEADINGS)
    for row in export.rows():
        writer.writerow([neutralise(cell) for cell in row])
    writer.writerow([])
    writer.writerow([MARKING])
    text.flush()
    text.detach()
    spool.seek(0)
    return spool


# Spreadsheet ------------------------------------------------------------------


def _cells(sheet: object, values: Iterable[str]) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=xml_safe(neutralise(value)))
        cell.data_type = "s"  # text, never a formula or a number
        cells.append(cell)
    return cells


def xlsx_file(export: CaseExport, provenance: Provenance) -> IO[bytes]:
    """The spreadsheet in a temporary file, rewound for reading."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"MASIP case list ({MARKING})"
    workbook.properties.creator = xml_safe(provenance.exported_by)
    workbook.properties.keywords = MARKING
    workbook.properties.category = MARKING
    sheet = workbook.create_sheet("Cases")
    sheet.oddHeader.center.text = MARKING
    sheet.oddFooter.center.text = MARKING
    for line in provenance.lines():
        sheet.append(_cells(sheet, [line]))
    sheet.append([])
    sheet.append(_cells(sheet, HEADINGS))
    for row in export.rows():
        sheet.append(_cells(sheet, row))
    sheet.append([])
    sheet.append(_cells(sheet, [MARKING]))
    spool = _spool()
    workbook.save(spool)
    spool.seek(0)
    return spool


# PDF ---------------------------------------------------------------------------


def _text(value: str) -> str:
    """Plain text for a reportlab paragraph: its mini-markup escaped."""
    return html.escape(xml_safe(value), quote=False)


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    head: ParagraphStyle


def _styles() -> _Styles:
    sheet = getSampleStyleSheet()
    cell = ParagraphStyle("cell", parent=sheet["BodyText"], fontSize=7, leading=9)
    head = ParagraphStyle("head", parent=cell, fontName="Helvetica-Bold")
    return _Styles(sheet["Title"], sheet["BodyText"], cell, head)


def mark_page(canvas: Canvas, document: SimpleDocTemplate) -> None:
    """The protective marking at the top and foot of a page, and its number."""
    width, height = document.pagesize
    canvas.saveState()
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawCentredString(width / 2, height - 10 * mm, MARKING)
    canvas.drawCentredString(width / 2, 8 * mm, MARKING)
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(width - 12 * mm, 8 * mm, f"Page {document.page}")
    canvas.restoreState()


def _tables(export: CaseExport, styles: _Styles) -> Iterator[LongTable]:
    heading = [Paragraph(_text(h), styles.head) for h in HEADINGS]
    widths = [width for _, width in COLUMNS]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    batch: list[list[Paragraph]] = []
    for row in export.rows():
        batch.append([Paragraph(_text(value), styles.cell) for value in row])
        if len(batch) == PDF_ROWS_PER_TABLE:
            yield LongTable(
                [heading, *batch], colWidths=widths, repeatRows=1, style=style
            )
            batch = []
    if batch:
        yield LongTable([heading, *batch], colWidths=widths, repeatRows=1, style=style)


def pdf_file(export: CaseExport, provenance: Provenance) -> IO[bytes]:
    """The PDF: provenance, then the cases as tables, marked on every page."""
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        topMargin=18 * mm,
        bottomMargin=16 * mm,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        title=f"MASIP case list ({MARKING})",
        author=xml_safe(provenance.exported_by),
        subject=MARKING,
        creator="MASIP",
    )
    story: list[Flowable] = [Paragraph("MASIP case list", styles.title)]
    story += [Paragraph(_text(line), styles.body) for line in provenance.lines()[2:]]
    story.append(Spacer(1, 4 * mm))
    story += list(_tables(export, styles))
    document.build(story, onFirstPage=mark_page, onLaterPages=mark_page)
    buffer.seek(0)
    return buffer


# The writer of each format, by file extension.
WRITERS: dict[str, Callable[[CaseExport, Provenance], IO[bytes]]] = {
    "csv": csv_file,
    "xlsx": xlsx_file,
    "pdf": pdf_file,
}
