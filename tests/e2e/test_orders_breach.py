"""Orders in a real browser: a police worker records a Stalking Protection
Order with a no-contact condition, records a text-message incident, sees it
suggested as a breach of that condition, confirms the breach, and finds it on
the case timeline and on the police dashboard (/protection/)."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from masip.orders.models import Breach, Order
from masip.orders.services import spo_minimum_expiry
from tests.e2e.conftest import sign_in
from tests.personas import Cast

NO_CONTACT = "Must not contact Avery Testvictim by any means (synthetic)."


def _fill_date(group: Locator, day: dt.date) -> None:
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _record_spo(page: Page, cast: Cast, today: dt.date, check: Callable) -> None:
    page.goto(f"/cases/{cast.case.reference}/orders/")
    expect(page.get_by_role("heading", name="Orders and conditions")).to_be_visible()
    page.get_by_role("link", name="Record an order").click()
    expect(page.get_by_role("heading", name="Record an order")).to_be_visible()
    check(page)
    page.get_by_role("group", name="Kind of order").get_by_label(
        "Stalking Protection Order", exact=True
    ).check()
    page.get_by_role("group", name="Who the order is against").get_by_label(
        "Blake Testperp"
    ).check()
    page.get_by_role("group", name="Who the order protects (optional)").get_by_label(
        "Avery Testvictim"
    ).check()
    page.get_by_label("Court (optional)", exact=True).fill(
        "Synthetic Magistrates' Court"
    )
    made = today - dt.timedelta(days=5)
    _fill_date(page.get_by_role("group", name="Date made", exact=True), made)
    _fill_date(page.get_by_role("group", name="Date served (optional)"), made)
    _fill_date(
        page.get_by_role("group", name="Expiry date (optional)"),
        spo_minimum_expiry(made),
    )
    page.get_by_role("group", name="Agency responsible").get_by_label(
        "Police A"
    ).check()
    first = page.get_by_role("group", name="Condition 1")
    first.get_by_label("Kind of condition").select_option(label="No contact")
    first.get_by_label("Includes indirect contact").check()
    first.get_by_label("What the order says (optional)").fill(NO_CONTACT)
    page.get_by_role("button", name="Record the order").click()

    expect(page.get_by_text("Order recorded.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Stalking Protection Order", level=1)
    ).to_be_visible()
    expect(
        page.get_by_role("cell", name="No contact, direct or indirect")
    ).to_be_visible()
    check(page)


def _record_text_message(page: Page, cast: Cast, today: dt.date) -> None:
    page.goto(f"/cases/{cast.case.reference}/incidents/")
    page.get_by_role("link", name="Record an incident").click()
    _fill_date(page.get_by_role("group", name="Date", exact=True), today)
    page.get_by_label("Time (optional)", exact=True).fill("00:05")
    page.get_by_role("group", name="What did they do?").get_by_label(
        "Contacting, or attempting to contact", exact=True
    ).check()
    page.get_by_role("group", name="How did it happen?").get_by_label(
        "Text or messaging app", exact=True
    ).check()
    page.get_by_label("What happened?").fill(
        "Synthetic: a text message asking her to meet him tonight."
    )
    page.get_by_role("group", name="Was it reported to the police?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Record incident").click()
    expect(page.get_by_text("Incident recorded.")).to_be_visible()


@pytest.mark.e2e
def test_police_worker_confirms_a_suggested_breach_of_an_spo(
    axe_page: Page, cast: Cast, assert_accessible: Callable[[Page], None]
) -> None:
    page = axe_page
    today = timezone.localdate()
    sign_in(page, cast.lead_worker)

    _record_spo(page, cast, today, assert_accessible)
    _record_text_message(page, cast, today)

    # The incident page suggests the breach of the no-contact condition.
    panel = page.get_by_role("region", name="Possible breach of an order")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("No contact, direct or indirect")
    expect(panel).to_contain_text(
        "A text message and contacting or trying to contact while "
        "'No contact, direct or indirect' is in force"
    )
    assert_accessible(page)
    panel.get_by_role("link", name="Confirm the breach").click()

    expect(
        page.get_by_role("heading", name="Possible breach of an order", level=1)
    ).to_be_visible()
    conditions = page.get_by_role("group", name="Conditions breached")
    expect(conditions.get_by_role("checkbox").first).to_be_checked()
    page.get_by_role("group", name="Police response").get_by_label(
        "Arrested", exact=True
    ).check()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the breach").click()

    expect(page.get_by_text("Breach recorded.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Breach of the Stalking Protection Order")
    ).to_be_visible()
    breach = Breach.objects.get()
    assert breach.order == Order.objects.get(case=cast.case)
    assert [c.label for c in breach.conditions.all()] == [
        "No contact, direct or indirect"
    ]

    # On the case timeline.
    page.goto(f"/cases/{cast.case.reference}/incidents/")
    expect(
        page.get_by_role("link", name="Breach of the Stalking Protection Order")
    ).to_be_visible()
    expect(
        page.get_by_role("link", name="Stalking Protection Order made")
    ).to_be_visible()

    # On the police dashboard: among recent breaches, with no review waiting,
    # and the initial notification (due 3 days after service) overdue.
    page.goto("/protection/")
    expect(page.get_by_role("heading", name="Orders and safety")).to_be_visible()
    expect(
        page.get_by_text("No possible breach is waiting for review.")
    ).to_be_visible()
    recent = page.locator("table").filter(
        has=page.locator("caption", has_text="Breaches in the last 28 days")
    )
    expect(recent).to_contain_text(cast.case.reference)
    expect(recent).to_contain_text("Arrested")
    deadlines = page.locator("table").filter(
        has=page.locator("caption", has_text="Notification deadlines")
    )
    expect(deadlines).to_contain_text(cast.case.reference)
    expect(deadlines).to_contain_text("Overdue")
    assert_accessible(page)
