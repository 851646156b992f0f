"""Staff-involved cases and declared conflicts, end to end over every URL.

A case marked as involving Police A's staff, or a conflict declared with one of
its people, leaves the blocked users 0 records across every case URL (GET and
POST), the lists and the searches; each attempt on a case URL is audited.
"""

import pytest
from django.urls import reverse

from masip.accounts.tests.stepup_helpers import factor_proved
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import BreakGlassGrant
from masip.cases.tests.factories import CaseFactory, CaseStaffInvolvementFactory
from tests.access.test_url_matrix import CASE_URLS, _fill, _stable

POLICE_A_STAFF = ("lead_worker", "lead_manager")


def _blocked_events(user, event_type):
    return AuditEvent.objects.filter(actor_id=user.pk, event_type=event_type)


def _every_case_url_is_404(client, cast):
    failures, attempts = [], 0
    for name, route in CASE_URLS:
        path = _fill(route, cast)
        for method in ("get", "post"):
            attempts += 1
            status = getattr(client, method)(path).status_code
            if status != 404:
                failures.append(f"{method.upper()} {name}: {status}")
    return failures, attempts


def _lists_show_nothing_of(client, cast):
    """The case in no list, search or count the user can open."""
    other = CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)
    case_list = reverse("cases:case-list")
    searches = ["Testvictim", cast.case.reference]  # POSTed, kept in the session
    pages = [
        case_list,
        *(client.post(case_list, {"q": q})["Location"] for q in searches),
        reverse("cases:my-cases"),
        reverse("people:person-add", args=[other.reference]) + "?search=Testperp",
    ]
    forbidden = (f"/cases/{cast.case.reference}/", "Avery Testvictim", "Blake Testperp")
    leaks = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        leaks += [(url, text) for text in forbidden if text in html]
    return leaks


@pytest.mark.parametrize("persona", POLICE_A_STAFF)
def test_staff_of_a_marked_agency_see_nothing_anywhere(cast, client_for, persona):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_a)
    client = client_for(persona)
    user = cast.persona(persona)

    failures, attempts = _every_case_url_is_404(client, cast)
    leaks = _lists_show_nothing_of(client, cast)

    assert not failures, "\n".join(failures)
    assert not leaks
    events = _blocked_events(user, EventType.STAFF_INVOLVED_ACCESS_BLOCKED)
    assert events.count() == attempts
    assert set(events.values_list("case_reference", "agency_id")) == {
        (cast.case.reference, cast.police_a.pk)
    }


def test_blocked_and_missing_cases_look_the_same(cast, client_for):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_a)
    client = client_for("lead_worker")
    real = reverse("cases:case-detail", args=[cast.case.reference])

    blocked = client.get(real)
    missing = client.get(real.replace(cast.case.reference, "STK-0000-0000"))

    assert blocked.status_code == missing.status_code == 404
    assert _stable(blocked.content) == _stable(missing.content)


def test_other_agencies_keep_the_case_when_one_is_marked(cast, client_for):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_a)

    response = client_for("advocate").get(
        reverse("cases:case-detail", args=[cast.case.reference])
    )

    assert response.status_code == 200


def test_professional_standards_open_the_marked_case_after_a_purpose(cast, client_for):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_a)
    client = client_for("professional_standards")
    url = reverse("cases:case-detail", args=[cast.case.reference])

    assert client.get(url).status_code == 302
    client.post(
        reverse("cases:case-purpose", args=[cast.case.reference]),
        {"purpose": "Misconduct investigation into a serving officer.", "next": url},
    )
    page = client.get(url)

    assert page.status_code == 200
    assert b"1 Sealed Street" not in page.content
    assert b"Testvictim" in page.content


def test_conflict_blocks_every_url_and_each_attempt_is_audited(cast, client_for):
    client = client_for("lead_worker")
    client.post(
        reverse("conflicts:declare"),
        {
            "given_name": "blake",
            "family_name": " TESTPERP ",
            "relationship": "relative",
        },
    )

    failures, attempts = _every_case_url_is_404(client, cast)
    leaks = _lists_show_nothing_of(client, cast)

    assert not failures, "\n".join(failures)
    assert not leaks
    events = _blocked_events(cast.lead_worker, EventType.CONFLICT_ACCESS_BLOCKED)
    assert events.count() == attempts
    assert client_for("lead_manager").get(
        reverse("cases:case-detail", args=[cast.case.reference])
    ).status_code in {200, 302}


def test_break_the_glass_on_a_blocked_case_answers_as_missing(cast, client_for):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_b)
    client = client_for("outsider_manager")
    factor_proved(client)  # break-the-glass needs a fresh second factor
    data = {
        "reference": cast.case.reference,
        "reason": "Out-of-hours call reporting an immediate threat to life.",
        "confirm": "on",
    }

    blocked = client.post(reverse("cases:break-glass"), data)
    missing = client.post(
        reverse("cases:break-glass"), {**data, "reference": "STK-0000-0000"}
    )

    assert blocked.status_code == missing.status_code == 200
    assert b"No case has that reference." in blocked.content
    assert not BreakGlassGrant.objects.filter(case=cast.case).exists()
    assert _blocked_events(
        cast.outsider_manager, EventType.STAFF_INVOLVED_ACCESS_BLOCKED
    ).exists()
