"""Revealing a victim's address in a real browser: masked, reason, code, shown."""

import datetime as dt
from collections.abc import Callable
from importlib import import_module

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from masip.access.models import SealedReveal
from masip.accounts.mfa import FACTOR_AT_SESSION_KEY
from masip.accounts.tests.factories import authenticator_for, totp_code
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from tests.e2e.conftest import sign_in, virtual_authenticator
from tests.personas import Cast


def _make_factor_stale(page: Page) -> None:
    """As if the worker signed in ten minutes ago: their factor is no longer fresh."""
    [cookie] = [
        c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME
    ]
    store = import_module(settings.SESSION_ENGINE).SessionStore(cookie["value"])
    stale = timezone.now() - dt.timedelta(minutes=10)
    store[FACTOR_AT_SESSION_KEY] = int(stale.timestamp())
    store.save()


@pytest.mark.e2e
def test_worker_reveals_a_victims_address_with_a_reason_and_a_code(
    axe_page: Page, cast: Cast, assert_accessible: Callable[[Page], None]
) -> None:
    page = axe_page
    sign_in(page, cast.lead_worker)
    _make_factor_stale(page)
    person = f"/cases/{cast.case.reference}/people/{cast.victim.public_id}/"

    page.goto(person)
    expect(page.get_by_text("1 address hidden")).to_be_visible()
    expect(page.get_by_text("1 Sealed Street")).to_have_count(0)
    reveal = "Reveal victim location and contact details"
    page.get_by_role("button", name=reveal).click()

    expect(page.get_by_role("heading", name=reveal)).to_be_visible()
    expect(page.get_by_label("Code from your authenticator app")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Reveal details").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Select why you need to see the victim's details."
    )
    assert_accessible(page)
    page.get_by_label("To contact the victim safely").check()
    page.get_by_label("Give details").fill("Arranging a safe time to call her.")
    page.get_by_label("Code from your authenticator app").fill(
        totp_code(authenticator_for(cast.lead_worker))
    )
    page.get_by_role("button", name="Reveal details").click()

    page.wait_for_url(lambda url: url.endswith(person))
    expect(page.get_by_text("1 Sealed Street")).to_be_visible()
    expect(page.get_by_text("You revealed victim location")).to_be_visible()
    page.get_by_role("button", name="End reveal").click()
    expect(page.get_by_text("1 Sealed Street")).to_have_count(0)
    expect(page.get_by_text("1 address hidden")).to_be_visible()


@pytest.mark.e2e
def test_worker_reveals_with_a_security_key_and_keeps_their_reason(
    page: Page, cast: Cast
) -> None:
    sign_in(page, cast.lead_worker)
    virtual_authenticator(page)
    page.goto("/account/security/")
    page.get_by_role("button", name="Add a security key").click()
    page.get_by_label("Name for this security key").fill("Desk key")
    page.get_by_role("button", name="Add security key").click()
    expect(page.get_by_role("cell", name="Desk key", exact=True)).to_be_visible()
    _make_factor_stale(page)
    person = f"/cases/{cast.case.reference}/people/{cast.victim.public_id}/"

    page.goto(person)
    page.get_by_role(
        "button", name="Reveal victim location and contact details"
    ).click()
    page.get_by_label("To contact the victim safely").check()
    page.get_by_label("Give details").fill("Calling her back at a safe time.")
    page.get_by_role("button", name="Use your security key").click()

    page.wait_for_url(lambda url: url.endswith(person))
    expect(page.get_by_text("1 Sealed Street")).to_be_visible()
    revealed = SealedReveal.objects.get(user=cast.lead_worker)
    assert revealed.detail == "Calling her back at a safe time."
    assert AuditEvent.objects.filter(
        event_type=EventType.STEP_UP_VERIFIED, changed_fields=["security_key"]
    ).exists()
