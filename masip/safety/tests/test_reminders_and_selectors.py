"""Plan review reminders (once per version, on a given day) and the readers
of plans and contacts: the dashboard's reviews-due list, the overview."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from masip.access.roles import RoleName
from masip.accounts.models import Membership, Notification
from masip.accounts.tests.factories import MembershipFactory, UserFactory
from masip.cases.models import Case, ParticipantRole
from masip.cases.tests.factories import CaseFactory, CaseParticipantFactory
from masip.people.models import SafeContactPreference
from masip.people.tests.factories import PersonFactory
from masip.safety import selectors
from masip.safety.models import SafetyPlanVersion
from masip.safety.reminders import remind_plan_reviews_due
from masip.safety.tests.clock import uk
from masip.safety.tests.factories import (
    SafetyPlanFactory,
    SafetyPlanVersionFactory,
    VictimContactFactory,
)

TODAY = dt.date(2026, 3, 18)


def _plan(cast, *, review_on, case=None, victim=None, recorded_by=None, agency=None):
    plan = SafetyPlanFactory(case=case or cast.case, victim=victim or cast.victim)
    return SafetyPlanVersionFactory(
        plan=plan,
        review_on=review_on,
        recorded_by=recorded_by or cast.advocate,
        recorded_by_agency=agency or cast.advocacy_a,
    )


def _notices(user):
    return list(
        Notification.objects.filter(
            recipient=user, kind=Notification.Kind.SAFETY_PLAN_REVIEW_DUE
        )
    )


# Reminders -------------------------------------------------------------------


def test_remind_plan_reviews_due_tells_the_recorder_once(cast):
    version = _plan(cast, review_on=TODAY)

    first = remind_plan_reviews_due(today=TODAY)
    second = remind_plan_reviews_due(today=TODAY + dt.timedelta(days=1))

    [notice] = _notices(cast.advocate)
    assert first == 1
    assert second == 0
    assert notice.case_reference == cast.case.reference
    assert "is due today" in notice.message
    assert str(cast.victim.public_id) in notice.link
    version.refresh_from_db()
    assert version.review_reminded_on == TODAY


def test_remind_plan_reviews_due_not_before_the_review_date(cast):
    _plan(cast, review_on=TODAY + dt.timedelta(days=1))

    assert remind_plan_reviews_due(today=TODAY) == 0
    assert remind_plan_reviews_due(today=TODAY + dt.timedelta(days=1)) == 1


def test_remind_plan_reviews_due_overdue_says_when_it_was_due(cast):
    _plan(cast, review_on=dt.date(2026, 3, 1))

    remind_plan_reviews_due(today=TODAY)

    [notice] = _notices(cast.advocate)
    assert "was due on 1 March 2026" in notice.message


def test_remind_plan_reviews_due_only_the_current_version(cast):
    old = _plan(cast, review_on=dt.date(2026, 3, 1))
    SafetyPlanVersionFactory(
        plan=old.plan,
        review_on=TODAY + dt.timedelta(days=30),
        recorded_by=cast.advocate,
        recorded_by_agency=cast.advocacy_a,
    )

    assert remind_plan_reviews_due(today=TODAY) == 0


def test_remind_plan_reviews_due_a_new_version_is_reminded_in_its_turn(cast):
    first = _plan(cast, review_on=dt.date(2026, 3, 1))
    remind_plan_reviews_due(today=TODAY)
    SafetyPlanVersionFactory(
        plan=first.plan,
        review_on=TODAY + dt.timedelta(days=7),
        recorded_by=cast.advocate,
        recorded_by_agency=cast.advocacy_a,
    )

    sent = remind_plan_reviews_due(today=TODAY + dt.timedelta(days=7))

    assert sent == 1
    assert len(_notices(cast.advocate)) == 2


def test_remind_plan_reviews_due_recorder_gone_tells_the_lead_managers(cast):
    leaver = UserFactory()
    MembershipFactory(
        user=leaver, agency=cast.advocacy_a, role=RoleName.CASE_WORKER, is_active=False
    )
    _plan(cast, review_on=TODAY, recorded_by=leaver)

    sent = remind_plan_reviews_due(today=TODAY)

    assert sent == 1
    assert _notices(leaver) == []
    assert len(_notices(cast.lead_manager)) == 1
    assert Membership.objects.get(user=cast.lead_manager).role == RoleName.TEAM_MANAGER


# Reviews due (for the dashboard) --------------------------------------------


def test_safety_plan_reviews_due_lists_current_versions_in_the_window(cast):
    overdue = _plan(cast, review_on=TODAY - dt.timedelta(days=3))
    other_victim = PersonFactory()
    soon = _plan(cast, review_on=TODAY + dt.timedelta(days=7), victim=other_victim)
    later_case = CaseFactory(lead_agency=cast.police_a)
    _plan(cast, review_on=TODAY + dt.timedelta(days=40), case=later_case)

    due = list(
        selectors.safety_plan_reviews_due(
            Case.objects.all(), today=TODAY, within_days=14
        )
    )

    assert due == [overdue, soon]


def test_safety_plan_reviews_due_only_the_given_cases_and_agency(cast):
    mine = _plan(cast, review_on=TODAY)
    _plan(
        cast,
        review_on=TODAY,
        victim=PersonFactory(),
        recorded_by=cast.lead_worker,
        agency=cast.police_a,
    )
    _plan(cast, review_on=TODAY, case=cast.other_case)

    due = selectors.safety_plan_reviews_due(
        Case.objects.filter(pk=cast.case.pk),
        today=TODAY,
        within_days=0,
        agency=cast.advocacy_a,
    )

    assert list(due) == [mine]


def test_safety_plan_reviews_due_ignores_superseded_versions(cast):
    old = _plan(cast, review_on=TODAY)
    SafetyPlanVersionFactory(
        plan=old.plan,
        review_on=TODAY + dt.timedelta(days=60),
        recorded_by=cast.advocate,
        recorded_by_agency=cast.advocacy_a,
    )

    due = selectors.safety_plan_reviews_due(
        Case.objects.all(), today=TODAY, within_days=14
    )

    assert not due.exists()


def _plans_on_new_cases(cast, count):
    for _ in range(count):
        case = CaseFactory(lead_agency=cast.police_a)
        victim = PersonFactory()
        CaseParticipantFactory(case=case, person=victim, role=ParticipantRole.VICTIM)
        _plan(cast, review_on=TODAY, case=case, victim=victim)


def _read_due():
    due = selectors.safety_plan_reviews_due(
        Case.objects.all(), today=TODAY, within_days=14
    )
    with CaptureQueriesContext(connection) as queries:
        for version in due:
            str(version.plan.case.reference)
            str(version.plan.victim.full_name)
            str(version.recorded_by.full_name)
            str(version.recorded_by_agency.name)
    return len(queries)


def test_safety_plan_reviews_due_query_count_is_constant(cast):
    _plans_on_new_cases(cast, 2)
    few = _read_due()
    _plans_on_new_cases(cast, 18)

    assert _read_due() == few == 1
    assert SafetyPlanVersion.objects.count() == 20


# The overview ----------------------------------------------------------------


def test_review_state_tags_overdue_and_due():
    assert selectors.ReviewState(TODAY - dt.timedelta(days=1), TODAY).overdue
    assert selectors.ReviewState(TODAY, TODAY).due
    assert selectors.ReviewState(TODAY + dt.timedelta(days=14), TODAY).due
    later = selectors.ReviewState(TODAY + dt.timedelta(days=15), TODAY)
    assert not later.due
    assert not later.overdue


def test_safety_overview_flags_a_scheduled_contact_the_rules_now_forbid(cast):
    VictimContactFactory(
        case=cast.case,
        victim=cast.victim,
        agency=cast.police_a,
        recorded_by=cast.lead_worker,
        scheduled_for=uk(2026, 3, 20, 11),
    )
    SafeContactPreference.objects.filter(person=cast.victim).update(
        forbidden_channels=["phone"], safe_channels=[]
    )

    [item] = selectors.safety_overview(case=cast.case, today=TODAY)

    [row] = item.scheduled
    assert not row.verdict.allowed
    assert item.current is None
    assert item.victim == cast.victim
