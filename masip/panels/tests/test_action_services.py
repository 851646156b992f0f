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
    panel = _panel_with_the_council(cast)
    council = panel.member_agencies.get()
    item = AgendaItemFactory(meeting=MeetingFactory(panel=panel), case=cast.case)

    action = _create(cast, who="panel_coordinator", owner_agency=council, item=item)

    assert action.item == item


def test_action_create_due_today_is_allowed(cast, today):
    action = _create(cast, due_on=TODAY)

    assert action.due_on == TODAY


@pytest.mark.parametrize(
    "who",
    [
        "outsider",
        "outsider_manager",
        "helpline_adviser",
        # The auditor reaches the case but may change nothing.
        "auditor",
    ],
)
def test_action_create_refused_to_those_outside_the_case(cast, today, who):
    with pytest.raises(DomainError, match="You cannot add actions to this case"):
        _create(cast, who=who)

    assert not Action.objects.exists()


def _panel_with_the_council(cast):
    """Police A's site panel, with a local authority that works on no case."""
    council = AgencyFactory(
        name="Council A", kind=AgencyKind.LOCAL_AUTHORITY, site=cast.police_a.site
    )
    return PanelFactory(site=cast.police_a.site, member_agencies=[council])


def _agency_not_on_the_case(cast):
    return {"owner_agency": cast.police_b}


def _agency_whose_share_was_revoked(cast):
    CaseShare.objects.filter(case=cast.case, agency=cast.probation_a).update(
        revoked_at=timezone.now(), revoked_by=cast.lead_manager
    )
    return {"owner_agency": cast.probation_a}


def _panel_agency_without_an_agenda_item(cast):
    return {"owner_agency": _panel_with_the_council(cast).member_agencies.get()}


def _owner_outside_the_owner_agency(cast):
    return {"owner": cast.partner_worker}


def _owner_whose_membership_ended(cast):
    former = MembershipFactory(agency=cast.police_a, role=RoleName.CASE_WORKER)
    former.is_active = False
    former.save()
    return {"owner": former.user}


def _due_date_in_the_past(cast):
    return {"due_on": TODAY - dt.timedelta(days=1)}


def _empty_description(cast):
    return {"description": ""}


def _blank_description(cast):
    return {"description": "   \n "}


def _agenda_item_of_another_case(cast):
    return {"item": AgendaItemFactory(case=cast.other_case)}


def _closed_case(cast):
    cast.case.status = CaseStatus.CLOSED
    cast.case.closure_reason = ClosureReason.RISK_REDUCED
    cast.case.closed_on = TODAY
    cast.case.save()
    return {}


# (arrange, who, match, field): what to set up and send, and the refusal.
CREATE_REFUSALS = [
    (
        _agency_not_on_the_case,
        "lead_worker",
        "Police B is not working on this case",
        "owner_agency",
    ),
    (
        _agency_whose_share_was_revoked,
        "lead_worker",
        "Probation A is not working",
        "owner_agency",
    ),
    (
        _panel_agency_without_an_agenda_item,
        "lead_worker",
        "Council A is not working",
        "owner_agency",
    ),
    (
        _owner_outside_the_owner_agency,
        "lead_worker",
        "does not work for Police A",
        "owner",
    ),
    (
        _owner_whose_membership_ended,
        "lead_worker",
        "does not work for Police A",
        "owner",
    ),
    (_due_date_in_the_past, "lead_worker", "today or in the future", "due_on"),
    (_empty_description, "lead_worker", "Enter what the action is", "description"),
    (_blank_description, "lead_worker", "Enter what the action is", "description"),
    (_agenda_item_of_another_case, "panel_coordinator", "about another case", ""),
    (_closed_case, "lead_worker", "The case is closed", ""),
]


@pytest.mark.parametrize(
    ("arrange", "who", "match", "field"),
    CREATE_REFUSALS,
    ids=[arrange.__name__.lstrip("_") for arrange, *_ in CREATE_REFUSALS],
)
def test_action_create_refused_for_input_it_cannot_take(
    cast, today, arrange, who, match, field
):
    values = arrange(cast)

    with pytest.raises(ActionRefused, match=match) as e:
        _create(cast, who=who, **values)

    assert e.value.field == field
    assert not Action.objects.exists()


# Changing ------------------------------------------------------------------


def _update(cast, action, who="lead_worker", **changes):
    """``action_update`` by ``who``, changing only what ``changes`` names."""
    values = {
        "version": 1,
        "status": action.status,
        "owner": cast.lead_worker,
        "due_on": action.due_on,
    }
    values.update(changes)
    return action_update(actor=actor_for(cast.persona(who)), action=action, **values)


@pytest.mark.parametrize(
    "due_in_days",
    [
        5,
        # A past due date the change leaves alone does not stand in its way.
        -3,
    ],
    ids=["due-ahead", "already-overdue"],
)
def test_action_update_moves_the_status_and_audits_the_field_names(
    cast, today, due_in_days
):
    action = _open_action(cast, due_on=TODAY + dt.timedelta(days=due_in_days))

    saved = _update(cast, action, status=Action.Status.IN_PROGRESS)

    assert saved.status == Action.Status.IN_PROGRESS
    assert saved.version == 2
    event = AuditEvent.objects.get(event_type=EventType.ACTION_UPDATED)
    assert event.changed_fields == ["status"]


def test_action_update_with_nothing_changed_keeps_the_version(cast, today):
    action = _open_action(cast)

    saved = _update(cast, action)

    assert saved.version == 1
    assert not AuditEvent.objects.filter(event_type=EventType.ACTION_UPDATED).exists()


def test_action_update_on_a_stale_version_is_refused_with_the_saved_values(cast, today):
    action = _open_action(cast, version=3)

    with pytest.raises(StaleEditError) as e:
        _update(cast, action, version=2, status=Action.Status.IN_PROGRESS, owner=None)

    assert e.value.current_version == 3
    assert e.value.current["status"] == Action.Status.OPEN
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


@pytest.mark.parametrize(
    ("who", "changes", "match", "field"),
    [
        pytest.param(
            "partner_worker",
            lambda cast, action: {"status": Action.Status.IN_PROGRESS, "owner": None},
            "Only staff of Police A",
            "",
            id="by-another-agency-on-the-case",
        ),
        pytest.param(
            "lead_worker",
            lambda cast, action: {"due_on": action.due_on + dt.timedelta(days=7)},
            "Enter why the due date",
            "due_reason",
            id="moving-the-due-date-without-a-reason",
        ),
        pytest.param(
            "lead_worker",
            lambda cast, action: {
                "due_on": TODAY - dt.timedelta(days=1),
                "due_reason": "Typed the wrong date.",
            },
            "today or in the future",
            "due_on",
            id="a-new-due-date-in-the-past",
        ),
        pytest.param(
            "lead_worker",
            lambda cast, action: {"owner": cast.partner_worker},
            "does not work for Police A",
            "owner",
            id="an-owner-from-another-agency",
        ),
        pytest.param(
            "lead_worker",
            lambda cast, action: {"status": Action.Status.DONE},
            "Select not started or in progress",
            "status",
            id="done-as-a-status",
        ),
    ],
)
def test_action_update_refused(cast, today, who, changes, match, field):
    action = _open_action(cast)

    with pytest.raises(ActionRefused, match=match) as e:
        _update(cast, action, who=who, **changes(cast, action))

    assert e.value.field == field
    action.refresh_from_db()
    assert action.version == 1
    assert not AuditEvent.objects.filter(event_type=EventType.ACTION_UPDATED).exists()


def test_action_update_moving_the_due_date_keeps_the_reason_as_a_case_note(cast, today):
    action = _open_action(cast, due_on=dt.date(2026, 12, 8))

    saved = _update(
        cast,
        action,
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


def test_action_update_reassigns_within_the_agency_and_tells_the_new_owner(cast, today):
    action = _open_action(cast)

    saved = _update(cast, action, owner=cast.lead_manager)

    assert saved.owner == cast.lead_manager
    assert AuditEvent.objects.get(
        event_type=EventType.ACTION_UPDATED
    ).changed_fields == ["owner"]
    notice = Notification.objects.get(recipient=cast.lead_manager)
    assert notice.kind == Notification.Kind.ACTION_ASSIGNED


# Completing ----------------------------------------------------------------


def _complete(cast, action, who="lead_worker", *, version=1, note="Done."):
    return action_complete(
        actor=actor_for(cast.persona(who)),
        action=action,
        version=version,
        completion_note=note,
    )


def test_action_complete_by_the_owner_agency(cast, today):
    action = _open_action(cast)

    done = _complete(
        cast,
        action,
        "lead_manager",
        note="Interim order granted at the magistrates' court.",
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
        _complete(cast, action, note="  ")

    assert e.value.field == "completion_note"


@pytest.mark.parametrize(
    "who",
    [
        # Another agency on the case.
        "clinician",
        # Police A staff who do not reach the case: a professional-standards
        # officer, whose role reaches only marked cases.
        "professional_standards",
    ],
)
def test_action_complete_refused_to_staff_not_working_on_it_for_the_owner(
    cast, today, who
):
    action = _open_action(cast)

    with pytest.raises(DomainError, match="Only staff of Police A"):
        _complete(cast, action, who)

    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_action_complete_twice_is_refused(cast, today):
    action = _open_action(cast)
    _complete(cast, action)

    with pytest.raises(DomainError, match="already been completed"):
        _complete(cast, action, "lead_manager", version=2, note="Done again.")


def test_action_complete_on_a_stale_version_is_refused(cast, today):
    action = _open_action(cast, version=2)

    with pytest.raises(StaleEditError):
        _complete(cast, action)


# Cancelling ----------------------------------------------------------------


def _cancel(cast, action, who, reason):
    return action_cancel(
        actor=actor_for(cast.persona(who)), action=action, version=1, reason=reason
    )


def test_action_cancel_by_the_coordinator_keeps_the_reason(cast, today):
    action = _open_action(cast)

    cancelled = _cancel(
        cast, action, "panel_coordinator", "The panel agreed a different plan."
    )

    cancelled.refresh_from_db()
    assert cancelled.status == Action.Status.CANCELLED
    assert cancelled.completion_note == "The panel agreed a different plan."
    assert cancelled.completed_by == cast.panel_coordinator
    assert cancelled.completed_at is None
    assert AuditEvent.objects.filter(event_type=EventType.ACTION_CANCELLED).exists()


def test_action_cancel_by_the_owner_agency(cast, today):
    action = _open_action(cast)

    cancelled = _cancel(cast, action, "lead_worker", "Dup.")

    assert cancelled.status == Action.Status.CANCELLED


@pytest.mark.parametrize(
    ("who", "reason", "match", "field"),
    [
        pytest.param(
            "advocate",
            "No.",
            "or the panel coordinator, can cancel",
            "",
            id="by-another-agency",
        ),
        pytest.param(
            "lead_worker",
            "",
            "Enter why the action is cancelled",
            "reason",
            id="without-a-reason",
        ),
    ],
)
def test_action_cancel_refused(cast, today, who, reason, match, field):
    action = _open_action(cast)

    with pytest.raises(ActionRefused, match=match) as e:
        _cancel(cast, action, who, reason)

    assert e.value.field == field
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_action_cancel_of_a_completed_action_is_refused(cast, today):
    action = _open_action(
        cast,
        status=Action.Status.DONE,
        completed_at=timezone.now(),
        completed_by=cast.lead_worker,
    )

    with pytest.raises(DomainError, match="already been completed"):
        _cancel(cast, action, "panel_coordinator", "Not needed.")


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
