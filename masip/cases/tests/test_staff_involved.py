"""Marking a case as involving an agency's staff, and clearing the mark."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from masip.access.roles import RoleName
from masip.accounts.models import Notification
from masip.accounts.tests.factories import MembershipFactory
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import CaseStaffInvolvement
from masip.cases.services.staff_involved import (
    case_staff_involved_clear,
    case_staff_involved_mark,
)
from masip.cases.tests.factories import CaseStaffInvolvementFactory
from masip.core.errors import DomainError
from masip.people.tests.factories import actor_for

REASON = "The person who stalks is a serving officer of that force."


def _url(cast, name="case-staff-involved"):
    return reverse(f"cases:{name}", args=[cast.case.reference])


def _purpose(client, cast):
    client.post(
        reverse("cases:case-purpose", args=[cast.case.reference]),
        {"purpose": "Misconduct investigation into a serving officer."},
    )


def test_lead_manager_marks_another_agency_and_its_standards_are_told(cast, client_for):
    standards_b = MembershipFactory(
        agency=cast.police_b, role=RoleName.PROFESSIONAL_STANDARDS
    ).user

    response = client_for("lead_manager").post(
        _url(cast), {"agency": cast.police_b.pk, "reason": REASON}
    )

    assert response.status_code == 302
    assert response.url == _url(cast)
    mark = CaseStaffInvolvement.objects.get(case=cast.case)
    assert (mark.agency, mark.marked_by, mark.reason) == (
        cast.police_b,
        cast.lead_manager,
        REASON,
    )
    notice = Notification.objects.get(recipient=standards_b)
    assert notice.kind == Notification.Kind.STAFF_INVOLVED
    assert REASON not in notice.message
    event = AuditEvent.objects.get(event_type=EventType.CASE_STAFF_INVOLVED_SET)
    assert event.case_reference == cast.case.reference
    assert event.changed_fields == ["agency", "reason"]


def test_marking_your_own_agency_sends_you_to_the_case_list(cast, client_for):
    client = client_for("lead_manager")

    response = client.post(_url(cast), {"agency": cast.police_a.pk, "reason": REASON})

    assert response.url == reverse("cases:case-list")
    assert client.get(_url(cast, "case-detail")).status_code == 404
    assert Notification.objects.filter(recipient=cast.professional_standards).exists()


def test_marking_needs_a_reason(cast, client_for):
    response = client_for("lead_manager").post(
        _url(cast), {"agency": cast.police_b.pk, "reason": "short"}
    )

    assert response.status_code == 200
    assert b"The reason must be at least 10 characters." in response.content
    assert not CaseStaffInvolvement.objects.exists()


def test_an_agency_already_marked_is_not_offered_again(cast, client_for):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_b)

    response = client_for("lead_manager").post(
        _url(cast), {"agency": cast.police_b.pk, "reason": REASON}
    )

    assert b"Select an agency from the list." in response.content
    assert CaseStaffInvolvement.objects.count() == 1


def test_marking_twice_is_refused_by_the_service(cast):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_b)

    with pytest.raises(DomainError):
        case_staff_involved_mark(
            actor=actor_for(cast.lead_manager),
            case=cast.case,
            agency=cast.police_b,
            reason=REASON,
        )


def test_page_lists_the_marks(cast, client_for):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_b, reason=REASON)

    page = client_for("lead_manager").get(_url(cast))

    assert page.status_code == 200
    assert REASON.encode() in page.content
    assert b"Clear a mark" in page.content


@pytest.mark.parametrize("persona", ["lead_worker", "partner_worker"])
def test_case_workers_cannot_mark(cast, client_for, persona):
    assert client_for(persona).get(_url(cast)).status_code == 403


def test_sharing_agency_manager_cannot_mark(cast, client_for):
    manager = MembershipFactory(agency=cast.nhs_a, role=RoleName.TEAM_MANAGER).user
    cast.nhs_manager = manager
    client = client_for("nhs_manager")

    assert client.get(_url(cast)).status_code == 403


def test_outsider_gets_404(cast, client_for):
    assert client_for("outsider_manager").get(_url(cast)).status_code == 404


def test_professional_standards_clear_their_own_mark_and_lose_reach(cast, client_for):
    mark = CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_a)
    client = client_for("professional_standards")
    _purpose(client, cast)

    response = client.post(
        _url(cast, "case-staff-involved-clear"),
        {"mark": mark.pk, "reason": "The officer was misidentified."},
    )

    assert response.url == reverse("cases:case-list")
    mark.refresh_from_db()
    assert mark.cleared_by == cast.professional_standards
    assert AuditEvent.objects.filter(
        event_type=EventType.CASE_STAFF_INVOLVED_CLEARED
    ).exists()
    lead = client_for("lead_worker").get(_url(cast, "case-detail"))
    assert lead.status_code == 200


def test_professional_standards_cannot_clear_another_agencys_mark(cast, client_for):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_a)
    other = CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_b)
    client = client_for("professional_standards")
    _purpose(client, cast)

    response = client.post(
        _url(cast, "case-staff-involved-clear"),
        {"mark": other.pk, "reason": "Not our officer after all."},
    )

    assert b"Select a mark from the list." in response.content
    with pytest.raises(PermissionDenied):
        case_staff_involved_clear(
            actor=actor_for(cast.professional_standards), mark=other, reason=REASON
        )


def test_professional_standards_may_mark_another_agency(cast, client_for):
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_a)
    client = client_for("professional_standards")
    _purpose(client, cast)

    response = client.post(_url(cast), {"agency": cast.police_b.pk, "reason": REASON})

    assert response.url == _url(cast)
    assert CaseStaffInvolvement.objects.active().count() == 2


def test_lead_manager_clears_a_mark(cast, client_for):
    mark = CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_b)

    response = client_for("lead_manager").post(
        _url(cast, "case-staff-involved-clear"),
        {"mark": mark.pk, "reason": "Suspect has left the force's employment."},
    )

    assert response.url == _url(cast)
    assert not CaseStaffInvolvement.objects.active().exists()


def test_clearing_twice_is_refused(cast):
    mark = CaseStaffInvolvementFactory(case=cast.case, agency=cast.police_b)
    actor = actor_for(cast.lead_manager)
    case_staff_involved_clear(actor=actor, mark=mark, reason=REASON)

    with pytest.raises(DomainError):
        case_staff_involved_clear(actor=actor, mark=mark, reason=REASON)


def test_clear_page_without_marks_says_so(cast, client_for):
    page = client_for("lead_manager").get(_url(cast, "case-staff-involved-clear"))

    assert page.status_code == 200
    assert b"There is no mark you can clear" in page.content
