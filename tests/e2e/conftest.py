"""Browser fixtures: Playwright driving Debian's Chromium against the live server.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium``
(``make test`` installs it). Each test gets a fresh database (pytest-django's
``live_server`` makes the test transactional), the standard cast from
tests/personas.py, and a new browser context. A failing test leaves a
screenshot in test-results/.
"""

import os
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

# Playwright's sync API runs an event loop in this thread; Django refuses ORM
# calls from a thread with a running loop unless told they are safe. They are:
# the test and the loop never run at the same time.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import (
    Browser,
    BrowserContext,
    CDPSession,
    Page,
    Playwright,
    sync_playwright,
)

from masip.accounts.models import User
from masip.accounts.tests.factories import TEST_PASSWORD, authenticator_for, totp_code
from masip.audit.models import AuditChainHead

CHROMIUM = Path(os.environ.get("MASIP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RESULTS_DIR = Path(settings.BASE_DIR) / "test-results"
TIMEOUT_MS = 15_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """Remember each phase's outcome so the page fixture can tell a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (make test does it "
            "when run as root), or set MASIP_CHROMIUM to a Chromium binary."
        )
    manager = sync_playwright().start()
    yield manager
    manager.stop()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def site(transactional_db: None, live_server: Any) -> Iterator[str]:
    """The live server's base URL, with the database ready for the app.

    A transactional test ends by emptying every table (``flush``), which also
    removes the audit chain's head row that a migration created; put it back.
    On PostgreSQL the audit table refuses TRUNCATE by trigger, so the trigger
    is switched off just for the flush that follows this test.
    """
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_truncate"
            )
    AuditChainHead.objects.get_or_create(pk=1)
    yield live_server.url
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate"
            )


def _new_context(browser: Browser, site: str, **options: Any) -> BrowserContext:
    context = browser.new_context(base_url=site, locale="en-GB", **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _page_fixture(
    request: pytest.FixtureRequest, context: BrowserContext
) -> Generator[Page]:
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        shot = RESULTS_DIR / f"{request.node.name}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"Screenshot of the failing page: {shot} (at {page.url})")  # noqa: T201
    context.close()


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser, site: str) -> Iterator[Page]:
    """A page in a fresh context, with the site's Content Security Policy on."""
    yield from _page_fixture(request, _new_context(browser, site))


@pytest.fixture
def axe_page(
    request: pytest.FixtureRequest, browser: Browser, site: str
) -> Iterator[Page]:
    """A page that may inject axe-core (an inline script the CSP would refuse)."""
    yield from _page_fixture(request, _new_context(browser, site, bypass_csp=True))


@pytest.fixture
def no_js_page(
    request: pytest.FixtureRequest, browser: Browser, site: str
) -> Iterator[Page]:
    """A page with JavaScript switched off, as some users browse."""
    context = _new_context(browser, site, java_script_enabled=False)
    yield from _page_fixture(request, context)


def sign_in(page: Page, user: User, *, password: str = TEST_PASSWORD) -> None:
    """Sign in through the real sign-in and code pages, and wait to leave them."""
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/verify/" in url)
    page.get_by_label("Code").fill(totp_code(authenticator_for(user)))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def axe_violations(
    page: Page, *, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[dict]:
    """Run axe-core on the page; the violations of the given impacts."""
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']}))"
        ".violations"
    )
    return [v for v in violations if v.get("impact") in impacts]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            lines.append(
                f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}"
            )
    return "\n".join(lines)


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    """Fails with a readable list when axe finds serious or critical problems."""

    def check(page: Page) -> None:
        violations = axe_violations(page)
        assert not violations, (
            f"axe found {len(violations)} serious or critical problem(s) on "
            f"{page.url}:\n{describe_violations(violations)}"
        )

    return check


def virtual_authenticator(page: Page, transport: str = "usb") -> tuple[CDPSession, str]:
    """Give the page's browser a virtual CTAP2 key that verifies its user."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added: dict[str, Any] = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": transport,
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]
