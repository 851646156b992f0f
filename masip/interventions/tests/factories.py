"""Factories for interventions, their sessions and custody, and the record
the URL matrix (tests/access/test_url_matrix.py) opens for each route."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from masip.accounts.tests.factories import AgencyFactory, UserFactory
from masip.cases.tests.factories import CaseFactory
from masip.interventions.models import Custody, Intervention, InterventionSession
from masip.people.tests.factories import PersonFactory

if TYPE_CHECKING:
    from tests.personas import Cast


class InterventionFactory(DjangoModelFactory):
    class Meta:
        model = Intervention

    case = factory.SubFactory(CaseFactory)
    subject = factory.SubFactory(PersonFactory)
    kind = Intervention.Kind.PROBATION_SUPERVISION
    provider_agency = factory.SubFactory(AgencyFactory)
    started_on = factory.LazyFunction(
        lambda: timezone.localdate() - dt.timedelta(days=30)
    )
    status = Intervention.Status.ACTIVE
    recorded_by = factory.SubFactory(UserFactory)
    recorded_by_agency = factory.SelfAttribute("provider_agency")


class InterventionSessionFactory(DjangoModelFactory):
    class Meta:
        model = InterventionSession

    intervention = factory.SubFactory(InterventionFactory)
    on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    attendance = InterventionSession.Attendance.ATTENDED
    recorded_by = factory.SubFactory(UserFactory)


class CustodyFactory(DjangoModelFactory):
    class Meta:
        model = Custody

    case = factory.SubFactory(CaseFactory)
    subject = factory.SubFactory(PersonFactory)
    kind = Custody.Kind.REMAND
    establishment = "HMP Exampleton"
    started_on = factory.LazyFunction(
        lambda: timezone.localdate() - dt.timedelta(days=60)
    )
    expected_release_on = factory.LazyFunction(
        lambda: timezone.localdate() + dt.timedelta(days=90)
    )
    recorded_by = factory.SubFactory(UserFactory)
    recorded_by_agency = factory.SubFactory(AgencyFactory)


def supervision_for(cast: Cast, **kwargs: object) -> Intervention:
    """Probation supervision of the cast's perpetrator, active, by Probation A."""
    values: dict[str, object] = {
        "case": cast.case,
        "subject": cast.perpetrator,
        "provider_agency": cast.probation_a,
        "recorded_by": cast.partner_worker,
        "recorded_by_agency": cast.probation_a,
    }
    values.update(kwargs)
    return InterventionFactory(**values)


def custody_for(cast: Cast, **kwargs: object) -> Custody:
    """The cast's perpetrator on remand, recorded by Police A."""
    values: dict[str, object] = {
        "case": cast.case,
        "subject": cast.perpetrator,
        "recorded_by": cast.lead_worker,
        "recorded_by_agency": cast.police_a,
    }
    values.update(kwargs)
    return CustodyFactory(**values)


def matrix_public_id(route: str, cast: Cast) -> uuid.UUID:
    """The record a route under /cases/<ref>/interventions/ is about, on the
    cast's case, made once: a custody period for custody routes, else an
    active probation supervision (open, so every form answers)."""
    if "/interventions/custody/" in route:
        custody = Custody.objects.filter(case=cast.case).first()
        return (custody or custody_for(cast)).public_id
    found = Intervention.objects.filter(case=cast.case).first()
    return (found or supervision_for(cast)).public_id
