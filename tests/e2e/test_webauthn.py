"""Security keys in a real browser: Chromium's virtual authenticator.

The DevTools Protocol gives Chromium a virtual CTAP2 authenticator with user
verification, so the page's own JavaScript (js/webauthn.js, under the site's
Content Security Policy) runs both ceremonies end to end against the live
server. http://localhost is a secure context, and the relying party id
follows the host (localhost) as it does in development.
"""

import pytest
from playwright.sync_api import Page, expect

from masip.accounts.models import WebAuthnCredential
from masip.accounts.tests.factories import TEST_PASSWORD, MembershipFactory
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from tests.e2e.conftest import virtual_authenticator


def _password(page: Page, email: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.e2e
@pytest.mark.parametrize("transport", ["usb", "internal"])
def test_register_a_security_key_then_sign_in_with_it(
    page: Page, site: str, transport: str
) -> None:
    user = MembershipFactory(user__full_name="Key User").user
    assert site.startswith("http://localhost:")
    cdp, authenticator_id = virtual_authenticator(page, transport)

    # First sign-in: choose a security key instead of an app.
    _password(page, user.email)
    page.wait_for_url("**/sign-in/set-up/**")
    page.get_by_role("link", name="Set up a security key instead").click()
    page.get_by_label("Name for this security key").fill("Virtual key")
    page.get_by_role("button", name="Set up security key").click()
    page.wait_for_url("**/sign-in/recovery-codes/")
    expect(page.get_by_text("Your security key is set up.")).to_be_visible()
    stored = WebAuthnCredential.objects.get(user=user)
    assert stored.name == "Virtual key"
    in_browser = cdp.send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator_id}
    )
    assert len(in_browser["credentials"]) == 1
    page.get_by_role("button", name="Sign out").first.click()

    # Next sign-in: the security key is the second factor.
    _password(page, user.email)
    page.wait_for_url("**/sign-in/verify/**")
    expect(page.get_by_label("Recovery code")).to_be_visible()  # the fallback
    page.get_by_role("button", name="Use your security key").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)

    expect(page.get_by_text("Signed in as Key User")).to_be_visible()
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    assert AuditEvent.objects.filter(
        event_type=EventType.MFA_VERIFIED, target_type="webauthn_credential"
    ).exists()


@pytest.mark.e2e
def test_without_webauthn_the_button_stays_hidden(no_js_page: Page) -> None:
    user = MembershipFactory().user
    _password(no_js_page, user.email)
    no_js_page.wait_for_url("**/sign-in/set-up/**")
    no_js_page.get_by_role("link", name="Set up a security key instead").click()

    expect(no_js_page.get_by_role("button", name="Set up security key")).to_be_hidden()
    expect(
        no_js_page.get_by_text("To use a security key, use a browser")
    ).to_be_visible()
