"""The access policy: reach, verbs and compartments for every persona."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from masip.access.permissions import Compartment, Permission
from masip.access.policy import Access
from masip.access.roles import RoleName
from masip.accounts.tests.factories import MembershipFactory
from masip.cases.models import CaseShare
from masip.cases.tests.factories import BreakGlassGrantFactory, CaseFactory
from tests.personas import PERSONAS, REACHES_CASE


@pytest.mark.parametrize("name", PERSONAS)
def test_visible_cases_matches_expected_reach(cast, name):
    access = Access(cast.persona(name))

    visible = set(access.visible_cases().values_list("pk", flat=True))

    assert (cast.case.pk in visible) is (name in REACHES_CASE)


@pytest.mark.parametrize("name", PERSONAS)
def test_case_for_out_of_reach_and_missing_both_raise_404(cast, name):
    access = Access(cast.persona(name))

    with pytest.raises(Http404):
        access.case_for("STK-NONE-XIST", need=Permission.CASE_VIEW)
    if name not in REACHES_CASE:
        with pytest.raises(Http404):
            access.case_for(cast.case.reference, need=Permission.CASE_VIEW)


@pytest.mark.parametrize("name", sorted(REACHES_CASE))
def test_case_access_agrees_with_visible_cases(cast, name):
    access = Access(cast.persona(name))

    case_access = access.case_access(cast.case)

    assert case_access.reaches
    assert case_access.can(Permission.CASE_VIEW)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lead_worker", {Compartment.VICTIM_CONTACT, Compartment.POLICE_INTEL}),
        ("lead_manager", {Compartment.VICTIM_CONTACT, Compartment.POLICE_INTEL}),
        ("partner_worker", set()),
        ("clinician", {Compartment.HEALTH}),
        ("advocate", {Compartment.VICTIM_CONTACT}),
        ("panel_coordinator", set()),
        ("auditor", set()),
    ],
)
def test_compartments_follow_role_agency_and_share(cast, name, expected):
    case_access = Access(cast.persona(name)).case_access(cast.case)

    assert case_access.compartments == expected


def test_share_limits_compartments_to_those_shared(cast):
    CaseShare.objects.filter(agency=cast.nhs_a).update(compartments=[])

    case_access = Access(cast.clinician).case_access(cast.case)

    assert case_access.compartments == frozenset()


def test_expired_share_removes_reach(cast):
    CaseShare.objects.filter(agency=cast.probation_a).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    with pytest.raises(Http404):
        Access(cast.partner_worker).case_for(
            cast.case.reference, need=Permission.CASE_VIEW
        )


def test_revoked_share_removes_reach(cast):
    CaseShare.objects.filter(agency=cast.probation_a).update(
        revoked_at=timezone.now(), revoked_by=cast.lead_manager
    )

    assert (
        not Access(cast.partner_worker).visible_cases().filter(pk=cast.case.pk).exists()
    )


def test_verb_without_permission_is_denied_when_in_reach(cast):
    access = Access(cast.lead_worker)

    with pytest.raises(PermissionDenied):
        access.case_for(cast.case.reference, need=Permission.CASE_SHARE)


def test_reach_and_verb_come_from_the_same_membership(cast):
    # A manager in site B who is only a case worker in Police A.
    MembershipFactory(
        user=cast.outsider_manager, agency=cast.police_a, role=RoleName.CASE_WORKER
    )
    access = Access(cast.outsider_manager)

    case_access = access.case_access(cast.case)

    assert case_access.can(Permission.CASE_EDIT)
    assert not case_access.can(Permission.CASE_SHARE)
    assert not case_access.can(Permission.CASE_CLOSE)


def test_helpline_adviser_reaches_only_own_referrals(cast):
    own = CaseFactory(lead_agency=cast.police_a, created_by=cast.helpline_adviser)

    visible = list(Access(cast.helpline_adviser).visible_cases())

    assert visible == [own]


def test_break_glass_grant_gives_time_limited_reach(cast):
    BreakGlassGrantFactory(
        case=cast.case, user=cast.outsider_manager, agency=cast.police_b
    )
    access = Access(cast.outsider_manager)

    case_access = access.case_access(cast.case)

    assert case_access.via_break_glass
    assert access.visible_cases().filter(pk=cast.case.pk).exists()


def test_expired_break_glass_grant_gives_nothing(cast):
    BreakGlassGrantFactory(
        case=cast.case,
        user=cast.outsider_manager,
        agency=cast.police_b,
        expires_at=timezone.now() - dt.timedelta(seconds=1),
    )

    assert (
        not Access(cast.outsider_manager)
        .visible_cases()
        .filter(pk=cast.case.pk)
        .exists()
    )


def test_inactive_user_reaches_nothing(cast):
    cast.lead_worker.is_active = False

    assert not Access(cast.lead_worker).visible_cases().exists()


def test_auditor_needs_purpose_and_lead_worker_does_not(cast):
    assert Access(cast.auditor).case_access(cast.case).requires_purpose
    assert not Access(cast.lead_worker).case_access(cast.case).requires_purpose


def test_user_without_memberships_reaches_nothing(cast):
    from masip.accounts.tests.factories import UserFactory

    access = Access(UserFactory())

    assert not access.visible_cases().exists()
    assert access.case_access(cast.case).reaches == ()


def test_break_glass_grant_from_an_agency_the_user_has_left_gives_nothing(cast):
    # The grant was made while the manager was in Police B; that membership is gone.
    BreakGlassGrantFactory(
        case=cast.case, user=cast.outsider_manager, agency=cast.police_a
    )

    access = Access(cast.outsider_manager)

    assert access.case_access(cast.case).reaches == ()
    assert not access.visible_cases().filter(pk=cast.case.pk).exists()
