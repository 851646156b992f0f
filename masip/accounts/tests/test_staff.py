"""Agency administrators manage their own agency's staff, and nobody else's."""

from django.urls import reverse

from masip.access.roles import RoleName
from masip.accounts.models import Membership
from masip.audit.events import EventType
from masip.audit.models import AuditEvent


def test_staff_list_shows_own_agency_only(cast, client_for):
    page = client_for("agency_admin").get(reverse("accounts:staff-list"))

    assert page.status_code == 200
    assert b"Lead Worker" in page.content
    assert b"Partner Worker" not in page.content


def test_staff_pages_refuse_other_roles(client_for):
    for persona in ("lead_worker", "lead_manager", "auditor", "analyst"):
        assert (
            client_for(persona).get(reverse("accounts:staff-list")).status_code == 403
        )


def test_add_member_creates_account_membership_and_audit(cast, client_for):
    response = client_for("agency_admin").post(
        reverse("accounts:staff-add"),
        {
            "email": "New.Officer@Example.test",
            "full_name": "New Officer",
            "role": RoleName.CASE_WORKER,
        },
    )

    assert response.status_code == 302
    member = Membership.objects.get(user__email="new.officer@example.test")
    assert member.agency == cast.police_a
    assert not member.user.has_usable_password()
    assert (
        AuditEvent.objects.filter(event_type=EventType.MEMBERSHIP_CHANGED).count() == 1
    )


def test_add_member_twice_is_a_form_error(cast, client_for):
    data = {
        "email": "lead_worker@example.test",
        "full_name": "Again",
        "role": RoleName.CASE_WORKER,
    }

    response = client_for("agency_admin").post(reverse("accounts:staff-add"), data)

    assert response.status_code == 200
    assert b"is already a member of Police A" in response.content


def test_add_member_blank_form_shows_errors(client_for):
    response = client_for("agency_admin").post(reverse("accounts:staff-add"), {})

    assert b"Enter their email address." in response.content
    assert b"Select a role." in response.content


def test_switching_off_a_membership_removes_case_reach(cast, client_for):
    member = Membership.objects.get(user=cast.lead_worker)

    client_for("agency_admin").post(
        reverse("accounts:staff-edit", args=[member.pk]), {"role": RoleName.CASE_WORKER}
    )

    member.refresh_from_db()
    assert member.is_active is False
    assert (
        client_for("lead_worker")
        .get(reverse("cases:case-detail", args=[cast.case.reference]))
        .status_code
        == 404
    )


def test_editing_another_agencys_member_is_404(cast, client_for):
    other = Membership.objects.get(user=cast.outsider)

    response = client_for("agency_admin").get(
        reverse("accounts:staff-edit", args=[other.pk])
    )

    assert response.status_code == 404


def test_admin_cannot_demote_themselves(cast, client_for):
    own = Membership.objects.get(user=cast.agency_admin)

    response = client_for("agency_admin").post(
        reverse("accounts:staff-edit", args=[own.pk]),
        {"role": RoleName.CASE_WORKER, "is_active": "on"},
    )

    assert response.status_code == 200
    assert b"You cannot change your own role" in response.content
