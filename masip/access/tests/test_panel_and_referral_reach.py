"""The policy's doors for panels and referrals at their edges: a national
coordinator, a referral to another site, a referrer who moved agency."""

import pytest
from django.core.exceptions import PermissionDenied

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.access.roles import AgencyKind, RoleName
from masip.accounts.tests.factories import AgencyFactory, MembershipFactory, SiteFactory
from masip.panels.tests.factories import cast_panel
from masip.referrals.tests.factories import ReferralFactory, referral_from

pytestmark = pytest.mark.django_db


def test_acting_membership_refuses_a_verb_no_reach_grants(cast):
    case_access = Access(cast.partner_worker).case_access(cast.case)

    with pytest.raises(PermissionDenied):
        case_access.acting_membership(Permission.CASE_CLOSE)


def test_a_national_programme_office_runs_no_site_panel(cast):
    cast_panel(cast)
    national = AgencyFactory(kind=AgencyKind.PROGRAMME_OFFICE, site=None)
    coordinator = MembershipFactory(
        agency=national, role=RoleName.PANEL_COORDINATOR
    ).user

    assert not Access(coordinator).visible_panels(Permission.PANEL_MANAGE)
    assert not Access(coordinator).visible_panels(Permission.PANEL_VIEW)


def test_referral_for_refuses_a_verb_that_is_not_a_referral_verb(cast):
    referral = referral_from(cast)

    with pytest.raises(ValueError, match="not a referral verb"):
        Access(cast.lead_worker).referral_for(
            referral.public_id, need=Permission.CASE_VIEW
        )


def test_a_coordinator_acts_on_no_referral_to_another_site(cast):
    elsewhere = ReferralFactory(site=SiteFactory())

    with pytest.raises(PermissionDenied):
        Access(cast.panel_coordinator).referral_membership(
            elsewhere, Permission.REFERRAL_TRIAGE
        )


def test_a_referrer_who_moved_agency_acts_in_their_current_membership(cast):
    referral = referral_from(cast)
    referral.referring_agency = AgencyFactory(kind=AgencyKind.POLICE)

    acting = Access(cast.lead_worker).referral_membership(
        referral, Permission.REFERRAL_MAKE
    )

    assert acting.agency == cast.police_a


def test_someone_who_may_not_refer_acts_on_no_referral(cast):
    referral = referral_from(cast)

    with pytest.raises(PermissionDenied):
        Access(cast.analyst).referral_membership(referral, Permission.REFERRAL_MAKE)
