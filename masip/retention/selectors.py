"""Reads for retention: the review queue, a case's review state, disposals."""

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Q, QuerySet, Value, When
from django.db.models import Case as Choose
from django.utils import timezone

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.accounts.models import Agency
from masip.cases.models import Case, CaseStatus
from masip.retention import schedule
from masip.retention.models import (
    CaseRetention,
    DisposalRecord,
    RecordClass,
    RetentionDecision,
    RetentionSchedule,
)

# The queue shows what is due now and what falls due within this many days.
UPCOMING_DAYS = 90


@dataclass(frozen=True)
class ReviewState:
    record_class: RecordClass
    schedule: RetentionSchedule
    due_on: dt.date
    retention: CaseRetention | None

    @property
    def version(self) -> int:
        return self.retention.version if self.retention is not None else 0

    @property
    def legal_hold(self) -> bool:
        return self.retention is not None and self.retention.legal_hold

    @property
    def disposal_proposed(self) -> bool:
        return self.retention is not None and self.retention.disposal_proposed

    @property
    def is_due(self) -> bool:
        return self.due_on <= timezone.localdate()


def reviewing_agencies(access: Access) -> list[Agency]:
    """The agencies whose closed cases this user reviews."""
    return [m.agency for m in access.memberships_with(Permission.RETENTION_REVIEW)]


def review_queue(access: Access, *, upcoming: bool = False) -> QuerySet[Case]:
    """Closed cases led by the user's agencies that are due (or soon due) for review.

    Cases awaiting a second manager's confirmation of disposal come first.
    """
    agencies = reviewing_agencies(access)
    if not agencies:
        return Case.objects.none()
    day = timezone.localdate()
    if upcoming:
        day += dt.timedelta(days=UPCOMING_DAYS)
    due = reduce(
        or_,
        (
            Q(lead_agency=agency) & schedule.due_by_q(agency.kind, day)
            for agency in agencies
        ),
    )
    return (
        access.visible_cases()
        .filter(due, status=CaseStatus.CLOSED)
        .annotate(
            public_protection=Choose(
                When(schedule.public_protection_q(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("lead_agency", "retention", "retention__disposal_proposed_by")
        .order_by("-retention__disposal_proposed_at", "closed_on", "reference")
    )


def review_state(case: Case) -> ReviewState:
    """Where a closed case stands: its class, schedule and next review date."""
    record_class = schedule.record_class_of(case)
    rule = schedule.schedule_for(case, record_class)
    retention = CaseRetention.objects.filter(case=case).first()
    due = (
        retention.next_review_on
        if retention is not None
        else schedule.first_review_on(case, rule)
    )
    return ReviewState(record_class, rule, due, retention)


def decisions_for(case: Case) -> QuerySet[RetentionDecision]:
    return RetentionDecision.objects.filter(case=case).select_related("decided_by")


def disposals_for(access: Access) -> QuerySet[DisposalRecord]:
    return DisposalRecord.objects.filter(
        lead_agency__in=reviewing_agencies(access)
    ).select_related("lead_agency", "proposed_by", "confirmed_by")


def schedules_for(access: Access) -> QuerySet[RetentionSchedule]:
    kinds = {agency.kind for agency in reviewing_agencies(access)}
    return RetentionSchedule.objects.filter(agency_kind__in=kinds)


@dataclass(frozen=True)
class QueueRow:
    case: Case
    record_class: RecordClass
    due_on: dt.date
    retention: CaseRetention | None


def queue_rows(cases: list[Case]) -> list[QueueRow]:
    """Rows of ``review_queue`` with their class and due date (no query per row)."""
    kinds = {case.lead_agency.kind for case in cases}
    rules = {
        (rule.agency_kind, rule.record_class): rule
        for rule in RetentionSchedule.objects.filter(agency_kind__in=kinds)
    }
    rows = []
    for case in cases:
        record_class = (
            RecordClass.PUBLIC_PROTECTION
            if getattr(case, "public_protection", False)
            else RecordClass.STANDARD
        )
        retention = _retention_or_none(case)
        due = (
            retention.next_review_on
            if retention is not None
            else schedule.first_review_on(
                case, rules[(case.lead_agency.kind, record_class)]
            )
        )
        rows.append(QueueRow(case, record_class, due, retention))
    return rows


def _retention_or_none(case: Case) -> CaseRetention | None:
    try:
        return case.retention
    except CaseRetention.DoesNotExist:
        return None
