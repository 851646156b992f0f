"""The daily overdue reminders: once a day per action, to its owner (or the
owner agency's team managers), and one summary a day for the panel chair."""

import datetime as dt

import pytest
from django.utils import timezone

from masip.access.roles import RoleName
from masip.accounts.models import Notification
from masip.accounts.tests.factories import MembershipFactory
from masip.panels.models import Action
from masip.panels.reminders import remind_overdue_actions
from masip.panels.tests.factories import ActionFactory, PanelFactory

TODAY = dt.date(2026, 12, 3)
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def chair(cast):
    PanelFactory(site=cast.police_a.site, chair=cast.lead_manager)
    return cast.lead_manager


def _action(cast, **kwargs):
    values = {
        "case": cast.case,
        "owner_agency": cast.police_a,
        "owner": cast.lead_worker,
        "created_by": cast.lead_manager,
        "due_on": YESTERDAY,
    }
    values.update(kwargs)
    return ActionFactory(**values)


def _notices(user, kind=Notification.Kind.ACTION_OVERDUE):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_remind_tells_the_owner_of_an_overdue_action(cast):
    action = _action(cast, due_on=TODAY - dt.timedelta(days=4))

    sent = remind_overdue_actions(today=TODAY)

    assert sent == 1
    [notice] = _notices(cast.lead_worker)
    assert notice.message == (
        f"An action on {cast.case.reference} for Police A was due on "
        "29 November 2026 and is 4 days overdue."
    )
    assert notice.case_reference == cast.case.reference
    assert notice.link == f"/cases/{cast.case.reference}/actions/{action.public_id}/"
    action.refresh_from_db()
    assert action.overdue_notified_on == TODAY


def test_remind_without_an_owner_tells_the_agency_team_managers(cast):
    _action(cast, owner=None, owner_agency=cast.probation_a)
    manager = MembershipFactory(
        agency=cast.probation_a, role=RoleName.TEAM_MANAGER
    ).user

    sent = remind_overdue_actions(today=TODAY)

    assert sent == 1
    assert len(_notices(manager)) == 1
    assert not _notices(cast.partner_worker)


def test_remind_skips_actions_due_today_completed_or_cancelled(cast):
    _action(cast, due_on=TODAY)
    _action(
        cast,
        status=Action.Status.DONE,
        completed_at=timezone.now(),
        completed_by=cast.lead_worker,
    )
    _action(cast, status=Action.Status.CANCELLED)

    assert remind_overdue_actions(today=TODAY) == 0
    assert not Notification.objects.exists()


def test_remind_sends_once_a_day_and_again_the_next_day(cast, chair):
    _action(cast)

    first = remind_overdue_actions(today=TODAY)
    again = remind_overdue_actions(today=TODAY)
    next_day = remind_overdue_actions(today=TODAY + dt.timedelta(days=1))

    assert (first, again, next_day) == (2, 0, 2)
    assert len(_notices(cast.lead_worker)) == 2
    assert len(_notices(chair)) == 2


def test_remind_sends_the_chair_one_summary_per_agency_by_reference(cast, chair):
    _action(cast, description="Serve the order at the home address.")
    _action(
        cast, owner=None, owner_agency=cast.nhs_a, due_on=TODAY - dt.timedelta(days=5)
    )
    _action(cast, owner=cast.clinician, owner_agency=cast.nhs_a)

    sent = remind_overdue_actions(today=TODAY)

    # Two owners told (the NHS action without an owner has no team manager
    # to tell), and one summary for the chair.
    assert sent == 3
    ref = cast.case.reference
    summaries = [n for n in _notices(chair) if n.message.startswith("3 panel actions")]
    assert [n.message for n in summaries] == [
        f"3 panel actions are overdue. NHS Trust A: 2 ({ref}); Police A: 1 ({ref})."
    ]
    assert summaries[0].link == "/actions/overdue/"
    assert "Serve the order" not in summaries[0].message


def test_remind_leaves_the_chair_of_another_site_alone(cast):
    other_chair = cast.outsider_manager
    PanelFactory(site=cast.police_b.site, chair=other_chair)
    _action(cast)

    remind_overdue_actions(today=TODAY)

    assert not _notices(other_chair)


def test_remind_with_nothing_overdue_sends_nothing(cast, chair):
    _action(cast, due_on=TODAY + dt.timedelta(days=2))

    assert remind_overdue_actions(today=TODAY) == 0
    assert not _notices(chair)
