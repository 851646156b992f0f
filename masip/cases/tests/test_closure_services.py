"""Closing a case through its services: the checklist, four eyes, the
decision taken once, follow-ups in calendar months, reminders, reopening."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from masip.access.roles import RoleName
from masip.accounts.models import Notification
from masip.accounts.tests.factories import MembershipFactory, UserFactory
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases import closure_selectors, services
from masip.cases.models import (
    CaseStatus,
    ClosureReason,
    ClosureRequest,
    OutcomeAnswer,
    OutcomeFollowUp,
    StatusChange,
)
from masip.cases.services.closure import ChecklistNotMet
from masip.cases.tests.closure_support import (
    action,
    ask_to_close,
    frozen_at,
    review,
    second_manager,
)
from masip.core.errors import DomainError
from masip.people.tests.factories import actor_for


def events(event_type: EventType) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("id"))


def notices(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("id"))


def request_kwargs(**overrides):
    values = {
        "reason": ClosureReason.RISK_REDUCED,
        "note": "No contact for six months; the panel agreed to close.",
        "victim_informed": True,
        "victim_informed_how": "By phone, through the advocate.",
        "victim_informed_on": timezone.localdate(),
    }
    return {**values, **overrides}


def approve(cast, closure, by=None):
    return services.closure_approve(
        actor=actor_for(by or cast.lead_manager), closure=closure, note="Agreed."
    )


# The checklist's facts --------------------------------------------------------


def test_checklist_facts_count_only_outstanding_actions_and_levelled_reviews(cast):
    action(cast.case, cast.lead_worker)
    action(cast.case, cast.lead_worker, status="in_progress")
    action(cast.case, cast.lead_worker, status="done")
    action(cast.case, cast.lead_worker, status="cancelled")
    levelled = review(cast.case, cast.lead_worker, days_ago=3, level="high")
    review(cast.case, cast.lead_worker, days_ago=1, level="")  # a check-in

    facts = closure_selectors.checklist_facts(cast.case)

    assert facts.outstanding_actions == 2
    assert facts.latest_review is not None
    assert facts.latest_review.assessment_id == levelled.pk
    assert facts.latest_review.level == "high"


def test_checklist_facts_ignore_another_cases_actions(cast):
    action(cast.other_case, cast.outsider)

    assert closure_selectors.checklist_facts(cast.case).outstanding_actions == 0


# Asking -----------------------------------------------------------------------


def test_closure_request_refused_while_an_action_is_open(cast):
    review(cast.case, cast.lead_worker)
    action(cast.case, cast.lead_worker)

    with pytest.raises(ChecklistNotMet, match="no outstanding actions") as caught:
        services.closure_request(
            actor=actor_for(cast.lead_worker), case=cast.case, **request_kwargs()
        )

    assert [i.key for i in caught.value.checklist.unmet] == ["actions"]
    assert not ClosureRequest.objects.exists()
    assert not events(EventType.CASE_CLOSURE_REQUESTED)


def test_closure_request_refused_without_a_recent_risk_review(cast):
    review(cast.case, cast.lead_worker, days_ago=29)

    with pytest.raises(ChecklistNotMet, match="a final risk review"):
        services.closure_request(
            actor=actor_for(cast.lead_worker), case=cast.case, **request_kwargs()
        )

    assert not ClosureRequest.objects.exists()


def test_closure_request_refused_unless_the_victim_was_told(cast):
    review(cast.case, cast.lead_worker)

    with pytest.raises(ChecklistNotMet, match="the victim told"):
        services.closure_request(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            **request_kwargs(victim_informed=False),
        )


def test_closure_request_needs_how_the_victim_was_told(cast):
    review(cast.case, cast.lead_worker)

    with pytest.raises(DomainError, match="how and when the victim was told"):
        services.closure_request(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            **request_kwargs(victim_informed_how="  "),
        )


def test_closure_request_keeps_the_checklist_audits_and_tells_the_managers(cast):
    other = second_manager(cast)
    counted = review(cast.case, cast.lead_worker)

    closure = ask_to_close(cast)

    assert closure.is_pending
    assert closure.requested_by == cast.lead_worker
    assert closure.requested_agency == cast.police_a
    assert (closure.no_open_actions, closure.victim_informed) == (True, True)
    assert closure.final_risk_review_id == counted.pk
    stored = ClosureRequest.objects.get(pk=closure.pk)
    assert stored.victim_informed_how == "By phone, through the advocate."
    [event] = events(EventType.CASE_CLOSURE_REQUESTED)
    assert (event.target_type, event.target_id) == (
        "closure_request",
        str(closure.public_id),
    )
    told = notices(Notification.Kind.CLOSURE_APPROVAL)
    assert {n.recipient for n in told} == {cast.lead_manager, other}
    assert all(n.case_reference == cast.case.reference for n in told)
    assert told[0].link.endswith(f"/closure/{closure.public_id}/")
    assert "Testvictim" not in told[0].message


def test_closure_request_by_a_manager_does_not_ask_themselves(cast):
    ask_to_close(cast, by=cast.lead_manager)

    told = notices(Notification.Kind.CLOSURE_APPROVAL)
    assert cast.lead_manager not in {n.recipient for n in told}


def test_closure_request_refused_while_one_is_waiting(cast):
    ask_to_close(cast)

    with pytest.raises(DomainError, match="already waiting"):
        ask_to_close(cast, by=cast.lead_manager)

    assert ClosureRequest.objects.count() == 1


def test_database_allows_one_pending_request_per_case(cast):
    first = ask_to_close(cast)

    with pytest.raises(IntegrityError), transaction.atomic():
        ClosureRequest.objects.create(
            case=cast.case,
            requested_by=cast.lead_manager,
            requested_agency=cast.police_a,
            reason=first.reason,
            note="Again.",
            no_open_actions=True,
            victim_informed=True,
        )


def test_closure_request_needs_the_verb(cast):
    review(cast.case, cast.lead_worker)
    coordinator = actor_for(cast.panel_coordinator)

    with pytest.raises(PermissionDenied):
        services.closure_request(actor=coordinator, case=cast.case, **request_kwargs())


# Deciding ---------------------------------------------------------------------


def test_closure_approve_on_31_august_schedules_calendar_months(cast):
    with frozen_at(2025, 8, 31):
        closure = ask_to_close(cast)
        approved = approve(cast, closure)

    cast.case.refresh_from_db()
    assert approved.status == ClosureRequest.Status.APPROVED
    assert approved.decided_by == cast.lead_manager
    assert cast.case.status == CaseStatus.CLOSED
    assert cast.case.closure_reason == ClosureReason.RISK_REDUCED
    assert cast.case.closed_on == dt.date(2025, 8, 31)
    follow_ups = list(OutcomeFollowUp.objects.filter(case=cast.case))
    assert [(f.months, f.due_on, f.status) for f in follow_ups] == [
        (6, dt.date(2026, 2, 28), "due"),
        (12, dt.date(2026, 8, 31), "due"),
        (24, dt.date(2027, 8, 31), "due"),
    ]
    change = StatusChange.objects.filter(case=cast.case).first()
    assert change.to_status == CaseStatus.CLOSED
    assert change.changed_by == cast.lead_manager
    assert events(EventType.CASE_CLOSURE_APPROVED)
    assert sorted(events(EventType.CASE_STATUS_CHANGED)[-1].changed_fields) == [
        "closed_on",
        "closure_reason",
        "status",
    ]
    [told] = notices(Notification.Kind.CLOSURE_DECIDED)
    assert told.recipient == cast.lead_worker
    assert "approved" in told.message


def test_closure_approve_on_29_february_lands_on_28_february(cast):
    with frozen_at(2028, 2, 29):
        approve(cast, ask_to_close(cast))

    due = list(
        OutcomeFollowUp.objects.filter(case=cast.case).values_list("due_on", flat=True)
    )
    assert due == [dt.date(2028, 8, 29), dt.date(2029, 2, 28), dt.date(2030, 2, 28)]


def test_closure_approve_refused_to_the_requester_four_eyes(cast):
    closure = ask_to_close(cast, by=cast.lead_manager)

    with pytest.raises(DomainError, match="another team manager must decide"):
        approve(cast, closure, by=cast.lead_manager)
    with pytest.raises(DomainError, match="another team manager must decide"):
        services.closure_refuse(
            actor=actor_for(cast.lead_manager), closure=closure, reason="No."
        )

    cast.case.refresh_from_db()
    assert not cast.case.is_closed
    assert ClosureRequest.objects.get().is_pending


def test_closure_approve_needs_a_manager(cast):
    closure = ask_to_close(cast, by=cast.lead_manager)

    with pytest.raises(PermissionDenied):
        approve(cast, closure, by=cast.lead_worker)


def test_closure_approve_needs_the_lead_agency(cast):
    probation_manager = UserFactory(full_name="Probation Manager")
    MembershipFactory(
        user=probation_manager, agency=cast.probation_a, role=RoleName.TEAM_MANAGER
    )
    closure = ask_to_close(cast)

    with pytest.raises(PermissionDenied):
        approve(cast, closure, by=probation_manager)

    assert ClosureRequest.objects.get().is_pending


def test_closure_approve_checks_the_checklist_again(cast):
    closure = ask_to_close(cast)
    action(cast.case, cast.lead_worker)  # agreed at panel after the request

    with pytest.raises(ChecklistNotMet, match="no outstanding actions"):
        approve(cast, closure)

    cast.case.refresh_from_db()
    assert not cast.case.is_closed
    assert not OutcomeFollowUp.objects.exists()


def test_closure_approve_twice_at_once_the_second_is_told(cast):
    other = second_manager(cast, "Casey Othermanager")
    closure = ask_to_close(cast)
    # Both managers opened the request while it was waiting.
    stale = ClosureRequest.objects.get(pk=closure.pk)

    approve(cast, closure, by=cast.lead_manager)
    with pytest.raises(DomainError, match="Lead Manager approved this request"):
        approve(cast, stale, by=other)

    assert OutcomeFollowUp.objects.count() == 3
    assert len(events(EventType.CASE_CLOSURE_APPROVED)) == 1
    assert ClosureRequest.objects.get().decided_by == cast.lead_manager


def test_closure_refuse_needs_a_reason_and_keeps_the_case_open(cast):
    closure = ask_to_close(cast)
    manager = actor_for(cast.lead_manager)

    with pytest.raises(DomainError, match="why you are refusing"):
        services.closure_refuse(actor=manager, closure=closure, reason=" ")
    refused = services.closure_refuse(
        actor=manager, closure=closure, reason="Wait for the order hearing."
    )

    assert refused.status == ClosureRequest.Status.REFUSED
    assert ClosureRequest.objects.get().decision_note == "Wait for the order hearing."
    cast.case.refresh_from_db()
    assert not cast.case.is_closed
    assert events(EventType.CASE_CLOSURE_REFUSED)
    [told] = notices(Notification.Kind.CLOSURE_DECIDED)
    assert (told.recipient, "refused" in told.message) == (cast.lead_worker, True)


def test_refused_request_cannot_then_be_approved(cast):
    closure = ask_to_close(cast)
    services.closure_refuse(
        actor=actor_for(cast.lead_manager), closure=closure, reason="Not yet."
    )
    other = second_manager(cast)

    with pytest.raises(DomainError, match="refused this request"):
        approve(cast, closure, by=other)


def test_closure_withdraw_only_by_the_requester(cast):
    closure = ask_to_close(cast)

    with pytest.raises(DomainError, match="Only Lead Worker"):
        services.closure_withdraw(actor=actor_for(cast.lead_manager), closure=closure)
    withdrawn = services.closure_withdraw(
        actor=actor_for(cast.lead_worker), closure=closure
    )

    assert withdrawn.status == ClosureRequest.Status.WITHDRAWN
    assert events(EventType.CASE_CLOSURE_WITHDRAWN)
    with pytest.raises(DomainError, match="withdrew this request"):
        approve(cast, closure)
    ask_to_close(cast)  # a new request may follow
    assert ClosureRequest.objects.filter(status="pending").count() == 1


# The status form can no longer close ------------------------------------------


def test_case_change_status_refuses_to_close(cast):
    with pytest.raises(DomainError, match="approves a request to close it"):
        services.case_change_status(
            actor=actor_for(cast.lead_manager), case=cast.case, to_status="closed"
        )

    cast.case.refresh_from_db()
    assert not cast.case.is_closed


def test_case_change_status_refuses_to_move_a_closed_case(cast):
    approve(cast, ask_to_close(cast))

    with pytest.raises(DomainError, match="Reopen the case"):
        services.case_change_status(
            actor=actor_for(cast.lead_worker), case=cast.case, to_status="active"
        )


# Reopening --------------------------------------------------------------------


def test_case_reopen_needs_a_closed_case_and_a_reason(cast):
    worker = actor_for(cast.lead_worker)

    with pytest.raises(DomainError, match="not closed"):
        services.case_reopen(actor=worker, case=cast.case, reason="New incident.")
    approve(cast, ask_to_close(cast))
    with pytest.raises(DomainError, match="why the case is being reopened"):
        services.case_reopen(actor=worker, case=cast.case, reason="  ")


def test_case_reopen_makes_it_active_and_cancels_pending_follow_ups(cast):
    with frozen_at(2025, 1, 10):
        approve(cast, ask_to_close(cast))
    six = OutcomeFollowUp.objects.get(months=6)
    with frozen_at(2025, 7, 10):
        services.follow_up_record(
            actor=actor_for(cast.lead_worker),
            follow_up=six,
            new_report_same_victim=OutcomeAnswer.NO,
            new_report_new_victim=OutcomeAnswer.NO,
            order_breaches=OutcomeAnswer.NOT_KNOWN,
        )
        case = services.case_reopen(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            reason="The victim reported new contact.",
        )

    assert case.status == CaseStatus.ACTIVE
    assert (case.closure_reason, case.closed_on) == ("", None)
    statuses = dict(OutcomeFollowUp.objects.values_list("months", "status"))
    assert statuses == {6: "done", 12: "cancelled", 24: "cancelled"}
    change = StatusChange.objects.filter(case=cast.case).first()
    assert (change.from_status, change.to_status) == ("closed", "active")
    assert change.reason == "The victim reported new contact."
    [event] = events(EventType.CASE_REOPENED)
    assert event.case_reference == cast.case.reference


def test_reopened_case_can_close_again_with_new_follow_ups(cast):
    approve(cast, ask_to_close(cast))
    services.case_reopen(
        actor=actor_for(cast.lead_worker), case=cast.case, reason="New incident."
    )

    approve(cast, ask_to_close(cast))

    assert OutcomeFollowUp.objects.filter(status="due").count() == 3
    assert OutcomeFollowUp.objects.filter(status="cancelled").count() == 3


# Follow-ups -------------------------------------------------------------------


def _closed_on_10_january(cast) -> OutcomeFollowUp:
    with frozen_at(2025, 1, 10):
        approve(cast, ask_to_close(cast))
    return OutcomeFollowUp.objects.get(months=6)


def _record(cast, follow_up, **answers):
    values = {
        "new_report_same_victim": OutcomeAnswer.YES,
        "new_report_new_victim": OutcomeAnswer.NO,
        "order_breaches": OutcomeAnswer.NOT_KNOWN,
        "note": "Police records checked.",
        **answers,
    }
    return services.follow_up_record(
        actor=actor_for(cast.lead_worker), follow_up=follow_up, **values
    )


def test_follow_up_record_refused_before_it_is_due(cast):
    six = _closed_on_10_january(cast)

    with frozen_at(2025, 7, 9), pytest.raises(DomainError, match="not due until 10"):
        _record(cast, six)

    six.refresh_from_db()
    assert six.status == OutcomeFollowUp.Status.DUE


def test_follow_up_record_keeps_the_answers_once(cast):
    six = _closed_on_10_january(cast)

    with frozen_at(2025, 7, 10):
        recorded = _record(cast, six)
        with pytest.raises(DomainError, match="already recorded"):
            _record(cast, six)

    stored = OutcomeFollowUp.objects.get(pk=recorded.pk)
    assert stored.status == OutcomeFollowUp.Status.DONE
    assert (
        stored.new_report_same_victim,
        stored.new_report_new_victim,
        stored.order_breaches,
    ) == ("yes", "no", "not_known")
    assert stored.note == "Police records checked."
    assert stored.recorded_by == cast.lead_worker
    [event] = events(EventType.FOLLOW_UP_RECORDED)
    assert event.target_id == str(six.public_id)
    assert "Police" not in str(event.changed_fields)


def test_follow_up_record_refuses_an_answer_off_the_list(cast):
    six = _closed_on_10_january(cast)

    with frozen_at(2025, 7, 10), pytest.raises(DomainError, match="Answer each"):
        _record(cast, six, order_breaches="maybe")


def test_follow_up_record_refuses_a_cancelled_follow_up(cast):
    six = _closed_on_10_january(cast)
    services.case_reopen(
        actor=actor_for(cast.lead_worker), case=cast.case, reason="New incident."
    )

    with frozen_at(2025, 7, 10), pytest.raises(DomainError, match="cancelled"):
        _record(cast, six)


def test_follow_up_record_needs_the_edit_verb(cast):
    six = _closed_on_10_january(cast)

    with frozen_at(2025, 7, 10), pytest.raises(PermissionDenied):
        services.follow_up_record(
            actor=actor_for(cast.panel_coordinator),
            follow_up=six,
            new_report_same_victim="no",
            new_report_new_victim="no",
            order_breaches="no",
        )


# Reminders --------------------------------------------------------------------


def test_remind_follow_ups_due_tells_the_managers_once(cast):
    other = second_manager(cast)
    _closed_on_10_january(cast)

    before = services.remind_follow_ups_due(today=dt.date(2025, 7, 9))
    on_the_day = services.remind_follow_ups_due(today=dt.date(2025, 7, 10))
    again = services.remind_follow_ups_due(today=dt.date(2025, 7, 11))

    assert (before, on_the_day, again) == (0, 1, 0)
    told = notices(Notification.Kind.FOLLOW_UP_DUE)
    assert {n.recipient for n in told} == {cast.lead_manager, other}
    assert "6-month outcome follow-up" in told[0].message
    six = OutcomeFollowUp.objects.get(months=6)
    assert six.reminded_on == dt.date(2025, 7, 10)
    assert told[0].link.endswith(f"/follow-ups/{six.public_id}/")


def test_remind_follow_ups_due_catches_up_on_overdue_ones(cast):
    _closed_on_10_january(cast)

    reminded = services.remind_follow_ups_due(today=dt.date(2026, 2, 1))

    # The 6- and 12-month points have both passed; the 24-month one has not.
    assert reminded == 2
    months = set(
        OutcomeFollowUp.objects.filter(reminded_on__isnull=False).values_list(
            "months", flat=True
        )
    )
    assert months == {6, 12}


def test_remind_follow_ups_due_skips_recorded_and_cancelled(cast):
    six = _closed_on_10_january(cast)
    with frozen_at(2025, 7, 10):
        _record(cast, six)
    services.case_reopen(
        actor=actor_for(cast.lead_worker), case=cast.case, reason="New incident."
    )

    assert services.remind_follow_ups_due(today=dt.date(2030, 1, 1)) == 0
    assert not notices(Notification.Kind.FOLLOW_UP_DUE)
