"""Reads for closing a case and its follow-ups (the case already resolved by
the policy; children looked up within it)."""

import uuid

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from masip.accounts.models import User
from masip.cases.closure_rules import ChecklistFacts, ReviewFact
from masip.cases.models import Case, ClosureRequest, OutcomeFollowUp, RiskLevel
from masip.cases.selectors import agency_team_managers


def checklist_facts(case: Case) -> ChecklistFacts:
    """What the closure checklist needs to know about the case (two queries)."""
    # Imported here: the panels and risk apps sit above cases.
    from masip.panels.models import Action
    from masip.risk.models import Assessment

    outstanding = Action.objects.outstanding().filter(case=case).count()
    latest = (
        Assessment.objects.filter(case=case)
        .exclude(level="")
        .order_by("-completed_at", "-id")
        .values("id", "public_id", "completed_at", "level")
        .first()
    )
    review = None
    if latest is not None:
        level = latest["level"]
        label = RiskLevel(level).label if level in RiskLevel.values else level
        review = ReviewFact(
            assessment_id=latest["id"],
            public_id=str(latest["public_id"]),
            completed_on=timezone.localdate(latest["completed_at"]),
            level=str(label).lower(),
        )
    return ChecklistFacts(outstanding_actions=outstanding, latest_review=review)


def closure_requests(case: Case) -> QuerySet[ClosureRequest]:
    """Every closure request on the case, newest first."""
    return ClosureRequest.objects.filter(case=case).select_related(
        "requested_by", "requested_agency", "decided_by", "final_risk_review"
    )


def pending_closure(case: Case) -> ClosureRequest | None:
    return closure_requests(case).filter(status=ClosureRequest.Status.PENDING).first()


def latest_approved_closure(case: Case) -> ClosureRequest | None:
    """The approval that closed the case, while it is closed."""
    if not case.is_closed:
        return None
    return (
        closure_requests(case)
        .filter(status=ClosureRequest.Status.APPROVED)
        .order_by("-decided_at", "-id")
        .first()
    )


def closure_request_get(case: Case, public_id: uuid.UUID) -> ClosureRequest:
    """One request on this case; another case's (or none) answers 404."""
    found = closure_requests(case).filter(public_id=public_id).first()
    if found is None:
        raise Http404("No closure request found.")
    return found


def follow_ups(case: Case) -> QuerySet[OutcomeFollowUp]:
    """Every follow-up on the case, by due date."""
    return OutcomeFollowUp.objects.filter(case=case).select_related(
        "recorded_by", "closure_request"
    )


def follow_up_get(case: Case, public_id: uuid.UUID) -> OutcomeFollowUp:
    found = follow_ups(case).filter(public_id=public_id).first()
    if found is None:
        raise Http404("No follow-up found.")
    return found


def closure_approvers(case: Case) -> QuerySet[User]:
    """Who decides a request to close the case: the lead agency's managers."""
    return agency_team_managers(case.lead_agency)
