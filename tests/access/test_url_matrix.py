"""Every URL declares its permission, and every persona gets the right answer.

The matrix walks the whole URL map, fills in the standard cast's case, person,
incident, share and allocation, and asks each persona for each URL:

* anyone who cannot reach the case gets 404 from every case URL (GET and POST),
  exactly as for a case that does not exist;
* anyone in reach gets 403 where their role lacks the URL's verb, and a page
  (or a redirect, such as purpose-of-access) where it has it;
* pages that are not about a case answer 403 without the verb.
"""

import importlib
import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.accounts.models import ConflictDeclaration, Membership
from masip.cases.models import CaseAllocation, CaseShare
from tests.personas import PERSONAS, REACHES_CASE, Cast

# Views that need no verb: reachable by anyone signed in (or by anyone at all).
SIGNED_IN_ONLY = {
    "accounts:home",
    "accounts:sign-in",
    "accounts:sign-out",
    "accounts:notifications",
    "accounts:notification-open",  # the user's own notices only (others: 404)
    "accounts:health",
    "accounts:mfa-verify",
    "accounts:mfa-enrol",
    "accounts:mfa-recovery-codes",
    "core:csp-report",
    # Security keys and the sign-in methods page: the user's own account.
    "accounts:webauthn-enrol",
    "accounts:webauthn-authenticate-options",
    "accounts:webauthn-register-options",
    "accounts:webauthn-add",
    "accounts:webauthn-remove",
    "accounts:security",
    "accounts:step-up",
    "accounts:home-address",
    "conflicts:list",
    "conflicts:declare",
    "conflicts:withdraw",
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
        # No such security key: the owner-only lookup answers 404.
        "<int:key_pk>": "0",
        "<uuid:public_id>": str(_public_id_for(route, cast)),
        # Subject access items: the disclosure tests below fill a real request.
        "<int:item_id>": "1",
        # Risk forms: the built-in screen.
        "<slug:code>": "masip-stalking-screen",
    }
    if "<int:pk>" in route:
        if route.startswith("alerts/"):
            values["<int:pk>"] = str(_alert_about_lead_worker(cast).pk)
        elif route.startswith("staff/"):
            values["<int:pk>"] = str(Membership.objects.get(user=cast.lead_worker).pk)
        elif route.startswith("account/conflicts/"):
            declaration = ConflictDeclaration.objects.create(
                user=cast.lead_worker,
                given_name="Nobody",
                family_name="Onanycase",
                relationship="neighbour",
            )
            values["<int:pk>"] = str(declaration.pk)
        elif "share" in route:
            values["<int:pk>"] = str(
                CaseShare.objects.filter(case=cast.case).first().pk
            )
        else:
            values["<int:pk>"] = str(
                CaseAllocation.objects.filter(case=cast.case).first().pk
            )
    if "<uuid:item_id>" in route:
        # An agenda item of site A's meeting (the cast's case).
        values["<uuid:item_id>"] = str(_meeting(cast).items.get().public_id)
    path = "/" + route
    for placeholder, value in values.items():
        path = path.replace(placeholder, value)
    assert "<" not in path, f"unfilled route {route}"
    return path


def _issue_7_public_id(route: str, cast: Cast):
    """Orders, interventions and safety: each app's factories name the record
    a route of theirs is about (None: the route is not theirs)."""
    for app in ("orders", "interventions", "safety"):
        if route.startswith(f"cases/<str:reference>/{app}/"):
            factories = importlib.import_module(f"masip.{app}.tests.factories")
            return factories.matrix_public_id(route, cast)
    return None


def _public_id_for(route: str, cast: Cast):
    if found := _issue_7_public_id(route, cast):
        return found
    if "incidents/" in route:
        return cast.incident.public_id
    if "evidence/" in route:
        return _evidence_item(cast).public_id
    if "assessments/" in route:
        return _assessment(cast).public_id
    if route.startswith("cases/<str:reference>/actions/"):
        return _action(cast).public_id
    if "closure/<uuid:public_id>" in route:
        return _closure_request(cast).public_id
    if "follow-ups/<uuid:public_id>" in route:
        return _follow_up(cast).public_id
    if route.startswith("panels/meetings/<uuid:public_id>/"):
        return _meeting(cast).public_id
    if route.startswith("referrals/"):
        return _referral(cast).public_id
    return cast.victim.public_id


# A referral by lead_worker (Police A) to site A: its referrer's pages answer
# lead_worker and 404 to anyone else holding REFERRAL_MAKE (as for no such
# referral); its triage pages answer site A's coordinator.
REFERRER = "lead_worker"


def _referral(cast: Cast):
    from masip.referrals.models import Referral
    from masip.referrals.tests.factories import referral_from

    found = Referral.objects.filter(referred_by=cast.lead_worker).first()
    return found or referral_from(cast)


# Site A's panel (every agency of the site but the programme office) and a
# meeting of it with the cast's case listed and its minutes issued. Personas
# holding a panel verb in another site (Police B) get 404, as for no meeting.
MEETING_OUTSIDERS = {"outsider", "outsider_manager"}


def _meeting(cast: Cast):
    from django.utils import timezone

    from masip.panels.models import Meeting
    from masip.panels.tests.factories import (
        AgendaItemFactory,
        MeetingFactory,
        PanelFactory,
    )

    found = Meeting.objects.filter(panel__site=cast.police_a.site).first()
    if found:
        return found
    panel = PanelFactory(
        site=cast.police_a.site,
        member_agencies=[cast.police_a, cast.probation_a, cast.nhs_a, cast.advocacy_a],
    )
    meeting = MeetingFactory(
        panel=panel,
        created_by=cast.panel_coordinator,
        minutes_issued_at=timezone.now(),
    )
    AgendaItemFactory(meeting=meeting, case=cast.case)
    return meeting


def _closure_request(cast: Cast):
    """A request by lead_worker to close the cast's case, waiting, made once."""
    from django.utils import timezone

    from masip.cases.models import ClosureRequest

    found = ClosureRequest.objects.filter(case=cast.case).first()
    return found or ClosureRequest.objects.create(
        case=cast.case,
        requested_by=cast.lead_worker,
        requested_agency=cast.police_a,
        reason="risk_reduced",
        note="No contact for six months; the panel agreed to close.",
        no_open_actions=True,
        victim_informed=True,
        victim_informed_how="By phone, through the advocate.",
        victim_informed_on=timezone.localdate(),
    )


def _follow_up(cast: Cast):
    """A 6-month follow-up on the cast's case, not yet due."""
    import datetime as dt

    from django.utils import timezone

    from masip.cases.models import OutcomeFollowUp

    found = OutcomeFollowUp.objects.filter(case=cast.case).first()
    return found or OutcomeFollowUp.objects.create(
        case=cast.case,
        closure_request=_closure_request(cast),
        months=6,
        due_on=timezone.localdate() + dt.timedelta(days=180),
    )


def _action(cast: Cast):
    """An open action on the cast's case, owned by Police A (the lead)."""
    from masip.panels.models import Action
    from masip.panels.tests.factories import ActionFactory

    found = Action.objects.filter(case=cast.case).first()
    return found or ActionFactory(
        case=cast.case, owner=cast.lead_worker, created_by=cast.lead_manager
    )


def _assessment(cast: Cast):
    """A check-in on the cast's case, recorded once."""
    from masip.people.tests.factories import actor_for
    from masip.risk.instruments import registry
    from masip.risk.models import Assessment
    from masip.risk.services import assessment_record

    found = Assessment.objects.filter(case=cast.case).first()
    answers = {
        "feeling_safe": 2,
        "feeling_supported": 3,
        "feeling_listened_to": 3,
        "fear": 8,
    }
    return found or assessment_record(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        instrument=registry().get("victim-check-in"),
        answers=answers,
    )


def _evidence_item(cast: Cast):
    """An image on the cast's case (with a display copy), uploaded once."""
    from masip.evidence.models import EvidenceItem
    from masip.evidence.tests.vault_helpers import jpeg_with_gps, upload

    found = EvidenceItem.objects.filter(case=cast.case).first()
    return found or upload(cast.lead_worker, cast.case, jpeg_with_gps(), "IMG.jpg")


CASE_URLS = [(n, r) for n, r, _ in ALL_URLS if "<str:reference>" in r]
GLOBAL_URLS = [
    (n, r, p)
    for n, r, p in ALL_URLS
    if "<str:reference>" not in r
    and not n.startswith("alerts:")
    and not n.startswith("disclosure:")
]


# The evidence timeline and imports are case URLs: the case matrix below asks
# every persona for them (outsiders 404, readers without the verb 403).
EVIDENCE_IMPORT_URLS = {
    "evidence:timeline",
    "evidence:evidence-import",
    "evidence:evidence-perpetrator",
}


def test_evidence_import_and_timeline_urls_are_in_the_case_matrix():
    assert {name for name, _ in CASE_URLS} >= EVIDENCE_IMPORT_URLS


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


def _filled_with_no_such_record(route: str, persona: str) -> bool:
    """Routes whose record is out of this persona's reach (or, for helpline
    contacts, filled with an id that names none): a holder of the verb gets
    404, as for a missing record. The helpline's own tests open real ones."""
    if route.startswith("panels/meetings/<uuid"):
        return persona in MEETING_OUTSIDERS
    if route.startswith("referrals/<uuid"):
        return persona != REFERRER
    return route.startswith("helpline/") and "<uuid:public_id>" in route


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
        if expected != {403} and _filled_with_no_such_record(route, persona):
            expected = {404}
        if status not in expected:
            failures.append(f"GET {name}: {status}, expected {sorted(expected)}")
    assert not failures, "\n".join(failures)


# Security alerts are scoped to an agency: the alert is about lead_worker
# (Police A), so Police A's managers reach it, Police B's manager (who holds
# the verb, for another agency) gets 404 as for a missing alert, and everyone
# else 403. (GET, POST) per URL; POSTs carry no data.
ALERT_URL_NAMES = sorted(n for n in URL_NAMES if n.startswith("alerts:"))
_ALERT_MANAGER = {
    "alerts:alert-list": (200, 405),
    "alerts:alert-detail": (200, 405),
    "alerts:alert-acknowledge": (405, 302),
    "alerts:alert-close": (200, 200),
}
_ALERT_OTHER_AGENCY = {
    "alerts:alert-list": (200, 405),
    "alerts:alert-detail": (404, 405),
    "alerts:alert-acknowledge": (405, 404),
    "alerts:alert-close": (404, 404),
}
_ALERT_NO_VERB = dict.fromkeys(_ALERT_MANAGER, (403, 403))
ALERT_MATRIX = {
    "lead_worker": _ALERT_NO_VERB,
    "lead_manager": _ALERT_MANAGER,
    "partner_worker": _ALERT_NO_VERB,
    "clinician": _ALERT_NO_VERB,
    "advocate": _ALERT_NO_VERB,
    "outsider": _ALERT_NO_VERB,
    "outsider_manager": _ALERT_OTHER_AGENCY,
    "helpline_adviser": _ALERT_NO_VERB,
    "helpline_manager": _ALERT_NO_VERB,
    "panel_coordinator": _ALERT_NO_VERB,
    "analyst": _ALERT_NO_VERB,
    "auditor": _ALERT_NO_VERB,
    "agency_admin": _ALERT_MANAGER,
    "professional_standards": _ALERT_NO_VERB,
}


def _alert_about_lead_worker(cast: Cast):
    from masip.alerts.models import Alert
    from masip.alerts.tests.factories import AlertFactory

    found = Alert.objects.filter(subject=cast.lead_worker).first()
    return found or AlertFactory(agency=cast.police_a, subject=cast.lead_worker)


def test_alert_matrix_covers_every_alert_url_and_persona():
    assert set(ALERT_MATRIX) == set(PERSONAS)
    for expected in ALERT_MATRIX.values():
        assert sorted(expected) == ALERT_URL_NAMES


@pytest.mark.parametrize("persona", PERSONAS)
def test_alert_urls_answer_each_persona_correctly(cast, client_for, persona):
    client = client_for(persona)
    routes = {n: r for n, r, _ in ALL_URLS}
    failures = []
    for name, (get_status, post_status) in ALERT_MATRIX[persona].items():
        path = _fill(routes[name], cast)
        for method, expected in (("get", get_status), ("post", post_status)):
            status = getattr(client, method)(path).status_code
            if status != expected:
                failures.append(f"{method.upper()} {name}: {status}, not {expected}")
    assert not failures, "\n".join(failures)


# Subject access requests (masip/disclosure) ----------------------------------
# A request belongs to the agency that received it: Police A here. Its pages
# answer 403 without the verb anywhere, 404 to a holder of the verb in another
# agency (outsider_manager, Police B), and a page or redirect in Police A.
SAR_URLS = [(n, r) for n, r, _ in ALL_URLS if n.startswith("disclosure:")]
SAR_EXPECTED = {
    # persona: (status for SAR_MANAGE pages, status for SAR_RELEASE pages)
    "lead_worker": (403, 403),
    "lead_manager": (200, 403),
    "partner_worker": (403, 403),
    "clinician": (403, 403),
    "advocate": (403, 403),
    "outsider": (403, 403),
    "outsider_manager": (404, 403),
    "helpline_adviser": (403, 403),
    "helpline_manager": (403, 403),
    "panel_coordinator": (403, 403),
    "analyst": (403, 403),
    "auditor": (403, 403),
    "agency_admin": (200, 200),
    "professional_standards": (403, 403),
}


def test_every_persona_has_an_expected_answer_for_subject_access():
    assert set(SAR_EXPECTED) == set(PERSONAS)
    assert len(SAR_URLS) >= 12


def _sar_path(route: str, sar, item) -> str:
    path = "/" + route
    path = path.replace("<uuid:public_id>", str(sar.public_id))
    return path.replace("<int:item_id>", str(item.pk))


@pytest.fixture
def released_sar(cast):
    """A released request of Police A with one decided item, built directly."""
    from django.utils import timezone

    from masip.disclosure.models import DisclosureItem, RequestStatus
    from masip.disclosure.tests.factories import SubjectAccessRequestFactory

    now = timezone.now()
    sar = SubjectAccessRequestFactory(
        agency=cast.police_a,
        recorded_by=cast.lead_manager,
        status=RequestStatus.RELEASED,
        identity_method="in_person",
        identity_evidence="Passport",
        identity_verified_at=now,
        identity_verified_by=cast.lead_manager,
        draft_built_at=now,
        draft_built_by=cast.lead_manager,
        released_at=now,
        released_by=cast.agency_admin,
        document=b"%PDF-1.4 synthetic",
    )
    item = DisclosureItem.objects.create(
        request=sar,
        position=1,
        source_type="person",
        source_id=cast.perpetrator.pk,
        field="details",
        label="Your name and personal details",
        subject="requester",
        category="own",
        default_decision="include",
        text="Name: Blake Testperp",
        decision="include",
        decided_at=now,
        decided_by=cast.agency_admin,
    )
    return sar, item


@pytest.mark.parametrize("persona", PERSONAS)
def test_subject_access_urls_answer_each_persona_correctly(
    cast, client_for, released_sar, persona
):
    client = client_for(persona)
    sar, item = released_sar
    manage, release = SAR_EXPECTED[persona]
    failures = []
    for name, route in SAR_URLS:
        view = _view_class(next(p for n, _, p in ALL_URLS if n == name))
        per_request = "<uuid:public_id>" in route
        if view.required_permission == Permission.SAR_RELEASE:
            expected_status = release
        elif per_request or manage != 404:
            expected_status = manage
        else:
            expected_status = 200  # lists and the new-request form: own agency
        for method in ("get", "post"):
            status = getattr(client, method)(_sar_path(route, sar, item)).status_code
            handles = method in view.http_method_names and hasattr(view, method)
            if not handles and expected_status in (200, 404):
                # The verb is checked first; then a method the page has not.
                expected = {405}
            elif expected_status == 200:
                expected = {200, 302}
            else:
                expected = {expected_status}
            if status not in expected:
                failures.append(
                    f"{method.upper()} {name}: {status}, expected {sorted(expected)}"
                )
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
