"""Triage under row-level security: the coordinator's writes pass the policies
as the application's role (PostgreSQL only; SQLite relies on the policy)."""

import pytest
from django.db import connection

from masip.cases.models import Case, CaseParticipant, CaseShare, LawfulBasis
from masip.isolation.testing import as_role, make_app_role, reach_of
from masip.people.models import PersonIdentifier
from masip.people.tests.factories import actor_for
from masip.referrals import services
from masip.referrals.tests.factories import ReferralIdentifierFactory, referral_from

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row-level security exists on PostgreSQL only.",
    ),
]


def test_the_coordinator_accepts_as_the_application_role(cast):
    referral = referral_from(cast, perpetrator_aliases="Ro Testsuspecta")
    ReferralIdentifierFactory(referral=referral, kind="email", value="ro@example.test")
    role = make_app_role()

    with as_role(role), reach_of(cast.panel_coordinator):
        case = services.referral_accept(
            actor=actor_for(cast.panel_coordinator),
            referral=referral,
            lead_agency=cast.probation_a,
            agencies=[cast.police_a],
            lawful_basis=LawfulBasis.PUBLIC_TASK,
        )
        seen_by_coordinator = Case.objects.filter(pk=case.pk).exists()

    assert seen_by_coordinator
    assert CaseParticipant.objects.filter(case=case).count() == 2
    assert (
        PersonIdentifier.objects.filter(person__participations__case=case).count() == 1
    )
    assert CaseShare.objects.get(case=case).agency == cast.police_a
    with as_role(role), reach_of(cast.outsider):
        assert not Case.objects.filter(pk=case.pk).exists()
