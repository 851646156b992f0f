"""Blocks: staff-involved cases and declared conflicts of interest beat reach."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from masip.access.permissions import Permission
from masip.access.policy import Access, Block, CaseBlocked
from masip.access.roles import AgencyKind, RoleName
from masip.accounts.tests.factories import (
    AgencyFactory,
    ConflictDeclarationFactory,
    MembershipFactory,
)
from masip.cases.models import ParticipantRole
from masip.cases.tests.factories import (
    BreakGlassGrantFactory,
    CaseParticipantFactory,
    CaseStaffInvolvementFactory,
)
from masip.people.models import DatePrecision, PersonAlias
from masip.people.tests.factories import PersonFactory

POLICE_A_STAFF = ("lead_worker", "lead_manager", "agency_admin")


def _visible(user, case):
    return Access(user).visible_cases().filter(pk=case.pk).exists()


def _reaches(user, case):
    return bool(Access(user).case_access(case).reaches)


# Staff-involved ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["lead_worker", "lead_manager"])
def test_marking_the_lead_agency_closes_the_case_to_its_staff(cast, name):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_a)
    user = cast.persona(name)

    assert not _visible(user, cast.case)
    assert not _reaches(user, cast.case)
    with pytest.raises(CaseBlocked) as blocked:
        Access(user).case_for(cast.case.reference, need=Permission.CASE_VIEW)
    assert blocked.value.block == Block.STAFF_INVOLVED
    assert blocked.value.membership.agency == cast.police_a


def test_a_staff_involved_block_is_a_404(cast):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_a)

    with pytest.raises(Http404):
        Access(cast.lead_worker).case_for(
            cast.case.reference, need=Permission.CASE_VIEW
        )


def test_marking_one_agency_leaves_the_others_in_reach(cast):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.probation_a)

    assert not _visible(cast.partner_worker, cast.case)
    assert _visible(cast.lead_worker, cast.case)
    assert _visible(cast.clinician, cast.case)


def test_professional_standards_reach_only_their_agencys_marked_cases(cast):
    access = Access(cast.professional_standards)
    assert not access.visible_cases().exists()

    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_a)
    CaseStaffInvolvementFactory(case=cast.other_case, agency=cast.police_b)
    access = Access(cast.professional_standards)

    assert list(access.visible_cases()) == [cast.case]
    case_access = access.case_access(cast.case)
    assert [r.via for r in case_access.reaches] == ["staff_involved"]
    assert case_access.requires_purpose
    assert not case_access.can(Permission.CASE_EDIT)


def test_professional_standards_see_no_victim_location(cast):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_a)

    case_access = Access(cast.professional_standards).case_access(cast.case)

    assert case_access.compartments == {"police_intel"}


def test_cleared_mark_reopens_the_case(cast):
    CaseStaffInvolvementFactory(
        case=cast.case,
        agency=cast.police_a,
        cleared_at=timezone.now(),
        cleared_by=cast.lead_manager,
    )

    assert _visible(cast.lead_worker, cast.case)
    assert not _visible(cast.professional_standards, cast.case)


def test_staff_of_two_agencies_are_blocked_by_either(cast):
    # A case worker in Probation A who also works a few shifts for Police B.
    MembershipFactory(user=cast.partner_worker, agency=cast.police_b)
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_b)

    with pytest.raises(CaseBlocked) as blocked:
        Access(cast.partner_worker).case_for(
            cast.case.reference, need=Permission.CASE_VIEW
        )

    assert blocked.value.membership.agency == cast.police_b


def test_inactive_membership_does_not_make_someone_staff(cast):
    MembershipFactory(user=cast.partner_worker, agency=cast.police_b, is_active=False)
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_b)

    assert _visible(cast.partner_worker, cast.case)


def test_professional_standards_role_in_an_unfit_agency_grants_nothing(cast):
    advocacy_b = AgencyFactory(kind=AgencyKind.ADVOCACY, site=cast.police_b.site)
    misfit = MembershipFactory(
        agency=advocacy_b, role=RoleName.PROFESSIONAL_STANDARDS
    ).user
    CaseStaffInvolvementFactory(case=cast.case, agency=advocacy_b)
    access = Access(misfit)

    assert access.memberships == []
    assert access.staff_memberships[0].agency == advocacy_b
    assert not access.visible_cases().exists()
    assert not access.has(Permission.CONFLICT_VIEW_STAFF)


def test_break_glass_cannot_open_a_blocked_case(cast):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_a)
    BreakGlassGrantFactory(case=cast.case, user=cast.lead_manager, agency=cast.police_a)

    assert not _visible(cast.lead_manager, cast.case)
    assert not _reaches(cast.lead_manager, cast.case)
    assert Access(cast.lead_manager).block_on(cast.case) == Block.STAFF_INVOLVED


def test_block_on_is_none_for_an_open_case_or_a_user_without_roles(cast):
    assert Access(cast.outsider_manager).block_on(cast.case) is None
    MembershipFactory(user=cast.analyst, is_active=False)
    assert Access(cast.analyst).block_on(cast.case) is None


def test_block_on_for_someone_with_no_membership(cast):
    cast.outsider.memberships.update(is_active=False)

    assert Access(cast.outsider).block_on(cast.case) is None


def test_missing_case_is_plain_404_for_someone_with_no_membership(cast):
    cast.outsider.memberships.update(is_active=False)

    with pytest.raises(Http404) as raised:
        Access(cast.outsider).case_for(cast.case.reference, need=Permission.CASE_VIEW)

    assert not isinstance(raised.value, CaseBlocked)


def test_staff_involved_marker_is_the_lead_manager_or_professional_standards(cast):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.probation_a)
    # A team manager in a sharing agency holds the verb but not through the lead.
    nhs_manager = MembershipFactory(agency=cast.nhs_a, role=RoleName.TEAM_MANAGER).user
    ps_probation = MembershipFactory(
        agency=cast.probation_a, role=RoleName.PROFESSIONAL_STANDARDS
    )

    def marker(user):
        return Access(user).case_access(cast.case).staff_involved_marker()

    assert marker(cast.lead_manager).agency == cast.police_a
    assert marker(ps_probation.user) == ps_probation
    assert marker(cast.lead_worker) is None
    assert marker(nhs_manager) is None


# Conflicts of interest ------------------------------------------------------------


def _declare(user, person, **extra):
    return ConflictDeclarationFactory(
        user=user,
        given_name=person.given_name.upper(),
        family_name=person.family_name.lower(),
        **extra,
    )


def test_declared_conflict_closes_every_case_of_the_person(cast):
    _declare(cast.lead_worker, cast.perpetrator)

    assert not _visible(cast.lead_worker, cast.case)
    assert not _reaches(cast.lead_worker, cast.case)
    with pytest.raises(CaseBlocked) as blocked:
        Access(cast.lead_worker).case_for(
            cast.case.reference, need=Permission.CASE_VIEW
        )
    assert blocked.value.block == Block.CONFLICT
    assert _visible(cast.lead_manager, cast.case)


def test_withdrawn_conflict_reopens(cast):
    _declare(cast.lead_worker, cast.perpetrator, withdrawn_at=timezone.now())

    assert _visible(cast.lead_worker, cast.case)


def test_another_users_conflict_does_not_close_the_case(cast):
    _declare(cast.lead_manager, cast.victim)

    assert _visible(cast.lead_worker, cast.case)


@pytest.mark.parametrize(
    ("person_dob", "precision", "declared_dob", "blocked"),
    [
        (dt.date(1990, 5, 1), DatePrecision.EXACT, dt.date(1990, 5, 1), True),
        (dt.date(1990, 5, 1), DatePrecision.EXACT, dt.date(1991, 5, 1), False),
        (dt.date(1990, 5, 1), DatePrecision.EXACT, None, True),
        (dt.date(1990, 1, 1), DatePrecision.APPROXIMATE, dt.date(1985, 2, 2), True),
        (None, DatePrecision.UNKNOWN, dt.date(1985, 2, 2), True),
        (None, DatePrecision.EXACT, dt.date(1985, 2, 2), True),
    ],
)
def test_date_of_birth_narrows_only_against_an_exact_one(
    cast, person_dob, precision, declared_dob, blocked
):
    cast.perpetrator.date_of_birth = person_dob
    cast.perpetrator.birth_date_precision = precision
    cast.perpetrator.save()
    _declare(cast.lead_worker, cast.perpetrator, date_of_birth=declared_dob)

    assert _visible(cast.lead_worker, cast.case) is not blocked


def test_conflict_matches_an_alias(cast):
    PersonAlias.objects.create(person=cast.perpetrator, name="bobby  DAZZLER")
    ConflictDeclarationFactory(
        user=cast.lead_worker, given_name="Bobby", family_name="Dazzler"
    )
    # Extra inner spaces in an alias are not matched: the alias is stored
    # as typed, and "bobby  DAZZLER" differs from "Bobby Dazzler".
    assert _visible(cast.lead_worker, cast.case)

    PersonAlias.objects.create(person=cast.perpetrator, name="bobby DAZZLER")

    assert not _visible(cast.lead_worker, cast.case)


def test_conflict_follows_the_person_onto_new_cases(cast):
    _declare(cast.outsider, cast.victim)
    assert _visible(cast.outsider, cast.other_case)

    CaseParticipantFactory(
        case=cast.other_case,
        person=cast.victim,
        role=ParticipantRole.WITNESS,
        added_by=cast.outsider,
    )

    assert not _visible(cast.outsider, cast.other_case)


def test_same_name_on_an_unrelated_case_is_blocked_too(cast):
    namesake = PersonFactory(given_name="Blake", family_name="Testperp")
    CaseParticipantFactory(case=cast.other_case, person=namesake)
    _declare(cast.outsider, cast.perpetrator)

    assert not _visible(cast.outsider, cast.other_case)


def test_navigation_offers_conflicts_to_staff_only(cast):
    labels = [item["label"] for item in Access(cast.lead_worker).navigation]

    assert "Conflicts of interest" in labels
