"""Accessibility: axe-core finds no serious or critical problem on key pages."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import sign_in
from tests.personas import Cast


@pytest.mark.e2e
def test_sign_in_page_is_accessible(
    axe_page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    axe_page.goto("/sign-in/")

    assert_accessible(axe_page)


@pytest.mark.e2e
@pytest.mark.parametrize(
    "path",
    ["/cases/", "/cases/{reference}/", "/cases/{reference}/incidents/record/"],
    ids=["case-list", "case-page", "record-incident"],
)
def test_signed_in_page_is_accessible(
    axe_page: Page, cast: Cast, assert_accessible: Callable[[Page], None], path: str
) -> None:
    sign_in(axe_page, cast.lead_worker)

    axe_page.goto(path.format(reference=cast.case.reference))

    assert_accessible(axe_page)
