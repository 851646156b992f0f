"""Who reaches which referral, the triage queue and its targets, the choices."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.accounts.models import Membership
from masip.people.tests.factories import actor_for
from masip.referrals import selectors
from masip.referrals.models import ReferralStatus, Urgency
from masip.referrals.tests.factories import referral_from
from masip.risk.instruments import registry
from masip.risk.services import assessment_record

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 11, 12, 0, tzinfo=dt.UTC)


# Reach ---------------------------------------------------------------------------


def test_visible_referrals_are_the_users_own_and_their_sites(cast):
    mine = referral_from(cast)
    helpline = referral_from(cast, user=cast.helpline_adviser)
    elsewhere = referral_from(cast, user=cast.outsider, site=cast.police_b.site)

    def seen(user):
        return set(Access(user).visible_referrals())

    assert seen(cast.lead_worker) == {mine}
    assert seen(cast.helpline_adviser) == {helpline}
    assert seen(cast.panel_coordinator) == {mine, helpline}
    assert seen(cast.outsider) == {elsewhere}
    for user in (cast.lead_manager, cast.auditor, cast.analyst):
        assert seen(user) == set()
    assert elsewhere not in seen(cast.panel_coordinator)


def test_referral_for_answers_404_for_missing_and_out_of_reach_alike(cast):
    mine = referral_from(cast)
    elsewhere = referral_from(cast, site=cast.police_b.site)
    access = Access(cast.lead_manager)
    coordinator = Access(cast.panel_coordinator)

    for public_id in (mine.public_id, uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(Http404):
            access.referral_for(public_id, need=Permission.REFERRAL_MAKE)
    with pytest.raises(Http404):
        coordinator.referral_for(elsewhere.public_id, need=Permission.REFERRAL_TRIAGE)
    found = coordinator.referral_for(mine.public_id, need=Permission.REFERRAL_TRIAGE)
    assert found == mine


def test_referral_for_the_referrer_does_not_triage_their_own(cast):
    mine = referral_from(cast)

    with pytest.raises(PermissionDenied):
        Access(cast.lead_worker).referral_for(
            mine.public_id, need=Permission.REFERRAL_TRIAGE
        )
    with pytest.raises(PermissionDenied):
        Access(cast.panel_coordinator).referral_for(
            mine.public_id, need=Permission.REFERRAL_MAKE
        )


def test_a_switched_off_membership_reaches_no_referral(cast):
    mine = referral_from(cast)
    Membership.objects.filter(user=cast.panel_coordinator).update(is_active=False)

    assert not Access(cast.panel_coordinator).visible_referrals().exists()
    with pytest.raises(PermissionDenied):
        Access(cast.panel_coordinator).referral_for(
            mine.public_id, need=Permission.REFERRAL_TRIAGE
        )


def test_site_coordinators_are_the_active_triagers_of_the_site(cast):
    assert selectors.site_coordinators(cast.police_a.site) == [cast.panel_coordinator]
    assert selectors.site_coordinators(cast.police_b.site) == []

    Membership.objects.filter(user=cast.panel_coordinator).update(is_active=False)
    assert selectors.site_coordinators(cast.police_a.site) == []


# The queue -------------------------------------------------------------------------


def test_triage_queue_is_urgent_first_then_oldest(cast):
    hours = dt.timedelta(hours=1)
    old_routine = referral_from(cast, received_at=NOW - 50 * hours)
    new_urgent = referral_from(cast, received_at=NOW - 2 * hours, urgency="urgent")
    old_urgent = referral_from(cast, received_at=NOW - 30 * hours, urgency="urgent")
    new_routine = referral_from(cast, received_at=NOW - 1 * hours)
    referral_from(cast, status=ReferralStatus.MORE_INFO)
    referral_from(cast, site=cast.police_b.site)

    queue = list(selectors.triage_queue(Access(cast.panel_coordinator)))

    assert queue == [old_urgent, new_urgent, old_routine, new_routine]


def test_queue_rows_mark_the_overdue(cast):
    late_urgent = referral_from(
        cast, urgency=Urgency.URGENT, received_at=NOW - dt.timedelta(hours=25)
    )
    fresh_urgent = referral_from(
        cast, urgency=Urgency.URGENT, received_at=NOW - dt.timedelta(hours=23)
    )
    routine = referral_from(cast, received_at=NOW - dt.timedelta(hours=25))

    rows = selectors.queue_rows([late_urgent, fresh_urgent, routine], now=NOW)

    assert [row.overdue for row in rows] == [True, False, False]
    assert rows[2].due == NOW + dt.timedelta(hours=47)


def _accepted(cast, days_ago, reference):
    return referral_from(
        cast,
        status=ReferralStatus.ACCEPTED,
        case_reference=reference,
        triaged_by=cast.panel_coordinator,
        triaged_at=NOW - dt.timedelta(days=days_ago),
    )


def test_screening_overdue_lists_accepted_cases_never_assessed_in_time(cast):
    late = _accepted(cast, 11, cast.case.reference)
    _accepted(cast, 9, cast.case.reference)  # within the target
    coordinator = Access(cast.panel_coordinator)

    assert list(selectors.screening_overdue(coordinator, now=NOW)) == [late]

    assessment_record(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        instrument=registry().get("victim-check-in"),
        answers={
            "feeling_safe": 2,
            "feeling_supported": 3,
            "feeling_listened_to": 3,
            "fear": 8,
        },
    )
    assert list(selectors.screening_overdue(coordinator, now=NOW)) == []


def test_screening_rows_give_the_due_time(cast):
    late = _accepted(cast, 11, cast.case.reference)

    (row,) = selectors.screening_rows([late], now=NOW)

    assert row.due == NOW - dt.timedelta(days=1)
    assert row.overdue


# Choices -----------------------------------------------------------------------------


def test_referral_sites_are_those_with_a_panel_or_every_site(cast):
    from masip.panels.tests.factories import PanelFactory

    assert set(selectors.referral_sites()) == {
        cast.police_a.site,
        cast.police_b.site,
    }

    PanelFactory(site=cast.police_b.site)
    assert list(selectors.referral_sites()) == [cast.police_b.site]


def test_involve_agency_choices_are_the_panels_members_or_the_sites(cast):
    from masip.panels.tests.factories import PanelFactory

    site = cast.police_a.site
    assert set(selectors.involve_agency_choices(site)) == {
        cast.police_a,
        cast.probation_a,
        cast.nhs_a,
        cast.advocacy_a,
    }

    PanelFactory(site=site, member_agencies=[cast.probation_a, cast.nhs_a])
    assert list(selectors.involve_agency_choices(site)) == [
        cast.nhs_a,
        cast.probation_a,
    ]


def test_source_for_follows_the_referrers_agency(cast):
    assert selectors.source_for(cast.police_a) == "police"
    assert selectors.source_for(cast.nhs_a) == "health"
    assert selectors.source_for(cast.helpline) == "helpline"
    assert selectors.source_for(cast.programme_a) == ""
