"""Order pages: reach, recording an order, the order page (sealed zones),
changes, breaches and reviews, and the protection dashboard."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masip.access.tests.factories import reveal_for
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.core.templatetags.govuk import govuk_date
from masip.orders.models import (
    Breach,
    BreachReview,
    ChargeOutcome,
    ConditionKind,
    Order,
    OrderKind,
)
from masip.orders.tests.factories import make_breach, make_order, make_review

ZONE = "Sealed Street and the roads"


def _url(name, cast, public_id=None):
    kwargs = {"reference": cast.case.reference}
    if public_id is not None:
        kwargs["public_id"] = public_id
    return reverse(f"orders:{name}", kwargs=kwargs)


def _date(prefix, day):
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_outsider_gets_404_on_every_order_url(cast, client_for):
    order = make_order(cast)
    review = make_review(cast, order)
    breach = make_breach(cast, order)
    client = client_for("outsider")
    urls = [
        _url("list", cast),
        _url("record", cast),
        _url("detail", cast, order.public_id),
        _url("serve", cast, order.public_id),
        _url("vary", cast, order.public_id),
        _url("breach-detail", cast, breach.public_id),
        _url("review-confirm", cast, review.public_id),
    ]

    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_an_order_of_another_case_gives_404_under_this_case(cast, client_for):
    order = make_order(cast)
    other = reverse(
        "orders:detail",
        kwargs={"reference": cast.other_case.reference, "public_id": order.public_id},
    )

    assert client_for("outsider").get(other).status_code == 404


def test_panel_coordinator_reads_but_cannot_record(cast, client_for):
    client = client_for("panel_coordinator")
    session = client.session
    session["masip_purposes"] = {cast.case.reference: "panel"}
    session.save()

    assert client.get(_url("record", cast)).status_code in (302, 403)
    assert client.post(_url("record", cast)).status_code in (302, 403)


def test_record_an_order_with_a_condition_row(cast, client_for):
    client = client_for("lead_worker")
    today = timezone.localdate()
    made = today - dt.timedelta(days=3)
    data = {
        "kind": OrderKind.SPO_INTERIM,
        "subject": str(cast.perpetrator.public_id),
        "protected_persons": [str(cast.victim.public_id)],
        "court": "Synthetic Magistrates' Court",
        **_date("made_on", made),
        **_date("served_on", made),
        **_date("expires_on", today + dt.timedelta(days=40)),
        "owner_agency": str(cast.police_a.pk),
        "owner": str(cast.lead_worker.pk),
        "condition_0_kind": ConditionKind.NO_CONTACT,
        "condition_0_includes_indirect": "on",
        "condition_0_wording": "Must not contact her by any means.",
        "condition_1_kind": "",
        "condition_2_kind": "",
    }

    response = client.post(_url("record", cast), data)

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("detail", cast, order.public_id)
    [condition] = order.conditions.all()
    assert condition.label == "No contact, direct or indirect"
    page = client.get(response["Location"]).content.decode()
    assert "Order recorded." in page
    assert "Interim Stalking Protection Order" in page
    assert "Must not contact her by any means." in page
    assert (made + dt.timedelta(days=3)).strftime("%B %Y") in page


def test_record_an_order_with_errors_rerenders_with_summary(cast, client_for):
    response = client_for("lead_worker").post(
        _url("record", cast),
        {"condition_0_kind": ConditionKind.CURFEW, "condition_0_wording": ""},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select the kind of order." in page
    assert "Enter what the order says." in page
    assert not Order.objects.exists()


def test_record_a_short_full_spo_shows_the_two_year_rule(cast, client_for):
    today = timezone.localdate()
    response = client_for("lead_worker").post(
        _url("record", cast),
        {
            "kind": OrderKind.SPO_FULL,
            "subject": str(cast.perpetrator.public_id),
            **_date("made_on", today),
            **_date("expires_on", today + dt.timedelta(days=365)),
            "owner_agency": str(cast.police_a.pk),
        },
    )

    assert response.status_code == 200
    assert "lasts at least 2 years" in response.content.decode()


def test_order_page_records_a_view(cast, client_for):
    order = make_order(cast)

    response = client_for("lead_worker").get(_url("detail", cast, order.public_id))

    assert response.status_code == 200
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.event_type == EventType.ORDER_VIEWED
    assert event.target_id == str(order.public_id)


def test_zone_is_withheld_from_readers_without_the_compartment(cast, client_for):
    order = make_order(cast)

    page = client_for("partner_worker").get(_url("detail", cast, order.public_id))

    text = page.content.decode()
    assert ZONE not in text
    assert "Zone withheld." in text


def test_zone_is_masked_until_revealed_then_shown(cast, client_for):
    order = make_order(cast)
    client = client_for("advocate")

    masked = client.get(_url("detail", cast, order.public_id)).content.decode()
    reveal_for(cast.advocate, cast.case)
    shown = client.get(_url("detail", cast, order.public_id)).content.decode()

    assert ZONE not in masked
    assert "Zone hidden" in masked
    assert ZONE in shown


def test_order_list_query_count_is_constant(cast, client_for):
    client = client_for("lead_worker")
    make_review(cast, make_order(cast))
    client.get(_url("list", cast))
    with CaptureQueriesContext(connection) as two:
        client.get(_url("list", cast))
    for _ in range(5):
        make_order(cast)
    with CaptureQueriesContext(connection) as many:
        response = client.get(_url("list", cast))

    assert response.content.decode().count("Stalking Protection Order</a>") == 6
    assert len(two) == len(many)


def test_serve_page_starts_the_notification_clock(cast, client_for):
    order = make_order(cast, served_on=None)
    today = timezone.localdate()

    response = client_for("lead_worker").post(
        _url("serve", cast, order.public_id),
        {**_date("served_on", today), "version": str(order.version)},
    )

    assert response.status_code == 302
    assert order.notification_requirements.get().due_on == today + dt.timedelta(days=3)


def test_stale_change_keeps_input_and_takes_the_current_version(cast, client_for):
    order = make_order(cast)
    client = client_for("lead_worker")
    today = timezone.localdate()
    data = {
        **_date("discharged_on", today),
        "detail": "Synthetic: discharged on appeal.",
        "version": "1",
    }
    Order.objects.filter(pk=order.pk).update(version=2)

    response = client.post(_url("discharge", cast, order.public_id), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this record" in page
    assert 'name="version" value="2"' in page
    assert "Synthetic: discharged on appeal." in page


def test_empty_change_forms_rerender_with_errors(cast, client_for):
    order = make_order(cast)
    client = client_for("lead_worker")
    for name in ("condition-add", "vary", "renew", "discharge", "notification-change"):
        response = client.post(_url(name, cast, order.public_id), {})
        assert response.status_code == 200, name
        assert "There is a problem" in response.content.decode(), name


def test_notification_made_page_records_it(cast, client_for):
    order = make_order(cast)
    requirement = order.notification_requirements.get()

    response = client_for("lead_worker").post(
        _url("notification-made", cast, requirement.public_id),
        _date("notified_on", timezone.localdate()),
    )

    requirement.refresh_from_db()
    assert response.status_code == 302
    assert requirement.notified_on == timezone.localdate()


def test_review_confirm_page_records_the_breach(cast, client_for):
    review = make_review(cast)
    condition = review.suggested_conditions.get()
    client = client_for("lead_worker")

    page = client.get(_url("review-confirm", cast, review.public_id)).content.decode()
    response = client.post(
        _url("review-confirm", cast, review.public_id),
        {
            "confirm-conditions": [str(condition.public_id)],
            "confirm-police_response": "arrested",
            "confirm-charge_outcome": ChargeOutcome.CHARGED_BREACH,
        },
    )

    breach = Breach.objects.get()
    assert "A text message" in page
    assert response.status_code == 302
    assert response["Location"] == _url("breach-detail", cast, breach.public_id)
    assert breach.incident == review.incident


def test_review_dismiss_without_a_reason_rerenders(cast, client_for):
    review = make_review(cast)

    response = client_for("lead_worker").post(
        _url("review-dismiss", cast, review.public_id), {"dismiss-reason": ""}
    )

    assert response.status_code == 200
    assert "Enter why it is not a breach." in response.content.decode()
    review.refresh_from_db()
    assert review.status == BreachReview.Status.OPEN


def test_breach_update_conflict_shows_both_versions(cast, client_for):
    breach = make_breach(cast)
    Breach.objects.filter(pk=breach.pk).update(
        version=2, charge_outcome=ChargeOutcome.CAUTION
    )

    response = client_for("lead_worker").post(
        _url("breach-update", cast, breach.public_id),
        {
            "police_response": "arrested",
            "charge_outcome": ChargeOutcome.CONVICTED,
            "version": "1",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "masip-conflict" in page
    assert "Caution" in page


# The protection dashboard -------------------------------------------------------------


def _dashboard(client, query=""):
    return client.get(reverse("protection:dashboard") + query)


def test_dashboard_shows_the_sections_for_the_users_agency_and_audits(cast, client_for):
    today = timezone.localdate()
    make_order(
        cast,
        kind=OrderKind.RESTRAINING_CONVICTION,
        made_on=today - dt.timedelta(days=100),
        served_on=today - dt.timedelta(days=100),
        expires_on=today + dt.timedelta(days=20),
    )
    make_review(cast)

    response = _dashboard(client_for("lead_worker"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Restraining order on conviction" in page
    assert ">20<" in page
    assert "Possible breaches to review" in page
    assert cast.case.reference in page
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.event_type == EventType.PROTECTION_DASHBOARD_VIEWED
    assert event.target_id == str(cast.police_a.pk)


def test_dashboard_filters_by_agency(cast, client_for):
    make_review(cast)
    client = client_for("partner_worker")

    own = _dashboard(client).content.decode()
    everyone = _dashboard(client, "?agency=all").content.decode()

    assert "No possible breach is waiting for review." in own
    assert "Incident on" in everyone


def test_dashboard_query_count_is_constant(cast, client_for):
    client = client_for("lead_worker")
    make_review(cast)
    _dashboard(client)
    with CaptureQueriesContext(connection) as few:
        _dashboard(client)
    for _ in range(4):
        make_review(cast, make_order(cast))
    with CaptureQueriesContext(connection) as many:
        response = _dashboard(client)

    # Each new incident is a possible breach of every order so far: 1+2+3+4+5.
    assert response.content.decode().count("Incident on") == 15
    assert len(few) == len(many)


def test_dashboard_needs_the_verb(cast, client_for):
    assert _dashboard(client_for("analyst")).status_code == 403


@pytest.mark.parametrize("query", ["?agency=999999", "?agency=bad", "?agency="])
def test_dashboard_bad_filter_never_errors(cast, client_for, query):
    assert _dashboard(client_for("lead_worker"), query).status_code == 200


def test_dashboard_shows_releases_and_plan_reviews_coming_up(cast, client_for):
    from masip.interventions.tests.factories import custody_for
    from masip.safety.tests.factories import SafetyPlanFactory, SafetyPlanVersionFactory

    today = timezone.localdate()
    custody_for(cast, expected_release_on=today + dt.timedelta(days=10))
    custody_for(cast, expected_release_on=today + dt.timedelta(days=40))
    SafetyPlanVersionFactory(
        plan=SafetyPlanFactory(case=cast.case, victim=cast.victim),
        review_on=today - dt.timedelta(days=1),
        recorded_by=cast.advocate,
        recorded_by_agency=cast.police_a,
    )

    page = _dashboard(client_for("lead_worker")).content.decode()

    assert page.count("Not yet alerted") == 1  # the release in 40 days is not listed
    assert govuk_date(today + dt.timedelta(days=10)) in page
    assert "Safety plans due for review" in page
    assert "Overdue" in page
    assert cast.victim.given_name in page
