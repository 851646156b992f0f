"""Incidents and orders: recording an incident while an order is in force
opens a review, the incident page shows the possible breach, and the case
timeline shows orders and breaches to readers who may see orders."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from masip.incidents.models import Incident
from masip.orders.models import BreachReview
from masip.orders.tests.factories import make_breach, make_order

pytestmark = pytest.mark.django_db


def _record_text_message(client, cast):
    day = timezone.localdate() - dt.timedelta(days=1)
    return client.post(
        reverse("incidents:incident-record", kwargs={"reference": cast.case.reference}),
        {
            "occurred_on_day": str(day.day),
            "occurred_on_month": str(day.month),
            "occurred_on_year": str(day.year),
            "occurred_time": "21:10",
            "time_precision": "exact",
            "behaviours": ["contacting"],
            "channels": ["text"],
            "narrative": "Synthetic: a text asking to meet her.",
            "reported_to_police": "no",
            "location": "",
            "location_confidentiality": "standard",
        },
    )


def test_an_incident_that_may_breach_an_order_goes_to_its_page(cast, client_for):
    make_order(cast)
    client = client_for("lead_worker")

    response = _record_text_message(client, cast)

    incident = Incident.objects.exclude(pk=cast.incident.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "incidents:incident-detail",
        kwargs={"reference": cast.case.reference, "public_id": incident.public_id},
    )
    page = client.get(response["Location"]).content.decode()
    assert "Possible breach of an order" in page
    assert "No contact, direct or indirect" in page
    assert "A text message and contacting or trying to contact while" in page
    review = BreachReview.objects.get(incident=incident)
    assert (
        reverse(
            "orders:review-confirm",
            kwargs={"reference": cast.case.reference, "public_id": review.public_id},
        )
        in page
    )


def test_an_incident_with_no_order_in_force_goes_to_the_timeline(cast, client_for):
    response = _record_text_message(client_for("lead_worker"), cast)

    assert response["Location"] == reverse(
        "incidents:incident-list", kwargs={"reference": cast.case.reference}
    )


def test_dismissing_from_the_incident_page_goes_back_to_it(cast, client_for):
    make_order(cast)
    client = client_for("lead_worker")
    location = _record_text_message(client, cast)["Location"]
    review = BreachReview.objects.get()

    response = client.post(
        reverse(
            "orders:review-dismiss",
            kwargs={"reference": cast.case.reference, "public_id": review.public_id},
        ),
        {"dismiss-reason": "Synthetic: the message was from someone else."},
    )

    assert response["Location"] == location
    page = client.get(location).content.decode()
    assert "it was not a breach: Synthetic: the message was from someone else." in page


def test_timeline_shows_orders_and_breaches_to_order_readers(cast, client_for):
    order = make_order(cast)
    make_breach(cast, order)
    url = reverse("incidents:incident-list", kwargs={"reference": cast.case.reference})

    page = client_for("partner_worker").get(url).content.decode()

    assert "Orders and breaches" in page
    assert "Stalking Protection Order made" in page
    assert "Breach of the Stalking Protection Order" in page
