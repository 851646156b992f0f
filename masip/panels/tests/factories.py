"""Factories for panels, meetings, agenda items and what hangs off them.

Shared by the panels, actions and packs tests: keep them simple and stable.
"""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from masip.accounts.tests.factories import AgencyFactory, SiteFactory, UserFactory
from masip.cases.models import ConsentStatus, LawfulBasis
from masip.cases.tests.factories import CaseFactory
from masip.panels.models import (
    Action,
    AgendaItem,
    Attendance,
    DataCategory,
    InformationShare,
    Meeting,
    Panel,
)


class PanelFactory(DjangoModelFactory):
    class Meta:
        model = Panel
        django_get_or_create = ("site",)
        skip_postgeneration_save = True

    site = factory.SubFactory(SiteFactory)
    name = factory.LazyAttribute(lambda o: f"{o.site.name} stalking panel")

    @factory.post_generation
    def member_agencies(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.member_agencies.set(extracted)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    panel = factory.SubFactory(PanelFactory)
    kind = Meeting.Kind.SCHEDULED
    status = Meeting.Status.PLANNED
    held_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    starts_at = dt.time(10, 0)
    location = "Committee room 2"
    created_by = factory.SubFactory(UserFactory)


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    case = factory.SubFactory(CaseFactory)
    reason = AgendaItem.Reason.ADDED
    reason_detail = ""
    position = factory.Sequence(lambda n: n + 1)


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    agency = factory.SubFactory(AgencyFactory)
    status = Attendance.Status.PRESENT
    attendees = "Test Attendee (detective sergeant)"


class InformationShareFactory(DjangoModelFactory):
    class Meta:
        model = InformationShare
        skip_postgeneration_save = True

    item = factory.SubFactory(AgendaItemFactory)
    case = factory.SelfAttribute("item.case")
    from_agency = factory.SubFactory(AgencyFactory)
    categories = factory.LazyFunction(lambda: [DataCategory.RISK.value])
    lawful_basis = LawfulBasis.PUBLIC_TASK
    condition = ""
    consent = ConsentStatus.NOT_SOUGHT
    consent_reason = "Seeking consent would increase the risk to the victim."
    necessity = "The panel needed the current risk picture to agree actions."
    recorded_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def to_agencies(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.to_agencies.set(extracted)


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    case = factory.SubFactory(CaseFactory)
    item = None
    owner_agency = factory.SelfAttribute("case.lead_agency")
    owner = None
    description = "Visit the victim to review the safety plan."
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    status = Action.Status.OPEN
    created_by = factory.SubFactory(UserFactory)


def cast_panel(cast):  # type: ignore[no-untyped-def]
    """Site A's panel for the standard cast (tests/personas.py): Police A,
    Probation A, NHS Trust A and Advocacy A sit on it; Police A's team
    manager chairs it. Made once; later calls return the same panel."""
    panel = PanelFactory(
        site=cast.police_a.site,
        name="Site A stalking panel",
        chair=cast.lead_manager,
    )
    panel.member_agencies.set(
        [cast.police_a, cast.probation_a, cast.nhs_a, cast.advocacy_a]
    )
    return panel
