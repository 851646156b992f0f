"""Reads for exports: the case list a user reaches, as rows of plain text.

An export carries the columns of the case list page and a few more case-level
facts, and nothing from a sealed compartment: no addresses, contact
identifiers, safe-contact preferences, incident locations, notes (health,
intelligence or general) or free-text summaries, whatever the exporter may
see on screen. A bulk file leaves the system's controls, so it holds only
what every role that reaches a case may read there.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.cases.models import Case
from masip.cases.selectors import case_list_for

# (heading, width in PDF points) of each exported column, in order.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("Reference", 78),
    ("Victim", 110),
    ("Status", 62),
    ("Risk level", 62),
    ("Relationship", 88),
    ("Referred by", 78),
    ("Referred on", 62),
    ("Next review", 62),
    ("Lead agency", 100),
    ("Last incident", 62),
)
HEADINGS = tuple(heading for heading, _ in COLUMNS)
# Rows fetched from the database at a time while a file is written.
CHUNK_SIZE = 500


@dataclass(frozen=True)
class CaseExport:
    """The cases to export: how many, and a way to read them in chunks."""

    cases: QuerySet[Case]
    count: int

    def rows(self) -> Iterator[tuple[str, ...]]:
        """Each case as a row of text, in the list's order."""
        # Never more than were counted (and audited), even if cases were
        # added since.
        for case in self.cases[: self.count].iterator(chunk_size=CHUNK_SIZE):
            yield _row(case)


def case_export_for(
    access: Access, permission: Permission, **filters: Any
) -> CaseExport:
    """The case list's cases (same filters, search and order) for an export.

    Only cases reached through a membership that grants the export
    ``permission`` are included, as the case list page's own would be for a
    user holding one membership.
    """
    exportable = access.visible_cases_granting(permission).values("pk")
    cases = case_list_for(access, **filters).filter(pk__in=exportable)
    return CaseExport(cases=cases, count=cases.count())


def _date(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


def _row(case: Case) -> tuple[str, ...]:
    victims = ", ".join(p.person.full_name for p in getattr(case, "victims", []))
    last_incident = getattr(case, "last_incident_at", None)
    return (
        case.reference,
        victims,
        case.get_status_display(),
        case.get_risk_level_display(),
        case.get_relationship_type_display(),
        case.get_referral_source_display(),
        _date(case.referred_on),
        _date(case.review_due_on),
        case.lead_agency.name,
        _date(timezone.localdate(last_incident)) if last_incident else "",
    )
