"""Factories for safety plans and victim contacts (synthetic text only).

The factories write rows directly, past the safe-contact rules: tests that
need the rules applied go through ``masip.safety.services``.
"""

from __future__ import annotations

import datetime as dt
import uuid

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from masip.accounts.tests.factories import AgencyFactory, UserFactory
from masip.cases.tests.factories import CaseFactory
from masip.people.tests.factories import PersonFactory
from masip.safety.contact_rules import ContactMethod
from masip.safety.models import SafetyPlan, SafetyPlanVersion, VictimContact


class SafetyPlanFactory(DjangoModelFactory):
    class Meta:
        model = SafetyPlan

    case = factory.SubFactory(CaseFactory)
    victim = factory.SubFactory(PersonFactory)


class SafetyPlanVersionFactory(DjangoModelFactory):
    """A version of a plan; ``plan.current_number`` follows it (the newest)."""

    class Meta:
        model = SafetyPlanVersion

    plan = factory.SubFactory(SafetyPlanFactory)
    number = factory.LazyAttribute(lambda o: o.plan.current_number + 1)
    home = "Locks changed; a door chain fitted."
    travel = "Varies the route to work."
    emergency = "Call 999, or 55 if unable to speak."
    review_on = factory.LazyFunction(
        lambda: timezone.localdate() + dt.timedelta(days=30)
    )
    recorded_by = factory.SubFactory(UserFactory)
    recorded_by_agency = factory.SubFactory(AgencyFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        version = super()._create(model_class, *args, **kwargs)
        plan = version.plan
        if version.number > plan.current_number:
            plan.current_number = version.number
            plan.save(update_fields=["current_number"])
        return version


class VictimContactFactory(DjangoModelFactory):
    """A call scheduled for tomorrow at 11am (UK time)."""

    class Meta:
        model = VictimContact

    case = factory.SubFactory(CaseFactory)
    victim = factory.SubFactory(PersonFactory)
    method = ContactMethod.CALL
    status = VictimContact.Status.SCHEDULED
    scheduled_for = factory.LazyFunction(
        lambda: timezone.make_aware(
            dt.datetime.combine(
                timezone.localdate() + dt.timedelta(days=1), dt.time(11, 0)
            )
        )
    )
    summary = "The hearing has moved to next week."
    agency = factory.SubFactory(AgencyFactory)
    recorded_by = factory.SubFactory(UserFactory)


def matrix_public_id(route: str, cast) -> uuid.UUID:  # type: ignore[no-untyped-def]
    """The record a safety route of the URL matrix is about: a contact
    scheduled by Police A on the cast's case (made once), or else the cast's
    victim."""
    if "contacts/<uuid:public_id>" in route:
        found = VictimContact.objects.filter(
            case=cast.case, status=VictimContact.Status.SCHEDULED
        ).first()
        contact = found or VictimContactFactory(
            case=cast.case,
            victim=cast.victim,
            agency=cast.police_a,
            recorded_by=cast.lead_worker,
        )
        return contact.public_id
    return cast.victim.public_id
