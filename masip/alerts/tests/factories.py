"""Factories for alerts."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from masip.accounts.tests.factories import AgencyFactory, UserFactory
from masip.alerts.models import Alert, RuleCode


class AlertFactory(DjangoModelFactory):
    class Meta:
        model = Alert

    rule = RuleCode.BREAK_GLASS
    agency = factory.SubFactory(AgencyFactory)
    subject = factory.SubFactory(UserFactory)
    case_reference = "STK-TEST-0001"
    summary = "Broke the glass to open case STK-TEST-0001."
    first_seen_at = factory.LazyFunction(timezone.now)
    last_seen_at = factory.LazyFunction(timezone.now)
