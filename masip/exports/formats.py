"""The export formats, and the permission each one needs."""

from dataclasses import dataclass
from enum import StrEnum

from masip.access.permissions import Permission


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    PDF = "pdf"

    @property
    def spec(self) -> "FormatSpec":
        return FORMATS[self]


@dataclass(frozen=True)
class FormatSpec:
    label: str
    permission: Permission
    content_type: str


FORMATS = {
    ExportFormat.CSV: FormatSpec(
        label="CSV",
        permission=Permission.EXPORT_CSV,
        content_type="text/csv; charset=utf-8",
    ),
    ExportFormat.XLSX: FormatSpec(
        label="spreadsheet (XLSX)",
        permission=Permission.EXPORT_XLSX,
        content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
    ),
    ExportFormat.PDF: FormatSpec(
        label="PDF",
        permission=Permission.EXPORT_PDF,
        content_type="application/pdf",
    ),
}
