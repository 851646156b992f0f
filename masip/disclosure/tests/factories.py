"""Factories for subject access requests (synthetic data only)."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from masip.accounts.tests.factories import AgencyFactory, UserFactory
from masip.core.references import random_reference
from masip.disclosure import deadlines
from masip.disclosure.models import Regime, SubjectAccessRequest


class SubjectAccessRequestFactory(DjangoModelFactory):
    class Meta:
        model = SubjectAccessRequest

    reference = factory.LazyFunction(lambda: random_reference("SAR"))
    agency = factory.SubFactory(AgencyFactory)
    regime = Regime.UK_GDPR
    requester_given_name = "Blake"
    requester_family_name = "Testperp"
    requester_date_of_birth = dt.date(1985, 6, 1)
    received_on = factory.LazyFunction(timezone.localdate)
    clock_started_on = factory.SelfAttribute("received_on")
    due_on = factory.LazyAttribute(lambda o: deadlines.due_date(o.received_on))
    recorded_by = factory.SubFactory(UserFactory)
