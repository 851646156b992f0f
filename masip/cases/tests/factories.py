"""Factories for cases and what hangs off them."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from masip.accounts.tests.factories import AgencyFactory, UserFactory
from masip.cases.models import (
    BreakGlassGrant,
    Case,
    CaseAllocation,
    CaseNote,
    CaseParticipant,
    CaseShare,
    CaseStaffInvolvement,
    LawfulBasis,
    ParticipantRole,
    ReferralSource,
)
from masip.core.references import random_reference
from masip.people.tests.factories import PersonFactory


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.LazyFunction(lambda: random_reference("STK"))
    lead_agency = factory.SubFactory(AgencyFactory)
    referral_source = ReferralSource.POLICE
    referred_on = factory.LazyFunction(lambda: timezone.localdate())
    summary = "Repeated unwanted contact after the end of a relationship."
    created_by = factory.SubFactory(UserFactory)


class CaseParticipantFactory(DjangoModelFactory):
    class Meta:
        model = CaseParticipant

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory)
    role = ParticipantRole.VICTIM
    added_by = factory.SubFactory(UserFactory)


class CaseAllocationFactory(DjangoModelFactory):
    class Meta:
        model = CaseAllocation

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)
    agency = factory.SelfAttribute("case.lead_agency")
    allocated_by = factory.SubFactory(UserFactory)


class CaseShareFactory(DjangoModelFactory):
    class Meta:
        model = CaseShare

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(AgencyFactory)
    granted_by = factory.SubFactory(UserFactory)
    reason = "Joint management agreed at panel."
    lawful_basis = LawfulBasis.PUBLIC_TASK
    compartments = factory.LazyFunction(list)
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=90))


class CaseNoteFactory(DjangoModelFactory):
    class Meta:
        model = CaseNote

    case = factory.SubFactory(CaseFactory)
    kind = CaseNote.Kind.GENERAL
    text = "Spoke to the victim; no new contact this week."
    author = factory.SubFactory(UserFactory)
    agency = factory.SelfAttribute("case.lead_agency")


class BreakGlassGrantFactory(DjangoModelFactory):
    class Meta:
        model = BreakGlassGrant

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    reason = "Out-of-hours call reporting an immediate threat."
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=4))


class CaseStaffInvolvementFactory(DjangoModelFactory):
    class Meta:
        model = CaseStaffInvolvement

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(AgencyFactory)
    reason = "The person who stalks is a serving member of the agency's staff."
    marked_by = factory.SubFactory(UserFactory)
