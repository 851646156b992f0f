"""Demo orders: on a few open police-led cases of each site, a served full
SPO (its initial notification made), an interim SPO served four days before
the anchor whose notification is overdue, a restraining order expiring within
the dashboard's window, and police bail. One SPO has a confirmed breach (from
a text message) and another an incident waiting for review.

Written through the orders services, acting as the site's police worker, so
history, requirements, reviews and the audit trail are as in use. Idempotent:
a case that already has an order is left as it is. All text is synthetic.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from masip.access.actors import Actor
from masip.cases.models import Case, CaseParticipant, CaseStatus, ParticipantRole
from masip.demo.structure import Structure
from masip.incidents.services import incident_record
from masip.orders import services
from masip.orders.models import (
    BreachReview,
    ConditionKind,
    Order,
    OrderKind,
    PoliceResponse,
)
from masip.orders.services import ConditionSpec
from masip.people.models import Person

NO_CONTACT = ConditionSpec(
    kind=ConditionKind.NO_CONTACT,
    wording="Demo: must not contact the protected person directly or indirectly, "
    "by any means.",
    includes_indirect=True,
)
ZONE = ConditionSpec(
    kind=ConditionKind.EXCLUSION_ZONE,
    wording="Demo: must not enter the area marked on the map attached to the order.",
    zone_description="Demo: the streets within the demo ring road around the "
    "protected person's home (synthetic).",
)
NO_POSTING = ConditionSpec(
    kind=ConditionKind.NO_POSTING,
    wording="Demo: must not post anything about the protected person online.",
)
ASSESSMENT = ConditionSpec(
    kind=ConditionKind.ATTEND_ASSESSMENT,
    wording="Demo: must attend a mental health assessment within 8 weeks.",
)
RESIDENCE = ConditionSpec(
    kind=ConditionKind.RESIDENCE,
    wording="Demo: must live and sleep each night at the bail address.",
)


def ensure_orders(structure: Structure, *, anchor: dt.date) -> None:
    """Orders on up to four open police-led cases of each demo site."""
    for slug in structure.sites:
        police = structure.site_agency(slug, "police")
        worker = structure.worker(police.slug)
        membership = next(
            m
            for m in structure.memberships
            if m.user_id == worker.pk and m.agency_id == police.pk
        )
        actor = Actor(user=worker, membership=membership)
        cases = _cases(police.pk)
        if Order.objects.filter(case__in=[c for c, _, _ in cases]).exists():
            continue
        plans = (_full_spo, _interim_spo, _restraining, _bail)
        for plan, (case, perpetrator, protected) in zip(plans, cases, strict=False):
            plan(actor, case, perpetrator, protected, anchor=anchor)


def _cases(police_id: int) -> list[tuple[Case, Person, list[Person]]]:
    """Open cases led by the police agency with a perpetrator, first four."""
    found = []
    for case in (
        Case.objects.filter(lead_agency_id=police_id)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("reference")
    ):
        people = list(
            CaseParticipant.objects.filter(case=case).select_related("person")
        )
        perpetrator = next(
            (p.person for p in people if p.role == ParticipantRole.PERPETRATOR), None
        )
        victims = [p.person for p in people if p.role == ParticipantRole.VICTIM]
        if perpetrator is not None and victims:
            found.append((case, perpetrator, victims))
        if len(found) == 4:
            break
    return found


def _record(
    actor: Actor,
    case: Case,
    perpetrator: Person,
    protected: list[Person],
    **values: Any,
) -> Order:
    return services.order_record(
        actor=actor,
        case=case,
        subject=perpetrator,
        protected_persons=protected,
        owner_agency=actor.membership.agency,
        owner=actor.user,
        **values,
    )


def _at(day: dt.date, hour: int) -> dt.datetime:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
    return min(moment, timezone.now())


def _full_spo(
    actor: Actor,
    case: Case,
    perpetrator: Person,
    protected: list[Person],
    *,
    anchor: dt.date,
) -> None:
    made = anchor - dt.timedelta(days=120)
    order = _record(
        actor,
        case,
        perpetrator,
        protected,
        kind=OrderKind.SPO_FULL,
        court="Demo Magistrates' Court",
        court_reference="DEMO-SPO-0001",
        made_on=made,
        served_on=made + dt.timedelta(days=1),
        expires_on=services.spo_minimum_expiry(made),
        conditions=[NO_CONTACT, ZONE, NO_POSTING],
        today=anchor,
    )
    services.notification_made_record(
        actor=actor,
        requirement=order.notification_requirements.get(),
        notified_on=made + dt.timedelta(days=3),
        today=anchor,
    )
    # A text message a week ago: confirmed as a breach of the no-contact condition.
    incident = incident_record(
        actor=actor,
        case=case,
        occurred_at=_at(anchor - dt.timedelta(days=7), 21),
        behaviours=["contacting"],
        channels=["text"],
        narrative="Demo: a text message asking to meet, sent from a new number.",
        reported_to_police=True,
        crime_reference="DEMO/0101/26",
    )
    review = BreachReview.objects.get(incident=incident, order=order)
    services.review_confirm(
        actor=actor,
        review=review,
        conditions=list(review.suggested_conditions.all()),
        police_response=PoliceResponse.ARRESTED,
        description="Demo: arrested the next day and interviewed.",
    )


def _interim_spo(
    actor: Actor,
    case: Case,
    perpetrator: Person,
    protected: list[Person],
    *,
    anchor: dt.date,
) -> None:
    # Served 4 days before the anchor: the initial notification is overdue
    # (with the default of 3 days) and nothing has been notified.
    served = anchor - dt.timedelta(days=settings.MASIP_SPO_NOTIFY_DAYS + 1)
    order = _record(
        actor,
        case,
        perpetrator,
        protected,
        kind=OrderKind.SPO_INTERIM,
        court="Demo Magistrates' Court",
        court_reference="DEMO-ISPO-0002",
        made_on=served - dt.timedelta(days=1),
        served_on=served,
        expires_on=anchor + dt.timedelta(days=90),
        conditions=[NO_CONTACT, ZONE],
        today=anchor,
    )
    # Seen near her work yesterday: waiting for the police to review.
    incident_record(
        actor=actor,
        case=case,
        occurred_at=_at(anchor - dt.timedelta(days=1), 8),
        behaviours=["loitering", "watching"],
        channels=["in_person"],
        narrative="Demo: seen waiting across the road from her workplace.",
    )
    assert BreachReview.objects.filter(order=order).exists()


def _restraining(
    actor: Actor,
    case: Case,
    perpetrator: Person,
    protected: list[Person],
    *,
    anchor: dt.date,
) -> None:
    made = anchor - dt.timedelta(days=340)
    _record(
        actor,
        case,
        perpetrator,
        protected,
        kind=OrderKind.RESTRAINING_CONVICTION,
        court="Demo Crown Court",
        court_reference="DEMO-RO-0003",
        made_on=made,
        served_on=made,
        # Expires within the dashboard's 60-day window.
        expires_on=anchor + dt.timedelta(days=25),
        conditions=[NO_CONTACT, ASSESSMENT],
        today=anchor,
    )


def _bail(
    actor: Actor,
    case: Case,
    perpetrator: Person,
    protected: list[Person],
    *,
    anchor: dt.date,
) -> None:
    _record(
        actor,
        case,
        perpetrator,
        protected,
        kind=OrderKind.BAIL_POLICE,
        court_reference="DEMO-BAIL-0004",
        made_on=anchor - dt.timedelta(days=10),
        expires_on=anchor + dt.timedelta(days=50),
        conditions=[NO_CONTACT, RESIDENCE],
        today=anchor,
    )
