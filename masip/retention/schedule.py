"""Which record class a closed case is in, and when it falls due for review."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q

from masip.cases.models import Case, RiskLevel, RiskLevelChange
from masip.retention.models import CaseRetention, RecordClass, RetentionSchedule


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def public_protection_q() -> Q:
    """Cases assessed as high risk at any time: their risk now, or in the history."""
    ever_high = RiskLevelChange.objects.filter(
        case=OuterRef("pk"), to_level=RiskLevel.HIGH
    )
    return Q(risk_level=RiskLevel.HIGH) | Q(Exists(ever_high))


def record_class_of(case: Case) -> RecordClass:
    if case.risk_level == RiskLevel.HIGH:
        return RecordClass.PUBLIC_PROTECTION
    if case.risk_changes.filter(to_level=RiskLevel.HIGH).exists():
        return RecordClass.PUBLIC_PROTECTION
    return RecordClass.STANDARD


def schedule_for(case: Case, record_class: RecordClass) -> RetentionSchedule:
    return RetentionSchedule.objects.get(
        agency_kind=case.lead_agency.kind, record_class=record_class
    )


def first_review_on(case: Case, schedule: RetentionSchedule) -> dt.date:
    assert case.closed_on is not None
    return add_years(case.closed_on, schedule.first_review_years)


def review_due_on(case: Case) -> dt.date | None:
    """When this case is (or was) due for review; None while it is open."""
    if case.closed_on is None:
        return None
    retention = CaseRetention.objects.filter(case=case).first()
    if retention is not None:
        return retention.next_review_on
    return first_review_on(case, schedule_for(case, record_class_of(case)))


def due_by_q(agency_kind: str, day: dt.date) -> Q:
    """Closed cases of this agency kind due for review on or before ``day``.

    Reviewed cases carry their own next review date; unreviewed ones are due a
    fixed number of years after closure, which is a cut-off on ``closed_on``.
    """
    reviewed = Q(retention__isnull=False) & (
        Q(retention__next_review_on__lte=day)
        | Q(retention__disposal_proposed_by__isnull=False)
    )
    unreviewed = Q(pk__in=[])
    for schedule in RetentionSchedule.objects.filter(agency_kind=agency_kind):
        cut_off = add_years(day, -schedule.first_review_years)
        in_class = public_protection_q()
        if schedule.record_class == RecordClass.STANDARD:
            in_class = ~in_class
        unreviewed |= in_class & Q(closed_on__lte=cut_off)
    return reviewed | (Q(retention__isnull=True) & unreviewed)
