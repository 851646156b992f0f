"""What the coordinator might put on a meeting's agenda, and why.

Pure-ish: each function reads the database but takes the date it works from
(``on``, normally today) instead of reading the clock, so tests pin it.

A case is suggested, once, when it is open, in the coordinator's reach
(the caller passes those cases), not already on the agenda, and any of:

* newly accepted: a status change to "accepted" since the panel's previous
  held meeting (or in the last ``NEW_REFERRAL_DAYS`` days if it has held none);
* high risk: the case's risk level is high;
* due for review: its risk schedule, or its own review date, falls on or
  before the meeting;
* new escalation: an incident recorded since the previous meeting includes a
  threat, violence, a weapon or a breach (masip.incidents Escalation);
* queued: a risk assessment queued it for the panel (masip.risk
  PanelQueueEntry not yet taken);
* breach of an order: a breach recorded since the previous meeting, or an
  incident that may breach an order still waiting for its review
  (masip.orders Breach and BreachReview). An incident marked with the
  "breach" escalation but not linked to an order still counts as an
  escalation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from masip.cases.models import Case, CaseStatus, RiskLevel, StatusChange
from masip.core.templatetags.govuk import govuk_date, govuk_day
from masip.incidents.models import Incident
from masip.orders.models import Breach, BreachReview, OrderKind
from masip.panels import selectors
from masip.panels.models import AgendaItem, Meeting
from masip.risk.models import PanelQueueEntry

NEW_REFERRAL_DAYS = 35
DETAIL_MAX = 300
Reason = AgendaItem.Reason
# Which reason an item is filed under when a case has several.
PRIORITY = (
    Reason.BREACH,
    Reason.ESCALATION,
    Reason.QUEUED,
    Reason.HIGH_RISK,
    Reason.NEW_REFERRAL,
    Reason.REVIEW_DUE,
)


@dataclass
class Suggestion:
    case: Case
    reasons: dict[str, str] = field(default_factory=dict)  # reason -> words

    @property
    def reason(self) -> str:
        return next(r for r in PRIORITY if r in self.reasons)

    @property
    def reason_label(self) -> str:
        return str(Reason(self.reason).label)

    @property
    def detail(self) -> str:
        """Every reason's words, the filed one first, within the column's size."""
        ordered = [self.reasons[r] for r in PRIORITY if r in self.reasons]
        text = " ".join(ordered)
        return text if len(text) <= DETAIL_MAX else text[: DETAIL_MAX - 1] + "…"


def since(meeting: Meeting, *, on: dt.date) -> dt.date:
    """The day from which things count as new for this meeting."""
    previous = selectors.previous_held_meeting(meeting)
    if previous is not None:
        return previous.held_on
    return on - dt.timedelta(days=NEW_REFERRAL_DAYS)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def suggestions(
    *, meeting: Meeting, cases: QuerySet[Case], on: dt.date
) -> list[Suggestion]:
    """The cases worth listing on ``meeting``'s agenda, most pressing first.

    ``cases`` are the cases the coordinator may list (in reach, in the
    panel's site); closed ones and those already on the agenda are left out.
    A fixed number of queries, however many cases.
    """
    open_cases = cases.exclude(status=CaseStatus.CLOSED).exclude(
        agenda_items__meeting=meeting
    )
    ids = open_cases.values("pk")
    from_day = since(meeting, on=on)
    from_time = _start_of(from_day)
    found: dict[int, dict[str, str]] = {}

    def note(case_id: int, reason: str, words: str) -> None:
        found.setdefault(case_id, {}).setdefault(reason, words)

    accepted = (
        StatusChange.objects.filter(
            case_id__in=ids,
            to_status=CaseStatus.ACCEPTED,
            changed_at__gte=from_time,
        )
        .order_by("-changed_at", "-id")
        .values_list("case_id", "changed_at")
    )
    for case_id, at in accepted:
        note(case_id, Reason.NEW_REFERRAL, f"Accepted on {govuk_day(at)}.")

    for case_id in open_cases.filter(risk_level=RiskLevel.HIGH).values_list(
        "pk", flat=True
    ):
        note(case_id, Reason.HIGH_RISK, "Risk level is high.")

    due = open_cases.filter(risk_schedule__reassess_by__lte=meeting.held_on)
    for case_id, by in due.values_list("pk", "risk_schedule__reassess_by"):
        note(case_id, Reason.REVIEW_DUE, f"Risk review due by {govuk_date(by)}.")
    review = open_cases.filter(review_due_on__lte=meeting.held_on)
    for case_id, review_on in review.values_list("pk", "review_due_on"):
        note(case_id, Reason.REVIEW_DUE, f"Case review due by {govuk_date(review_on)}.")

    escalated = (
        Incident.objects.filter(case_id__in=ids, created_at__gte=from_time)
        .exclude(escalations=[])
        .order_by("-created_at", "-id")
        .only("case", "created_at", "escalations")
    )
    for incident in escalated:
        labels = "; ".join(incident.escalation_labels()).lower()
        if labels:
            note(
                incident.case_id,
                Reason.ESCALATION,
                f"An incident recorded on {govuk_day(incident.created_at)} "
                f"included: {labels}.",
            )

    for case_id, words in _breaches(ids, from_time):
        note(case_id, Reason.BREACH, words)

    queued = PanelQueueEntry.objects.filter(
        case_id__in=ids, taken_at__isnull=True
    ).values_list("case_id", "reason")
    for case_id, words in queued:
        note(case_id, Reason.QUEUED, f"Queued for panel: {words}")

    by_id = Case.objects.select_related("lead_agency").in_bulk(list(found))
    result = [
        Suggestion(case=by_id[case_id], reasons=reasons)
        for case_id, reasons in found.items()
        if case_id in by_id
    ]
    result.sort(key=lambda s: (PRIORITY.index(s.reason), s.case.reference))
    return result


def _breaches(ids: QuerySet[Any, Any], from_time: dt.datetime) -> list[tuple[int, str]]:
    """(case id, words) for breaches recorded since ``from_time`` and for
    possible breaches still waiting for review, newest first; two queries."""
    found: list[tuple[int, str]] = []
    breaches = (
        Breach.objects.filter(order__case_id__in=ids, created_at__gte=from_time)
        .order_by("-created_at", "-id")
        .values_list("order__case_id", "order__kind", "occurred_at")
    )
    for case_id, kind, at in breaches:
        label = str(OrderKind(kind).label)
        found.append((case_id, f"A breach of the {label} on {govuk_day(at)}."))
    waiting = (
        BreachReview.objects.filter(
            order__case_id__in=ids, status=BreachReview.Status.OPEN
        )
        .order_by("-created_at", "-id")
        .values_list("order__case_id", "order__kind")
    )
    for case_id, kind in waiting:
        label = str(OrderKind(kind).label)
        found.append((case_id, f"A possible breach of the {label} awaits review."))
    return found


def find(items: Iterable[Suggestion], reference: str) -> Suggestion | None:
    return next((s for s in items if s.case.reference == reference), None)
