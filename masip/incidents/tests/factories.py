"""Factories for incidents."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from masip.accounts.tests.factories import AgencyFactory, UserFactory
from masip.cases.tests.factories import CaseFactory
from masip.incidents.models import Behaviour, Incident


class IncidentFactory(DjangoModelFactory):
    class Meta:
        model = Incident

    case = factory.SubFactory(CaseFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    behaviours = factory.LazyFunction(lambda: [Behaviour.CONTACTING.value])
    channels = factory.LazyFunction(lambda: ["text"])
    location = "Outside the victim's workplace"
    narrative = "Sent eleven messages overnight asking to meet."
    impact = "Could not sleep; afraid to leave work alone."
    recorded_by = factory.SubFactory(UserFactory)
    recorded_by_agency = factory.SubFactory(AgencyFactory)
