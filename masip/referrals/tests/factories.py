"""Factories for referrals (synthetic names only)."""

import factory
from factory.django import DjangoModelFactory

from masip.accounts.tests.factories import AgencyFactory, SiteFactory, UserFactory
from masip.cases.models import ReferralSource
from masip.referrals.models import (
    Referral,
    ReferralConsent,
    ReferralIdentifier,
    Urgency,
)


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    site = factory.SubFactory(SiteFactory)
    referring_agency = factory.SubFactory(AgencyFactory)
    referred_by = factory.SubFactory(UserFactory)
    source = ReferralSource.POLICE
    urgency = Urgency.ROUTINE
    reason = "Repeated unwanted messages and visits to the victim's workplace."
    actions_taken = "Crime report made; safety advice given."
    consent = ReferralConsent.GIVEN
    consent_reason = "The victim asked for support from the programme."
    victim_given_name = factory.Sequence(lambda n: f"Vicgiven{n}")
    victim_family_name = "Testreferred"
    perpetrator_given_name = factory.Sequence(lambda n: f"Perpgiven{n}")
    perpetrator_family_name = "Testsuspect"


class ReferralIdentifierFactory(DjangoModelFactory):
    class Meta:
        model = ReferralIdentifier

    referral = factory.SubFactory(ReferralFactory)
    kind = "phone"
    value = "07700 900999"


def referral_from(cast, user=None, **kwargs):  # type: ignore[no-untyped-def]
    """A referral made by ``user`` (``cast.lead_worker``: Police A) to site A."""
    user = user or cast.lead_worker
    agency = user.memberships.get().agency
    kwargs.setdefault("site", cast.police_a.site)
    return ReferralFactory(referred_by=user, referring_agency=agency, **kwargs)
