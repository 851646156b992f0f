"""The form pages about one order (``views._base.OrderFormView``): each shows
its form, saves through its service with the form's values and goes back to
the order with its message; a breach recorded goes to the breach, and a
possible breach already decided is not decided again."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from masip.orders import services
from masip.orders.models import (
    Breach,
    BreachReview,
    ChargeOutcome,
    ConditionKind,
    NotificationRequirement,
    OrderEvent,
    PoliceResponse,
)
from masip.orders.tests.factories import make_order, make_review
from masip.people.tests.factories import actor_for

ORDER_PAGES = (
    "condition-add",
    "serve",
    "vary",
    "renew",
    "discharge",
    "notification-change",
    "breach-record",
)


def _url(name, cast, public_id):
    return reverse(
        f"orders:{name}",
        kwargs={"reference": cast.case.reference, "public_id": public_id},
    )


def _date(prefix, day):
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_outsider_gets_404_on_the_order_form_pages(cast, client_for):
    order = make_order(cast)
    client = client_for("outsider")

    for name in ORDER_PAGES:
        url = _url(name, cast, order.public_id)
        assert client.get(url).status_code == 404, name
        assert client.post(url).status_code == 404, name


@pytest.mark.parametrize("name", ORDER_PAGES)
def test_order_form_page_shows_its_form(cast, client_for, name):
    order = make_order(cast)

    response = client_for("lead_worker").get(_url(name, cast, order.public_id))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<form" in page
    assert cast.case.reference in page


def _condition_add(cast, order, today):
    data = {
        "kind": ConditionKind.CURFEW,
        "wording": "Must stay at home from 7pm to 7am.",
    }

    def saved():
        return order.conditions.filter(kind=ConditionKind.CURFEW).exists()

    return data, "Condition added.", saved


def _vary(cast, order, today):
    ended = order.conditions.get(kind=ConditionKind.NO_CONTACT)
    data = {
        **_date("varied_on", today),
        "detail": "Synthetic: the court removed the no-contact condition.",
        "end_conditions": [str(ended.public_id)],
        "new_kind": ConditionKind.NO_POSTING,
        "new_wording": "Must not post about her online.",
        "version": str(order.version),
    }

    def saved():
        ended.refresh_from_db()
        added = order.conditions.get(kind=ConditionKind.NO_POSTING)
        return ended.ends_on == today and added.starts_on == today

    return data, "Variation recorded.", saved


def _renew(cast, order, today):
    expires = services.spo_minimum_expiry(today)
    data = {
        **_date("renewed_on", today),
        **_date("expires_on", expires),
        "detail": "Synthetic: renewed on application.",
        "version": str(order.version),
    }

    def saved():
        order.refresh_from_db()
        return order.expires_on == expires and order.version == 2

    return data, "Renewal recorded.", saved


def _discharge(cast, order, today):
    data = {
        **_date("discharged_on", today),
        "detail": "Synthetic: discharged on appeal.",
        "version": str(order.version),
    }

    def saved():
        order.refresh_from_db()
        return (
            order.discharged_on == today
            and order.events.filter(kind=OrderEvent.Kind.DISCHARGED).exists()
        )

    return data, "Discharge recorded.", saved


def _notification_change(cast, order, today):
    data = {
        "kind": NotificationRequirement.Kind.NEW_ADDRESS,
        **_date("changed_on", today),
    }

    def saved():
        requirement = order.notification_requirements.get(
            kind=NotificationRequirement.Kind.NEW_ADDRESS
        )
        return requirement.due_on == today + dt.timedelta(days=3)

    return data, "Change recorded", saved


@pytest.mark.parametrize(
    ("name", "arrange"),
    [
        ("condition-add", _condition_add),
        ("vary", _vary),
        ("renew", _renew),
        ("discharge", _discharge),
        ("notification-change", _notification_change),
    ],
)
def test_order_form_page_saves_and_goes_back_to_the_order(
    cast, client_for, name, arrange
):
    order = make_order(cast)
    client = client_for("lead_worker")
    data, message, saved = arrange(cast, order, timezone.localdate())

    response = client.post(_url(name, cast, order.public_id), data)

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "orders:detail",
        kwargs={"reference": cast.case.reference, "public_id": order.public_id},
    )
    assert saved()
    assert message in client.get(response["Location"]).content.decode()


def test_order_form_page_shows_a_refusal_on_its_field(cast, client_for):
    order = make_order(cast)
    before_made = order.made_on - dt.timedelta(days=1)

    response = client_for("lead_worker").post(
        _url("discharge", cast, order.public_id),
        {
            **_date("discharged_on", before_made),
            "detail": "Synthetic: kept in the form.",
            "version": str(order.version),
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The date discharged must be the same as or after the date made." in page
    assert "Synthetic: kept in the form." in page
    order.refresh_from_db()
    assert order.discharged_on is None


def test_breach_record_page_goes_to_the_breach(cast, client_for):
    order = make_order(cast)
    condition = order.conditions.get(kind=ConditionKind.NO_CONTACT)
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = client_for("lead_worker").post(
        _url("breach-record", cast, order.public_id),
        {
            "conditions": [str(condition.public_id)],
            **_date("occurred_on", yesterday),
            "description": "Synthetic: did not attend the assessment.",
            "police_response": PoliceResponse.WORDS_OF_ADVICE,
            "charge_outcome": ChargeOutcome.PENDING,
        },
    )

    breach = Breach.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("breach-detail", cast, breach.public_id)
    assert list(breach.conditions.all()) == [condition]
    assert breach.police_response == PoliceResponse.WORDS_OF_ADVICE


def test_review_already_decided_is_not_decided_again(cast, client_for):
    review = make_review(cast)
    services.review_dismiss(
        actor=actor_for(cast.lead_worker), review=review, reason="Synthetic: none."
    )
    client = client_for("lead_worker")

    response = client.post(
        _url("review-dismiss", cast, review.public_id),
        {"dismiss-reason": "Synthetic: a second decision."},
    )

    review.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "incidents:incident-detail",
        kwargs={
            "reference": cast.case.reference,
            "public_id": review.incident.public_id,
        },
    )
    assert review.status == BreachReview.Status.DISMISSED
    assert review.dismissal_reason == "Synthetic: none."
