"""Who reaches the case pages: 404 out of reach, 403 without the verb, purpose
of access, and break-the-glass."""

import datetime as dt

import pytest
from django.urls import reverse

from masip.access.actors import PURPOSE_SESSION_PREFIX
from masip.accounts.models import Notification
from masip.accounts.tests.factories import authenticator_for, totp_code
from masip.accounts.tests.stepup_helpers import factor_proved
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import BreakGlassGrant, CaseAllocation, CaseShare
from masip.cases.tests.closure_support import ask_to_close

CASE_PAGES = [
    "case-detail",
    "case-edit",
    "case-status",
    "case-risk",
    "case-allocate",
    "case-share",
    "note-list",
    "note-add",
    "access-log",
    "case-purpose",
]
BUTTONS = ["allocation-end", "share-revoke"]


def case_url(name, case, **kwargs):
    return reverse(f"cases:{name}", kwargs={"reference": case.reference, **kwargs})


def button_url(name, cast):
    if name == "share-revoke":
        pk = CaseShare.objects.filter(case=cast.case).first().pk
    else:
        pk = CaseAllocation.objects.filter(case=cast.case).first().pk
    return case_url(name, cast.case, pk=pk)


@pytest.mark.parametrize("name", CASE_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404_on_every_case_page(cast, client_for, name, method):
    response = getattr(client_for("outsider_manager"), method)(
        case_url(name, cast.case)
    )

    assert response.status_code == 404


@pytest.mark.parametrize("name", BUTTONS)
def test_outsider_gets_404_on_every_case_button(cast, client_for, name):
    response = client_for("outsider_manager").post(button_url(name, cast))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(case_reference=cast.case.reference).exists()


def test_missing_case_gets_404(cast, client_for):
    response = client_for("lead_manager").get("/cases/STK-0000-0000/")

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["case-share", "case-allocate", "access-log"])
def test_partner_worker_in_reach_gets_403_without_verb(cast, client_for, name):
    response = client_for("partner_worker").get(case_url(name, cast.case))

    assert response.status_code == 403


@pytest.mark.parametrize("name", BUTTONS)
def test_partner_worker_gets_403_on_manager_buttons(cast, client_for, name):
    response = client_for("partner_worker").post(button_url(name, cast))

    assert response.status_code == 403


def test_partner_worker_gets_403_when_deciding_a_closure(cast, client_for):
    closure = ask_to_close(cast)
    response = client_for("partner_worker").post(
        case_url("closure-decide", cast.case, public_id=closure.public_id),
        {"decision": "approve"},
    )

    assert response.status_code == 403
    cast.case.refresh_from_db()
    assert not cast.case.is_closed


def test_read_only_auditor_gets_403_on_forms(cast, client_for):
    client = client_for("auditor")
    session = client.session
    session[PURPOSE_SESSION_PREFIX + cast.case.reference] = "Complaint review."
    session.save()

    response = client.get(case_url("case-edit", cast.case))

    assert response.status_code == 403


# Purpose of access -------------------------------------------------------------


def test_auditor_is_asked_for_purpose_before_opening_case(cast, client_for):
    detail = case_url("case-detail", cast.case)

    response = client_for("auditor").get(detail)

    assert response.status_code == 302
    assert response.url.startswith(case_url("case-purpose", cast.case))
    assert not AuditEvent.objects.filter(event_type=EventType.CASE_VIEWED).exists()


def test_purpose_page_shows_no_case_details(cast, client_for):
    response = client_for("auditor").get(case_url("case-purpose", cast.case))

    assert response.status_code == 200
    assert cast.case.summary not in response.text
    assert "Avery" not in response.text


def test_purpose_too_short_is_refused(cast, client_for):
    response = client_for("auditor").post(
        case_url("case-purpose", cast.case), {"purpose": "because"}
    )

    assert "Reason must be 10 characters or more." in response.text


def test_purpose_given_then_case_opens_with_purpose_audited(cast, client_for):
    client = client_for("auditor")
    detail = case_url("case-detail", cast.case)
    purpose = "Complaint ref 2026-14 about disclosure."

    response = client.post(
        case_url("case-purpose", cast.case), {"purpose": purpose, "next": detail}
    )
    opened = client.get(detail)

    assert response.status_code == 302
    assert response.url == detail
    assert opened.status_code == 200
    given = AuditEvent.objects.get(event_type=EventType.CASE_PURPOSE_GIVEN)
    viewed = AuditEvent.objects.get(event_type=EventType.CASE_VIEWED)
    assert given.purpose == viewed.purpose == purpose


@pytest.mark.parametrize(
    "target", ["https://evil.example/steal", "//evil.example/", "javascript:alert(1)"]
)
def test_purpose_ignores_unsafe_next(cast, client_for, target):
    response = client_for("panel_coordinator").post(
        case_url("case-purpose", cast.case),
        {"purpose": "Agenda for the March panel.", "next": target},
    )

    assert response.url == case_url("case-detail", cast.case)


def test_worker_without_purpose_role_opens_case_directly(cast, client_for):
    response = client_for("lead_worker").get(case_url("case-detail", cast.case))

    assert response.status_code == 200


# Break-the-glass ---------------------------------------------------------------

REASON = "Caller reports the perpetrator is outside the victim's home now."


def break_glass(client, reference, **extra):
    return client.post(
        reverse("cases:break-glass"),
        {"reference": reference, "reason": REASON, "confirm": "on", **extra},
    )


def test_break_glass_grants_access_and_notifies_lead_managers(cast, client_for):
    client = client_for("outsider_manager")
    factor_proved(client)
    assert client.get(case_url("case-detail", cast.case)).status_code == 404

    response = break_glass(client, cast.case.reference.lower())
    opened = client.get(case_url("case-detail", cast.case))

    assert response.status_code == 302
    assert response.url == case_url("case-detail", cast.case)
    assert opened.status_code == 200
    assert "You opened this case by breaking the glass" in opened.text
    [notice] = Notification.objects.filter(kind=Notification.Kind.BREAK_GLASS)
    assert notice.recipient == cast.lead_manager
    event = AuditEvent.objects.get(event_type=EventType.CASE_BREAK_GLASS)
    assert event.purpose == REASON


def test_break_glass_on_visible_case_just_redirects(cast, client_for):
    client = client_for("lead_manager")
    factor_proved(client)

    response = break_glass(client, cast.case.reference)

    assert response.status_code == 302
    assert not BreakGlassGrant.objects.exists()


def test_break_glass_unknown_reference_is_refused_and_audited(cast, client_for):
    client = client_for("outsider_manager")
    factor_proved(client)

    response = break_glass(client, "STK-ZZZZ-ZZZZ")

    assert response.status_code == 200
    assert "No case has that reference." in response.text
    event = AuditEvent.objects.get(event_type=EventType.CASE_BREAK_GLASS_NOT_FOUND)
    assert event.target_id == "STK-ZZZZ-ZZZZ"


def test_break_glass_with_a_stale_factor_asks_for_a_code(cast, client_for):
    client = client_for("outsider_manager")
    factor_proved(client, ago=dt.timedelta(minutes=6))

    page = client.get(reverse("cases:break-glass"))
    response = break_glass(client, cast.case.reference)

    assert "Code from your authenticator app" in page.text
    assert response.status_code == 200
    assert "Enter the code from your authenticator app." in response.text
    assert not BreakGlassGrant.objects.exists()
    assert not AuditEvent.objects.filter(event_type=EventType.CASE_BREAK_GLASS)


def test_break_glass_with_a_wrong_code_is_refused_and_audited(cast, client_for):
    client = client_for("outsider_manager")

    response = break_glass(client, cast.case.reference, step_up_code="000000")

    assert response.status_code == 200
    assert "The code is not correct." in response.text
    assert 'value="000000"' not in response.text
    assert not BreakGlassGrant.objects.exists()
    failed = AuditEvent.objects.get(event_type=EventType.STEP_UP_FAILED)
    assert failed.target_id == "case.break_glass"
    assert failed.agency_label == "Police B"


def test_break_glass_with_a_right_code_opens_the_case(cast, client_for):
    client = client_for("outsider_manager")
    code = totp_code(authenticator_for(cast.outsider_manager))

    response = break_glass(client, cast.case.reference, step_up_code=code)

    assert response.status_code == 302
    assert BreakGlassGrant.objects.filter(user=cast.outsider_manager).exists()
    assert AuditEvent.objects.filter(
        event_type=EventType.STEP_UP_VERIFIED, target_id="case.break_glass"
    ).exists()


def test_break_glass_requires_reason_and_confirmation(cast, client_for):
    response = client_for("outsider_manager").post(
        reverse("cases:break-glass"), {"reference": cast.case.reference, "reason": "x"}
    )

    assert "Reason must be 20 characters or more." in response.text
    assert "Confirm that this is an emergency." in response.text
    assert not BreakGlassGrant.objects.exists()


def test_break_glass_forbidden_without_verb(cast, client_for):
    response = client_for("outsider").get(reverse("cases:break-glass"))

    assert response.status_code == 403
