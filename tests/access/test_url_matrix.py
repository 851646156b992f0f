"""Every URL declares its permission, and every persona gets the right answer.

The matrix walks the whole URL map, fills in the standard cast's case, person,
incident, share and allocation, and asks each persona for each URL:

* anyone who cannot reach the case gets 404 from every case URL (GET and POST),
  exactly as for a case that does not exist;
* anyone in reach gets 403 where their role lacks the URL's verb, and a page
  (or a redirect, such as purpose-of-access) where it has it;
* pages that are not about a case answer 403 without the verb.
"""

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.accounts.models import Membership
from masip.cases.models import CaseAllocation, CaseShare
from tests.personas import PERSONAS, REACHES_CASE, Cast

# Views that need no verb: reachable by anyone signed in (or by anyone at all).
SIGNED_IN_ONLY = {
    "accounts:home",
    "accounts:sign-in",
    "accounts:sign-out",
    "accounts:notifications",
    "accounts:health",
    "accounts:mfa-verify",
    "accounts:mfa-enrol",
    "accounts:mfa-recovery-codes",
}


def _walk(
    resolver: URLResolver, prefix: str = "", ns: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner_ns = f"{ns}{entry.namespace}:" if entry.namespace else ns
            yield from _walk(entry, prefix + str(entry.pattern), inner_ns)
        else:
            yield prefix + str(entry.pattern), f"{ns}{entry.name}", entry


ALL_URLS = sorted(
    (name, route, pattern) for route, name, pattern in _walk(get_resolver())
)
URL_NAMES = [name for name, _, _ in ALL_URLS]


def _view_class(pattern: URLPattern) -> type:
    return getattr(pattern.callback, "view_class", pattern.callback)


@pytest.mark.parametrize("name", URL_NAMES)
def test_every_url_declares_its_permission(name):
    pattern = next(p for n, _, p in ALL_URLS if n == name)
    view = _view_class(pattern)

    assert hasattr(view, "required_permission"), (
        f"{name} declares no required_permission"
    )
    if view.required_permission is None:
        assert name in SIGNED_IN_ONLY, f"{name} needs no permission but is not listed"
    else:
        assert isinstance(view.required_permission, Permission)


def _fill(route: str, cast: Cast) -> str:
    """A concrete path for a route, using the cast's records."""
    values = {
        "<str:reference>": cast.case.reference,
        "<uuid:public_id>": str(
            cast.incident.public_id if "incidents/" in route else cast.victim.public_id
        ),
    }
    if "<int:pk>" in route:
        if route.startswith("staff/"):
            values["<int:pk>"] = str(Membership.objects.get(user=cast.lead_worker).pk)
        elif "share" in route:
            values["<int:pk>"] = str(
                CaseShare.objects.filter(case=cast.case).first().pk
            )
        else:
            values["<int:pk>"] = str(
                CaseAllocation.objects.filter(case=cast.case).first().pk
            )
    path = "/" + route
    for placeholder, value in values.items():
        path = path.replace(placeholder, value)
    assert "<" not in path, f"unfilled route {route}"
    return path


CASE_URLS = [(n, r) for n, r, _ in ALL_URLS if "<str:reference>" in r]
GLOBAL_URLS = [(n, r, p) for n, r, p in ALL_URLS if "<str:reference>" not in r]


@pytest.mark.parametrize("persona", PERSONAS)
def test_case_urls_answer_each_persona_correctly(cast, client_for, persona):
    client = client_for(persona)
    case_access = Access(cast.persona(persona)).case_access(cast.case)
    failures = []
    for name, route in CASE_URLS:
        view = _view_class(next(p for n, _, p in ALL_URLS if n == name))
        path = _fill(route, cast)
        for method in ("get", "post"):
            status = getattr(client, method)(path).status_code
            if persona not in REACHES_CASE:
                expected = {404}
            elif not case_access.can(view.required_permission):
                expected = {403}
            else:
                expected = {
                    200,
                    302,
                    303,
                    403,
                    405,
                }  # allowed; 403 only for compartment checks
            if status not in expected:
                failures.append(
                    f"{method.upper()} {name} {path}: {status}, "
                    f"expected {sorted(expected)}"
                )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - REACHES_CASE))
def test_out_of_reach_and_missing_cases_are_indistinguishable(
    cast, client_for, persona
):
    client = client_for(persona)
    for name, route in CASE_URLS:
        real = _fill(route, cast)
        missing = real.replace(cast.case.reference, "STK-0000-0000")

        real_response, missing_response = client.get(real), client.get(missing)

        assert real_response.status_code == missing_response.status_code == 404, name
        assert _stable(real_response.content) == _stable(missing_response.content), name


def _stable(html: bytes) -> bytes:
    """The page without its per-response CSRF token and CSP nonce."""
    html = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)
    return re.sub(rb'nonce="[^"]+"', b"", html)


@pytest.mark.parametrize("persona", PERSONAS)
def test_global_urls_need_their_verb(cast, client_for, persona):
    client = client_for(persona)
    access = Access(cast.persona(persona))
    failures = []
    for name, route, pattern in GLOBAL_URLS:
        view = _view_class(pattern)
        if view.required_permission is None:
            continue
        status = client.get(_fill(route, cast)).status_code
        expected = {200, 302} if access.has(view.required_permission) else {403}
        if status not in expected:
            failures.append(f"GET {name}: {status}, expected {sorted(expected)}")
    assert not failures, "\n".join(failures)


# Exports and the JSON API ----------------------------------------------------------

# Who may open each export page (GET); everyone else gets 403.
EXPORT_PAGES = {
    "exports:case-list-csv": {"lead_manager", "outsider_manager"},
    "exports:case-list-xlsx": {"lead_manager", "outsider_manager"},
    "exports:case-list-pdf": {"lead_manager", "outsider_manager", "panel_coordinator"},
}
# Roles that read cases get the API's case list and its document; others 403.
API_READERS = set(PERSONAS) - {"analyst", "agency_admin"}
# In reach of the case but must state a purpose first: the API answers 403.
NEEDS_PURPOSE = {"panel_coordinator", "auditor"}


def _api_detail_status(persona: str) -> int:
    if persona not in REACHES_CASE:
        return 404
    return 403 if persona in NEEDS_PURPOSE else 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_export_and_api_urls_answer_each_persona(cast, client_for, persona):
    client = client_for(persona)
    expected = {
        name: 200 if persona in who else 403 for name, who in EXPORT_PAGES.items()
    }
    api_list = 200 if persona in API_READERS else 403
    expected |= dict.fromkeys(("api:case-list", "api:openapi"), api_list)
    expected["api:case-detail"] = _api_detail_status(persona)
    routes = {n: r for n, r, _ in ALL_URLS}

    answers = {
        name: client.get(_fill(routes[name], cast)).status_code for name in expected
    }

    assert answers == expected
