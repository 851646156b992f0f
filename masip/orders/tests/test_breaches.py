"""Breach reviews opened by incidents, confirming and dismissing them,
breaches recorded directly, and their updates."""

import datetime as dt

import pytest
from django.utils import timezone

from masip.accounts.models import Notification
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.core.errors import StaleEditError
from masip.incidents import services as incident_services
from masip.orders import services
from masip.orders.models import (
    Breach,
    BreachReview,
    ChargeOutcome,
    ConditionKind,
    OrderKind,
    PoliceResponse,
)
from masip.orders.services import OrderRefused
from masip.orders.tests.factories import ASSESSMENT, make_order, make_review
from masip.people.tests.factories import actor_for
from masip.risk.models import ReviewFlag

pytestmark = pytest.mark.django_db


def _text_incident(cast, by=None, **values):
    return incident_services.incident_record(
        actor=actor_for(by or cast.lead_worker),
        case=cast.case,
        occurred_at=values.pop("occurred_at", timezone.now() - dt.timedelta(hours=2)),
        behaviours=values.pop("behaviours", ["contacting"]),
        channels=values.pop("channels", ["text"]),
        narrative="Synthetic: a message asking to meet.",
        **values,
    )


def test_recording_an_incident_opens_one_review_per_order(cast):
    order = make_order(cast)

    incident = _text_incident(cast)

    review = BreachReview.objects.get(incident=incident)
    assert review.order == order
    assert review.is_open
    [suggested] = review.suggested_conditions.all()
    assert suggested.kind == ConditionKind.NO_CONTACT
    assert review.reasons == [
        {
            "condition": str(suggested.public_id),
            "reason": "A text message and contacting or trying to contact while "
            "'No contact, direct or indirect' is in force",
        }
    ]
    assert AuditEvent.objects.filter(
        event_type=EventType.BREACH_REVIEW_OPENED, target_id=str(review.public_id)
    ).exists()


def test_review_tells_the_order_owner(cast):
    make_order(cast, owner=cast.lead_worker)

    _text_incident(cast, by=cast.advocate)

    notice = Notification.objects.get(kind=Notification.Kind.BREACH_REVIEW)
    assert notice.recipient == cast.lead_worker
    assert notice.case_reference == cast.case.reference
    assert "may breach the Stalking Protection Order" in notice.message


def test_review_with_no_owner_tells_the_owner_agencys_managers(cast):
    make_order(cast, owner=None)

    _text_incident(cast)

    recipients = set(
        Notification.objects.filter(kind=Notification.Kind.BREACH_REVIEW).values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {cast.lead_manager.pk}


def test_an_incident_before_the_order_opens_no_review(cast):
    make_order(cast)

    incident = _text_incident(cast, occurred_at=timezone.now() - dt.timedelta(days=60))

    assert not BreachReview.objects.filter(incident=incident).exists()


def test_review_does_not_tell_the_owner_who_recorded_the_incident(cast):
    make_order(cast, owner=cast.lead_worker)

    _text_incident(cast)

    assert not Notification.objects.filter(kind=Notification.Kind.BREACH_REVIEW)


def test_review_incident_is_idempotent(cast):
    make_order(cast)
    incident = _text_incident(cast)

    again = services.review_incident(
        actor=actor_for(cast.lead_worker), case=cast.case, incident=incident
    )

    assert again == []
    assert BreachReview.objects.filter(incident=incident).count() == 1
    assert (
        AuditEvent.objects.filter(event_type=EventType.BREACH_REVIEW_OPENED).count()
        == 1
    )


def test_an_update_that_adds_a_channel_adds_the_newly_suggested_condition(cast):
    make_order(cast)
    incident = _text_incident(cast)

    incident_services.incident_update(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        incident=incident,
        version=incident.version,
        channels=["text", "in_person"],
        behaviours=["contacting", "loitering"],
    )

    review = BreachReview.objects.get(incident=incident)
    kinds = {c.kind for c in review.suggested_conditions.all()}
    assert kinds == {ConditionKind.NO_CONTACT, ConditionKind.EXCLUSION_ZONE}
    assert len(review.reasons) == 2


def test_an_update_opens_a_review_when_an_order_is_newly_breached(cast):
    make_order(cast)
    incident = _text_incident(cast, channels=["vexatious"], behaviours=["other"])
    assert not BreachReview.objects.filter(incident=incident).exists()

    incident_services.incident_update(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        incident=incident,
        version=incident.version,
        channels=["email"],
    )

    assert BreachReview.objects.filter(incident=incident).exists()


def test_confirming_records_the_breach_and_marks_a_risk_review(cast):
    review = make_review(cast)
    condition = review.suggested_conditions.get()

    breach = services.review_confirm(
        actor=actor_for(cast.lead_worker),
        review=review,
        conditions=[condition],
        police_response=PoliceResponse.ARRESTED,
        charge_outcome=ChargeOutcome.CHARGED_BREACH_AND_NEW,
    )

    review.refresh_from_db()
    assert review.status == BreachReview.Status.CONFIRMED
    assert review.breach == breach
    assert review.decided_by == cast.lead_worker
    assert breach.incident == review.incident
    assert list(breach.conditions.all()) == [condition]
    flag = ReviewFlag.objects.get(
        case=cast.case,
        incident=review.incident,
        cleared_at=None,
        reason__startswith="A breach",
    )
    assert flag.kind == ReviewFlag.Kind.INCIDENT
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {
        EventType.BREACH_RECORDED,
        EventType.BREACH_REVIEW_DECIDED,
        EventType.RISK_REVIEW_FLAGGED,
    } <= events


def test_confirming_tells_the_owner_and_the_lead_agencys_managers(cast):
    review = make_review(cast)

    services.review_confirm(
        actor=actor_for(cast.partner_worker),
        review=review,
        conditions=list(review.suggested_conditions.all()),
        police_response=PoliceResponse.UNDER_INVESTIGATION,
    )

    told = set(
        Notification.objects.filter(
            kind=Notification.Kind.BREACH_CONFIRMED
        ).values_list("recipient", flat=True)
    )
    assert told == {cast.lead_worker.pk, cast.lead_manager.pk}


def test_confirming_may_choose_another_condition_of_the_order(cast):
    review = make_review(cast)
    zone = review.order.conditions.get(kind=ConditionKind.EXCLUSION_ZONE)

    breach = services.review_confirm(
        actor=actor_for(cast.lead_worker),
        review=review,
        conditions=[zone],
        police_response=PoliceResponse.UNDER_INVESTIGATION,
    )

    assert list(breach.conditions.all()) == [zone]


def test_confirming_without_conditions_is_refused(cast):
    review = make_review(cast)

    with pytest.raises(OrderRefused, match="Select the conditions breached"):
        services.review_confirm(
            actor=actor_for(cast.lead_worker),
            review=review,
            conditions=[],
            police_response=PoliceResponse.ARRESTED,
        )
    review.refresh_from_db()
    assert review.is_open


def test_a_condition_of_another_order_is_refused(cast):
    review = make_review(cast)
    other = make_order(
        cast, kind=OrderKind.BAIL_POLICE, served_on=None, expires_on=None
    )
    services.condition_add(
        actor=actor_for(cast.lead_worker),
        order=other,
        kind=ConditionKind.NO_CONTACT,
        wording="No contact.",
    )

    with pytest.raises(OrderRefused, match="conditions of this order"):
        services.review_confirm(
            actor=actor_for(cast.lead_worker),
            review=review,
            conditions=list(other.conditions.all()),
            police_response=PoliceResponse.ARRESTED,
        )


def test_dismissing_needs_a_reason_and_keeps_it(cast):
    review = make_review(cast)

    with pytest.raises(OrderRefused, match="why it is not a breach"):
        services.review_dismiss(
            actor=actor_for(cast.lead_worker), review=review, reason="  "
        )
    dismissed = services.review_dismiss(
        actor=actor_for(cast.lead_worker),
        review=review,
        reason="The message was sent before the order was served.",
    )

    assert dismissed.status == BreachReview.Status.DISMISSED
    assert dismissed.dismissal_reason.startswith("The message")
    assert not Breach.objects.exists()


def test_a_decided_review_cannot_be_decided_again(cast):
    review = make_review(cast)
    services.review_dismiss(
        actor=actor_for(cast.lead_worker), review=review, reason="Not him."
    )

    with pytest.raises(OrderRefused, match="already been reviewed"):
        services.review_confirm(
            actor=actor_for(cast.lead_worker),
            review=review,
            conditions=list(review.suggested_conditions.all()),
            police_response=PoliceResponse.ARRESTED,
        )


def test_a_breach_of_a_positive_requirement_is_recorded_directly(cast):
    order = make_order(cast, conditions=[ASSESSMENT])

    breach = services.breach_record(
        actor=actor_for(cast.lead_worker),
        order=order,
        conditions=list(order.conditions.all()),
        occurred_at=timezone.now() - dt.timedelta(days=2),
        description="Synthetic: did not attend the assessment.",
        police_response=PoliceResponse.VOLUNTARY_INTERVIEW,
    )

    assert breach.incident is None
    assert breach.charge_outcome == ChargeOutcome.PENDING
    assert ReviewFlag.objects.filter(case=cast.case, incident=None).exists()


def test_a_direct_breach_needs_what_happened(cast):
    order = make_order(cast)

    with pytest.raises(OrderRefused, match="what happened"):
        services.breach_record(
            actor=actor_for(cast.lead_worker),
            order=order,
            conditions=list(order.conditions.all()),
            occurred_at=timezone.now(),
            description="",
            police_response=PoliceResponse.ARRESTED,
        )


def test_breach_update_saves_the_outcome_and_audits_the_fields(cast):
    review = make_review(cast)
    breach = services.review_confirm(
        actor=actor_for(cast.lead_worker),
        review=review,
        conditions=list(review.suggested_conditions.all()),
        police_response=PoliceResponse.ARRESTED,
    )

    updated = services.breach_update(
        actor=actor_for(cast.lead_worker),
        breach=breach,
        version=breach.version,
        police_response=PoliceResponse.ARRESTED,
        police_response_note="",
        charge_outcome=ChargeOutcome.CONVICTED,
        charge_outcome_note="Synthetic: convicted at the magistrates' court.",
    )

    assert updated.version == breach.version + 1
    event = AuditEvent.objects.get(event_type=EventType.BREACH_UPDATED)
    assert set(event.changed_fields) == {"charge_outcome", "charge_outcome_note"}


def test_breach_update_on_a_stale_version_is_refused_with_the_stored_values(cast):
    review = make_review(cast)
    breach = services.review_confirm(
        actor=actor_for(cast.lead_worker),
        review=review,
        conditions=list(review.suggested_conditions.all()),
        police_response=PoliceResponse.ARRESTED,
    )
    values = {
        "police_response": PoliceResponse.ARRESTED,
        "police_response_note": "",
        "charge_outcome_note": "",
    }
    services.breach_update(
        actor=actor_for(cast.lead_worker),
        breach=breach,
        version=1,
        charge_outcome=ChargeOutcome.CAUTION,
        **values,
    )

    with pytest.raises(StaleEditError) as stale:
        services.breach_update(
            actor=actor_for(cast.lead_manager),
            breach=breach,
            version=1,
            charge_outcome=ChargeOutcome.CONVICTED,
            **values,
        )

    assert stale.value.current["charge_outcome"] == ChargeOutcome.CAUTION
    assert stale.value.current_version == 2
