"""Action services: who may add, change, complete and cancel an action, and
every refusal in words; the notices and the audit trail."""

import datetime as dt

import pytest
from django.utils import timezone

from masip.access.roles import AgencyKind, RoleName
from masip.accounts.models import Notification
from masip.accounts.tests.factories import AgencyFactory, MembershipFactory
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import CaseNote, CaseShare, CaseStatus, ClosureReason
from masip.core.errors import DomainError, StaleEditError
from masip.panels.action_services import (
    ActionRefused,
    action_cancel,
    action_complete,
    action_create,
    action_update,
)
from masip.panels.models import Action
from masip.panels.tests.clock import frozen_on
from masip.panels.tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    MeetingFactory,
    PanelFactory,
)
from masip.people.tests.factories import actor_for

TODAY = dt.date(2026, 12, 3)


@pytest.fixture
def today():
    with frozen_on(TODAY):
        yield TODAY


def _create(cast, who="lead_worker", **kwargs):
    values = {
        "case": cast.case,
        "owner_agency": cast.police_a,
        "description": "Apply for an interim stalking protection order.",
        "due_on": TODAY + dt.timedelta(days=7),
    }
    values.update(kwargs)
    return action_create(actor=actor_for(cast.persona(who)), **values)


def _open_action(cast, **kwargs):
    values = {
        "case": cast.case,
        "owner_agency": cast.police_a,
        "owner": cast.lead_worker,
        "created_by": cast.lead_manager,
        "due_on": TODAY + dt.timedelta(days=5),
    }
    values.update(kwargs)
    return ActionFactory(**values)


# Creating ------------------------------------------------------------------


def test_action_create_by_a_case_worker_saves_audits_and_tells_the_owner(cast, today):
    action = _create(cast, owner_agency=cast.probation_a, owner=cast.partner_worker)

    action.refresh_from_db()
    assert action.status == Action.Status.OPEN
    assert action.description == "Apply for an interim stalking protection order."
    assert action.created_by == cast.lead_worker
    event = AuditEvent.objects.get(event_type=EventType.ACTION_CREATED)
    assert event.case_reference == cast.case.reference
    assert event.target_id == str(action.public_id)
    notice = Notification.objects.get(recipient=cast.partner_worker)
    assert notice.kind == Notification.Kind.ACTION_ASSIGNED
    assert notice.message == (
        f"An action on {cast.case.reference} for Probation A is due on "
        "10 December 2026."
    )
    assert notice.link == (f"/cases/{cast.case.reference}/actions/{action.public_id}/")
    assert "protection order" not in notice.message


def test_action_create_without_an_owner_tells_the_agency_team_managers(cast, today):
    _create(cast, who="partner_worker", owner_agency=cast.police_a)

    told = set(
        Notification.objects.filter(kind=Notification.Kind.ACTION_ASSIGNED).values_list(
            "recipient__email", flat=True
        )
    )
    assert told == {"lead_manager@example.test"}


def test_action_create_does_not_tell_the_owner_who_made_it(cast, today):
    _create(cast, owner=cast.lead_worker)

    assert not Notification.objects.filter(recipient=cast.lead_worker).exists()


def test_action_create_by_the_coordinator_is_allowed(cast, today):
    action = _create(cast, who="panel_coordinator", owner_agency=cast.nhs_a)

    assert action.owner_agency == cast.nhs_a


def test_action_create_for_a_panel_member_agency_through_its_agenda_item(cast, today):
    council = AgencyFactory(
        name="Council A", kind=AgencyKind.LOCAL_AUTHORITY, site=cast.police_a.site
    )
    panel = PanelFactory(site=cast.police_a.site, member_agencies=[council])
    item = AgendaItemFactory(meeting=MeetingFactory(panel=panel), case=cast.case)

    action = _create(cast, who="panel_coordinator", owner_agency=council, item=item)

    assert action.item == item


def test_action_create_due_today_is_allowed(cast, today):
    action = _create(cast, due_on=TODAY)

    assert action.due_on == TODAY


@pytest.mark.parametrize("who", ["outsider", "outsider_manager", "helpline_adviser"])
def test_action_create_refused_to_those_outside_the_case(cast, today, who):
    with pytest.raises(DomainError, match="You cannot add actions to this case"):
        _create(cast, who=who)

    assert not Action.objects.exists()


def test_action_create_refused_to_a_reader_without_the_verb(cast, today):
    # The auditor reaches the case but may change nothing.
    with pytest.raises(DomainError, match="You cannot add actions to this case"):
        _create(cast, who="auditor")


def test_action_create_refused_for_an_agency_not_working_on_the_case(cast, today):
    with pytest.raises(
        ActionRefused, match="Police B is not working on this case"
    ) as e:
        _create(cast, owner_agency=cast.police_b)

    assert e.value.field == "owner_agency"


def test_action_create_refused_for_an_agency_whose_share_was_revoked(cast, today):
    CaseShare.objects.filter(case=cast.case, agency=cast.probation_a).update(
        revoked_at=timezone.now(), revoked_by=cast.lead_manager
    )

    with pytest.raises(ActionRefused, match="Probation A is not working"):
        _create(cast, owner_agency=cast.probation_a)


def test_action_create_refused_for_a_panel_agency_without_an_agenda_item(cast, today):
    council = AgencyFactory(
        name="Council A", kind=AgencyKind.LOCAL_AUTHORITY, site=cast.police_a.site
    )
    PanelFactory(site=cast.police_a.site, member_agencies=[council])

    with pytest.raises(ActionRefused, match="Council A is not working"):
        _create(cast, owner_agency=council)


def test_action_create_refused_for_an_owner_outside_the_owner_agency(cast, today):
    with pytest.raises(ActionRefused, match="does not work for Police A") as e:
        _create(cast, owner=cast.partner_worker)

    assert e.value.field == "owner"


def test_action_create_refused_for_an_owner_whose_membership_ended(cast, today):
    former = MembershipFactory(agency=cast.police_a, role=RoleName.CASE_WORKER)
    former.is_active = False
    former.save()

    with pytest.raises(ActionRefused, match="does not work for Police A"):
        _create(cast, owner=former.user)


def test_action_create_refused_for_a_due_date_in_the_past(cast, today):
    with pytest.raises(ActionRefused, match="today or in the future") as e:
        _create(cast, due_on=TODAY - dt.timedelta(days=1))

    assert e.value.field == "due_on"


@pytest.mark.parametrize("description", ["", "   \n "])
def test_action_create_refused_without_a_description(cast, today, description):
    with pytest.raises(ActionRefused, match="Enter what the action is") as e:
        _create(cast, description=description)

    assert e.value.field == "description"


def test_action_create_refused_for_an_agenda_item_of_another_case(cast, today):
    item = AgendaItemFactory(case=cast.other_case)

    with pytest.raises(ActionRefused, match="about another case"):
        _create(cast, who="panel_coordinator", item=item)


def test_action_create_refused_on_a_closed_case(cast, today):
    cast.case.status = CaseStatus.CLOSED
    cast.case.closure_reason = ClosureReason.RISK_REDUCED
    cast.case.closed_on = TODAY
    cast.case.save()

    with pytest.raises(ActionRefused, match="The case is closed"):
        _create(cast)


# Changing ------------------------------------------------------------------


def test_action_update_moves_the_status_and_audits_the_field_names(cast, today):
    action = _open_action(cast)

    saved = action_update(
        actor=actor_for(cast.lead_worker),
        action=action,
        version=1,
        status=Action.Status.IN_PROGRESS,
        owner=cast.lead_worker,
        due_on=action.due_on,
    )

    assert saved.status == Action.Status.IN_PROGRESS
    assert saved.version == 2
    event = AuditEvent.objects.get(event_type=EventType.ACTION_UPDATED)
    assert event.changed_fields == ["status"]


def test_action_update_with_nothing_changed_keeps_the_version(cast, today):
    action = _open_action(cast)

    saved = action_update(
        actor=actor_for(cast.lead_worker),
        action=action,
        version=1,
        status=action.status,
        owner=cast.lead_worker,
        due_on=action.due_on,
    )

    assert saved.version == 1
    assert not AuditEvent.objects.filter(event_type=EventType.ACTION_UPDATED).exists()


def test_action_update_on_a_stale_version_is_refused_with_the_saved_values(cast, today):
    action = _open_action(cast, version=3)

    with pytest.raises(StaleEditError) as e:
        action_update(
            actor=actor_for(cast.lead_worker),
            action=action,
            version=2,
            status=Action.Status.IN_PROGRESS,
            owner=None,
            due_on=action.due_on,
        )

    assert e.value.current_version == 3
    assert e.value.current["status"] == Action.Status.OPEN
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_action_update_refused_to_another_agency_on_the_case(cast, today):
    action = _open_action(cast)

    with pytest.raises(DomainError, match="Only staff of Police A"):
        action_update(
            actor=actor_for(cast.partner_worker),
            action=action,
            version=1,
            status=Action.Status.IN_PROGRESS,
            owner=None,
            due_on=action.due_on,
        )


def test_action_update_moving_the_due_date_needs_a_reason(cast, today):
    action = _open_action(cast)

    with pytest.raises(ActionRefused, match="Enter why the due date") as e:
        action_update(
            actor=actor_for(cast.lead_worker),
            action=action,
            version=1,
            status=action.status,
            owner=cast.lead_worker,
            due_on=action.due_on + dt.timedelta(days=7),
        )

    assert e.value.field == "due_reason"


def test_action_update_moving_the_due_date_keeps_the_reason_as_a_case_note(cast, today):
    action = _open_action(cast, due_on=dt.date(2026, 12, 8))

    saved = action_update(
        actor=actor_for(cast.lead_worker),
        action=action,
        version=1,
        status=action.status,
        owner=cast.lead_worker,
        due_on=dt.date(2026, 12, 15),
        due_reason="The victim is away until the 14th.",
    )

    assert saved.due_on == dt.date(2026, 12, 15)
    note = CaseNote.objects.filter(case=cast.case, kind="general").first()
    assert note.text == (
        "An action for Police A due on 8 December 2026 is now due on "
        "15 December 2026. Reason: The victim is away until the 14th."
    )
    event = AuditEvent.objects.get(event_type=EventType.ACTION_UPDATED)
    assert event.changed_fields == ["due_on"]


def test_action_update_refuses_a_new_due_date_in_the_past(cast, today):
    action = _open_action(cast)

    with pytest.raises(ActionRefused, match="today or in the future"):
        action_update(
            actor=actor_for(cast.lead_worker),
            action=action,
            version=1,
            status=action.status,
            owner=cast.lead_worker,
            due_on=TODAY - dt.timedelta(days=1),
            due_reason="Typed the wrong date.",
        )


def test_action_update_keeps_a_past_due_date_it_does_not_change(cast, today):
    action = _open_action(cast, due_on=TODAY - dt.timedelta(days=3))

    saved = action_update(
        actor=actor_for(cast.lead_worker),
        action=action,
        version=1,
        status=Action.Status.IN_PROGRESS,
        owner=cast.lead_worker,
        due_on=action.due_on,
    )

    assert saved.status == Action.Status.IN_PROGRESS


def test_action_update_reassigns_within_the_agency_and_tells_the_new_owner(cast, today):
    action = _open_action(cast)

    saved = action_update(
        actor=actor_for(cast.lead_worker),
        action=action,
        version=1,
        status=action.status,
        owner=cast.lead_manager,
        due_on=action.due_on,
    )

    assert saved.owner == cast.lead_manager
    assert AuditEvent.objects.get(
        event_type=EventType.ACTION_UPDATED
    ).changed_fields == ["owner"]
    notice = Notification.objects.get(recipient=cast.lead_manager)
    assert notice.kind == Notification.Kind.ACTION_ASSIGNED


def test_action_update_refuses_an_owner_from_another_agency(cast, today):
    action = _open_action(cast)

    with pytest.raises(ActionRefused, match="does not work for Police A"):
        action_update(
            actor=actor_for(cast.lead_worker),
            action=action,
            version=1,
            status=action.status,
            owner=cast.partner_worker,
            due_on=action.due_on,
        )


def test_action_update_refuses_done_as_a_status(cast, today):
    action = _open_action(cast)

    with pytest.raises(ActionRefused, match="Select not started or in progress"):
        action_update(
            actor=actor_for(cast.lead_worker),
            action=action,
            version=1,
            status=Action.Status.DONE,
            owner=cast.lead_worker,
            due_on=action.due_on,
        )


# Completing ----------------------------------------------------------------


def test_action_complete_by_the_owner_agency(cast, today):
    action = _open_action(cast)

    done = action_complete(
        actor=actor_for(cast.lead_manager),
        action=action,
        version=1,
        completion_note="Interim order granted at the magistrates' court.",
    )

    done.refresh_from_db()
    assert done.status == Action.Status.DONE
    assert done.completion_note == "Interim order granted at the magistrates' court."
    assert done.completed_by == cast.lead_manager
    assert done.completed_at == timezone.now()
    assert done.version == 2
    assert AuditEvent.objects.filter(event_type=EventType.ACTION_COMPLETED).count() == 1


def test_action_complete_needs_a_note(cast, today):
    action = _open_action(cast)

    with pytest.raises(ActionRefused, match="Enter what was done") as e:
        action_complete(
            actor=actor_for(cast.lead_worker),
            action=action,
            version=1,
            completion_note="  ",
        )

    assert e.value.field == "completion_note"


def test_action_complete_refused_to_another_agency(cast, today):
    action = _open_action(cast)

    with pytest.raises(DomainError, match="Only staff of Police A"):
        action_complete(
            actor=actor_for(cast.clinician),
            action=action,
            version=1,
            completion_note="Done.",
        )


def test_action_complete_refused_to_staff_of_the_agency_outside_the_case(cast, today):
    # Police A staff who do not reach the case: a professional-standards
    # officer, whose role reaches only marked cases.
    action = _open_action(cast)

    with pytest.raises(DomainError, match="Only staff of Police A"):
        action_complete(
            actor=actor_for(cast.professional_standards),
            action=action,
            version=1,
            completion_note="Done.",
        )


def test_action_complete_twice_is_refused(cast, today):
    action = _open_action(cast)
    action_complete(
        actor=actor_for(cast.lead_worker),
        action=action,
        version=1,
        completion_note="Done.",
    )

    with pytest.raises(DomainError, match="already been completed"):
        action_complete(
            actor=actor_for(cast.lead_manager),
            action=action,
            version=2,
            completion_note="Done again.",
        )


def test_action_complete_on_a_stale_version_is_refused(cast, today):
    action = _open_action(cast, version=2)

    with pytest.raises(StaleEditError):
        action_complete(
            actor=actor_for(cast.lead_worker),
            action=action,
            version=1,
            completion_note="Done.",
        )


# Cancelling ----------------------------------------------------------------


def test_action_cancel_by_the_coordinator_keeps_the_reason(cast, today):
    action = _open_action(cast)

    cancelled = action_cancel(
        actor=actor_for(cast.panel_coordinator),
        action=action,
        version=1,
        reason="The panel agreed a different plan.",
    )

    cancelled.refresh_from_db()
    assert cancelled.status == Action.Status.CANCELLED
    assert cancelled.completion_note == "The panel agreed a different plan."
    assert cancelled.completed_by == cast.panel_coordinator
    assert cancelled.completed_at is None
    assert AuditEvent.objects.filter(event_type=EventType.ACTION_CANCELLED).exists()


def test_action_cancel_by_the_owner_agency(cast, today):
    action = _open_action(cast)

    cancelled = action_cancel(
        actor=actor_for(cast.lead_worker), action=action, version=1, reason="Dup."
    )

    assert cancelled.status == Action.Status.CANCELLED


def test_action_cancel_refused_to_another_agency(cast, today):
    action = _open_action(cast)

    with pytest.raises(DomainError, match="or the panel coordinator, can cancel"):
        action_cancel(
            actor=actor_for(cast.advocate), action=action, version=1, reason="No."
        )


def test_action_cancel_needs_a_reason(cast, today):
    action = _open_action(cast)

    with pytest.raises(ActionRefused, match="Enter why the action is cancelled"):
        action_cancel(
            actor=actor_for(cast.lead_worker), action=action, version=1, reason=""
        )


def test_action_cancel_of_a_completed_action_is_refused(cast, today):
    action = _open_action(
        cast,
        status=Action.Status.DONE,
        completed_at=timezone.now(),
        completed_by=cast.lead_worker,
    )

    with pytest.raises(DomainError, match="already been completed"):
        action_cancel(
            actor=actor_for(cast.panel_coordinator),
            action=action,
            version=1,
            reason="Not needed.",
        )


# Overdue -------------------------------------------------------------------


def test_an_action_due_today_is_not_overdue_and_one_due_yesterday_is(cast, today):
    due_today = _open_action(cast, due_on=TODAY)
    due_yesterday = _open_action(cast, due_on=TODAY - dt.timedelta(days=1))
    _open_action(
        cast,
        due_on=TODAY - dt.timedelta(days=9),
        status=Action.Status.CANCELLED,
    )

    overdue = list(Action.objects.overdue(TODAY))

    assert overdue == [due_yesterday]
    # With no date given, the (frozen) clock's today is used.
    assert list(Action.objects.overdue()) == [due_yesterday]
    assert not due_today.is_overdue()
    assert due_yesterday.is_overdue()
