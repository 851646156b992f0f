"""Closing a case: a request with its checklist, a manager's decision, the
outcome follow-ups at 6, 12 and 24 months, and reopening with a reason.

A worker asks for the case to close once the checklist is met (no
outstanding actions, a recent risk review, the victim told). A team manager
of the lead agency who did not ask (four eyes) approves it, which closes the
case through ``status_apply`` and schedules the follow-ups, or refuses it
with a reason; the requester may withdraw it while it waits. Every write
locks the case row first and then the request's, so two managers deciding at
once are taken one after the other and the second is told what happened.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.accounts import notices
from masip.accounts.models import Notification, User
from masip.audit.events import EventType
from masip.cases import closure_selectors as selectors
from masip.cases.closure_rules import Checklist, add_months, closure_checklist
from masip.cases.models import (
    Case,
    CaseStatus,
    ClosureReason,
    ClosureRequest,
    OutcomeAnswer,
    OutcomeFollowUp,
)
from masip.cases.services._common import lock_case, record_event, require
from masip.cases.services.cases import status_apply
from masip.core.errors import DomainError
from masip.core.templatetags.govuk import govuk_date, govuk_day

FOLLOW_UP_ANSWERS = (
    "new_report_same_victim",
    "new_report_new_victim",
    "order_breaches",
)


class ChecklistNotMet(DomainError):
    """The closure checklist has items not met; ``checklist`` says which."""

    def __init__(self, checklist: Checklist) -> None:
        self.checklist = checklist
        missing = "; ".join(item.label.lower() for item in checklist.unmet)
        super().__init__(f"The case cannot close yet. Still needed: {missing}.")


def closure_checklist_for(
    case: Case, *, victim_informed: bool | None, today: dt.date | None = None
) -> Checklist:
    """The checklist for the case as it stands now."""
    return closure_checklist(
        selectors.checklist_facts(case),
        victim_informed=victim_informed,
        today=today or timezone.localdate(),
        review_days=settings.MASIP_CLOSURE_RISK_REVIEW_DAYS,
    )


def _request_link(closure: ClosureRequest) -> str:
    return reverse(
        "cases:closure-detail",
        kwargs={"reference": closure.case.reference, "public_id": closure.public_id},
    )


def _record(event: EventType, *, actor: Actor, closure: ClosureRequest) -> None:
    record_event(
        event,
        actor=actor,
        case=closure.case,
        target_type="closure_request",
        target_id=closure.public_id,
        changed_fields=["status"],
    )


def _lock_request(closure: ClosureRequest) -> tuple[Case, ClosureRequest]:
    """The case row, then the request row, locked in that order."""
    case = lock_case(closure.case)
    locked = (
        ClosureRequest.objects.select_for_update(of=("self",))
        .select_related("requested_by", "decided_by")
        .get(pk=closure.pk)
    )
    locked.case = case
    return case, locked


def _not_pending(closure: ClosureRequest) -> DomainError:
    """What to tell someone acting on a request decided in the meantime."""
    if closure.status == ClosureRequest.Status.WITHDRAWN:
        return DomainError(
            f"{closure.requested_by.full_name} withdrew this request to close the "
            "case. Nothing was changed."
        )
    assert closure.decided_by is not None
    assert closure.decided_at is not None
    verb = "approved" if closure.status == ClosureRequest.Status.APPROVED else "refused"
    return DomainError(
        f"{closure.decided_by.full_name} {verb} this request on "
        f"{govuk_date(closure.decided_at)}, before you. Your decision was not "
        "recorded."
    )


def _decider_checks(actor: Actor, case: Case, closure: ClosureRequest) -> None:
    """Only a manager acting for the lead agency, never the requester."""
    require(actor, Permission.CASE_CLOSE)
    if actor.membership.agency_id != case.lead_agency_id:
        raise PermissionDenied
    if not closure.is_pending:
        raise _not_pending(closure)
    if closure.requested_by_id == actor.user.pk:
        raise DomainError(
            "You asked for this case to close, so another team manager must "
            "decide. You can withdraw the request instead."
        )


@transaction.atomic
def closure_request(
    *,
    actor: Actor,
    case: Case,
    reason: str,
    note: str,
    victim_informed: bool,
    victim_informed_how: str,
    victim_informed_on: dt.date,
) -> ClosureRequest:
    """Ask for the case to close; the lead agency's managers are told."""
    require(actor, Permission.CASE_CLOSE_REQUEST)
    locked = lock_case(case)
    if locked.is_closed:
        raise DomainError("The case is already closed.")
    if selectors.pending_closure(locked) is not None:
        raise DomainError("A request to close this case is already waiting.")
    if reason not in ClosureReason.values:
        raise DomainError("Select why the case can close.")
    if not note.strip():
        raise DomainError("Enter why the case can close.")
    today = timezone.localdate()
    if victim_informed and (not victim_informed_how.strip() or not victim_informed_on):
        raise DomainError("Enter how and when the victim was told.")
    if victim_informed and victim_informed_on > today:
        raise DomainError("The date the victim was told must be today or earlier.")
    checklist = closure_checklist_for(locked, victim_informed=victim_informed)
    if not checklist.all_met:
        raise ChecklistNotMet(checklist)
    assert checklist.review is not None  # met means a review counted
    # The case lock keeps a second request out; the database's constraint
    # (one pending request per case) would refuse it anyway.
    closure = ClosureRequest.objects.create(
        case=locked,
        requested_by=actor.user,
        requested_agency=actor.membership.agency,
        requested_at=timezone.now(),
        reason=reason,
        note=note.strip(),
        no_open_actions=True,
        final_risk_review_id=checklist.review.assessment_id,
        victim_informed=True,
        victim_informed_how=victim_informed_how.strip(),
        victim_informed_on=victim_informed_on,
    )
    _record(EventType.CASE_CLOSURE_REQUESTED, actor=actor, closure=closure)
    approvers = [
        user for user in selectors.closure_approvers(locked) if user.pk != actor.user.pk
    ]
    notices.notify(
        approvers,
        kind=Notification.Kind.CLOSURE_APPROVAL,
        case_reference=locked.reference,
        message=f"Case {locked.reference} is waiting for approval to close.",
        link=_request_link(closure),
    )
    return closure


def _decided(closure: ClosureRequest, *, actor: Actor, status: str, note: str) -> None:
    closure.status = status
    closure.decided_by = actor.user
    closure.decided_at = timezone.now()
    closure.decision_note = note.strip()
    closure.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def _tell_requester(closure: ClosureRequest, *, outcome: str) -> None:
    notices.notify(
        [closure.requested_by],
        kind=Notification.Kind.CLOSURE_DECIDED,
        case_reference=closure.case.reference,
        message=f"Your request to close case {closure.case.reference} was {outcome}.",
        link=_request_link(closure),
    )


@transaction.atomic
def closure_approve(
    *, actor: Actor, closure: ClosureRequest, note: str = ""
) -> ClosureRequest:
    """Approve the request: the case closes with its reason, and the follow-ups
    are scheduled 6, 12 and 24 calendar months after the closing day."""
    case, locked = _lock_request(closure)
    _decider_checks(actor, case, locked)
    checklist = closure_checklist_for(case, victim_informed=locked.victim_informed)
    if not checklist.all_met:
        raise ChecklistNotMet(checklist)
    _decided(locked, actor=actor, status=ClosureRequest.Status.APPROVED, note=note)
    status_apply(
        actor=actor,
        locked=case,
        to_status=CaseStatus.CLOSED,
        closure_reason=locked.reason,
        reason=f"Closure approved by {actor.user.full_name}.",
    )
    assert case.closed_on is not None
    OutcomeFollowUp.objects.bulk_create(
        OutcomeFollowUp(
            case=case,
            closure_request=locked,
            months=months,
            due_on=add_months(case.closed_on, months),
        )
        for months in OutcomeFollowUp.MONTHS
    )
    _record(EventType.CASE_CLOSURE_APPROVED, actor=actor, closure=locked)
    _tell_requester(locked, outcome="approved: the case is closed")
    return locked


@transaction.atomic
def closure_refuse(
    *, actor: Actor, closure: ClosureRequest, reason: str
) -> ClosureRequest:
    """Refuse the request, saying why; the case stays open."""
    case, locked = _lock_request(closure)
    _decider_checks(actor, case, locked)
    if not reason.strip():
        raise DomainError("Enter why you are refusing the request.")
    _decided(locked, actor=actor, status=ClosureRequest.Status.REFUSED, note=reason)
    _record(EventType.CASE_CLOSURE_REFUSED, actor=actor, closure=locked)
    _tell_requester(locked, outcome="refused")
    return locked


@transaction.atomic
def closure_withdraw(*, actor: Actor, closure: ClosureRequest) -> ClosureRequest:
    """The requester takes back a request still waiting for a decision."""
    require(actor, Permission.CASE_CLOSE_REQUEST)
    _, locked = _lock_request(closure)
    if not locked.is_pending:
        raise _not_pending(locked)
    if locked.requested_by_id != actor.user.pk:
        raise DomainError(
            f"Only {locked.requested_by.full_name}, who asked, can withdraw this "
            "request."
        )
    _decided(locked, actor=actor, status=ClosureRequest.Status.WITHDRAWN, note="")
    _record(EventType.CASE_CLOSURE_WITHDRAWN, actor=actor, closure=locked)
    return locked


@transaction.atomic
def case_reopen(*, actor: Actor, case: Case, reason: str) -> Case:
    """Reopen a closed case as active, with the reason; the follow-ups still
    due from its closure are cancelled."""
    require(actor, Permission.CASE_CHANGE_STATUS)
    locked = lock_case(case)
    if not locked.is_closed:
        raise DomainError("The case is not closed.")
    if not reason.strip():
        raise DomainError("Enter why the case is being reopened.")
    status_apply(
        actor=actor, locked=locked, to_status=CaseStatus.ACTIVE, reason=reason.strip()
    )
    OutcomeFollowUp.objects.filter(
        case=locked, status=OutcomeFollowUp.Status.DUE
    ).update(status=OutcomeFollowUp.Status.CANCELLED)
    record_event(
        EventType.CASE_REOPENED,
        actor=actor,
        case=locked,
        changed_fields=["status", "closure_reason", "closed_on"],
    )
    return locked


@transaction.atomic
def follow_up_record(
    *,
    actor: Actor,
    follow_up: OutcomeFollowUp,
    new_report_same_victim: str,
    new_report_new_victim: str,
    order_breaches: str,
    note: str = "",
) -> OutcomeFollowUp:
    """Record the outcome measured at a follow-up point, once it is due."""
    require(actor, Permission.CASE_EDIT)
    locked = (
        OutcomeFollowUp.objects.select_for_update(of=("self",))
        .select_related("case", "recorded_by")
        .get(pk=follow_up.pk)
    )
    if locked.status == OutcomeFollowUp.Status.DONE:
        assert locked.recorded_by is not None
        raise DomainError(
            f"{locked.recorded_by.full_name} has already recorded this follow-up."
        )
    if locked.status == OutcomeFollowUp.Status.CANCELLED:
        raise DomainError("This follow-up was cancelled when the case reopened.")
    if locked.due_on > timezone.localdate():
        raise DomainError(
            f"This follow-up is not due until {govuk_day(locked.due_on)}."
        )
    answers = {
        "new_report_same_victim": new_report_same_victim,
        "new_report_new_victim": new_report_new_victim,
        "order_breaches": order_breaches,
    }
    if any(value not in OutcomeAnswer.values for value in answers.values()):
        raise DomainError("Answer each question: yes, no or not known.")
    for name, value in answers.items():
        setattr(locked, name, value)
    locked.note = note.strip()
    locked.status = OutcomeFollowUp.Status.DONE
    locked.recorded_by = actor.user
    locked.recorded_at = timezone.now()
    locked.save()
    record_event(
        EventType.FOLLOW_UP_RECORDED,
        actor=actor,
        case=locked.case,
        target_type="follow_up",
        target_id=locked.public_id,
        changed_fields=[*FOLLOW_UP_ANSWERS, "note", "status"],
    )
    return locked


def remind_follow_ups_due(*, today: dt.date) -> int:
    """Tell the lead agency's team managers of each follow-up due on or before
    ``today`` and not yet reminded; returns how many were reminded.

    Each follow-up is stamped as it is reminded (a conditional update), so a
    second run, or two at once, sends nothing twice. It reads every case: run
    it as system work (``masip reminders``), not in a request.
    """
    due = (
        OutcomeFollowUp.objects.filter(
            status=OutcomeFollowUp.Status.DUE,
            due_on__lte=today,
            reminded_on__isnull=True,
        )
        .select_related("case", "case__lead_agency")
        .order_by("due_on", "id")
    )
    managers: dict[int, list[User]] = {}
    reminded = 0
    for follow_up in due:
        with transaction.atomic():
            stamped = OutcomeFollowUp.objects.filter(
                pk=follow_up.pk,
                status=OutcomeFollowUp.Status.DUE,
                reminded_on__isnull=True,
            ).update(reminded_on=today)
            if not stamped:
                continue
            case = follow_up.case
            if case.lead_agency_id not in managers:
                managers[case.lead_agency_id] = list(selectors.closure_approvers(case))
            notices.notify(
                managers[case.lead_agency_id],
                kind=Notification.Kind.FOLLOW_UP_DUE,
                case_reference=case.reference,
                message=(
                    f"The {follow_up.months}-month outcome follow-up on case "
                    f"{case.reference} is due."
                ),
                link=reverse(
                    "cases:follow-up-record",
                    kwargs={
                        "reference": case.reference,
                        "public_id": follow_up.public_id,
                    },
                ),
            )
            reminded += 1
    return reminded
