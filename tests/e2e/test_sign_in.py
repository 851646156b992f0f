"""Signing in through the real sign-in page."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import sign_in
from tests.personas import Cast


@pytest.mark.e2e
def test_sign_in_with_correct_password_shows_signed_in_name(
    page: Page, cast: Cast
) -> None:
    sign_in(page, cast.lead_worker)

    expect(page.get_by_text("Signed in as Lead Worker")).to_be_visible()


@pytest.mark.e2e
def test_sign_in_with_wrong_password_shows_error_summary(
    page: Page, cast: Cast
) -> None:
    page.goto("/sign-in/")

    page.get_by_label("Email address").fill(cast.lead_worker.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct email address and password.")
