"""Declaring, listing and withdrawing conflicts of interest; managers' view."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masip.access.policy import Access
from masip.access.roles import RoleName
from masip.accounts.conflict_services import conflict_withdraw
from masip.accounts.models import ConflictDeclaration, Membership
from masip.accounts.tests.factories import (
    ConflictDeclarationFactory,
    MembershipFactory,
    TeamFactory,
)
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.core.errors import DomainError
from masip.people.tests.factories import actor_for


def _declare(client, **extra):
    data = {"given_name": "Blake", "family_name": "Testperp", "relationship": "friend"}
    return client.post(reverse("conflicts:declare"), {**data, **extra})


def test_declaring_takes_effect_at_once_and_is_audited(cast, client_for):
    client = client_for("lead_worker")
    case_url = reverse("cases:case-detail", args=[cast.case.reference])
    assert client.get(case_url).status_code == 200

    response = _declare(client, given_name="  Blake ")

    assert response.status_code == 302
    assert response.url == reverse("conflicts:list")
    declaration = ConflictDeclaration.objects.get(user=cast.lead_worker)
    assert declaration.full_name == "Blake Testperp"
    event = AuditEvent.objects.get(event_type=EventType.CONFLICT_DECLARED)
    assert event.changed_fields == ["family_name", "given_name", "relationship"]
    assert "Testperp" not in event.target_id
    assert client.get(case_url).status_code == 404


def test_the_list_never_says_whether_the_name_matched(cast, client_for):
    client = client_for("lead_worker")
    _declare(client)
    _declare(client, given_name="Nobody", family_name="Unknown")

    page = client.get(reverse("conflicts:list")).content.decode()

    assert "Blake Testperp" in page
    assert "Nobody Unknown" in page
    assert cast.case.reference not in page
    assert "match" not in page.lower()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"given_name": ""}, "Enter the person&#x27;s first name."),
        ({"family_name": ""}, "Enter the person&#x27;s last name."),
        ({"relationship": ""}, "Select how you know the person."),
        (
            {
                "date_of_birth_day": "1",
                "date_of_birth_month": "1",
                "date_of_birth_year": str(timezone.localdate().year + 1),
            },
            "The date of birth must be in the past.",
        ),
        (
            {
                "date_of_birth_day": "31",
                "date_of_birth_month": "2",
                "date_of_birth_year": "1990",
            },
            "Enter a real date.",
        ),
    ],
)
def test_bad_input_gets_a_clear_message(cast, client_for, extra, message):
    response = _declare(client_for("lead_worker"), **extra)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ConflictDeclaration.objects.exists()


def test_date_of_birth_is_kept(cast, client_for):
    _declare(
        client_for("lead_worker"),
        date_of_birth_day="2",
        date_of_birth_month="3",
        date_of_birth_year="1985",
    )

    assert ConflictDeclaration.objects.get().date_of_birth == dt.date(1985, 3, 2)


def test_declare_page_renders(cast, client_for):
    page = client_for("analyst").get(reverse("conflicts:declare"))

    assert page.status_code == 200
    assert b"Declare a conflict of interest" in page.content


def test_someone_with_no_agency_cannot_declare(cast, client_for):
    cast.analyst.memberships.update(is_active=False)

    assert client_for("analyst").get(reverse("conflicts:declare")).status_code == 403


def test_withdrawing_reopens_the_case_and_is_audited(cast, client_for):
    client = client_for("lead_worker")
    _declare(client)
    declaration = ConflictDeclaration.objects.get()

    response = client.post(reverse("conflicts:withdraw", args=[declaration.pk]))

    assert response.url == reverse("conflicts:list")
    declaration.refresh_from_db()
    assert declaration.withdrawn_at is not None
    assert AuditEvent.objects.filter(event_type=EventType.CONFLICT_WITHDRAWN).exists()
    case_url = reverse("cases:case-detail", args=[cast.case.reference])
    assert client.get(case_url).status_code == 200


def test_withdrawing_twice_says_so(cast, client_for):
    client = client_for("lead_worker")
    declaration = ConflictDeclarationFactory(
        user=cast.lead_worker, withdrawn_at=timezone.now()
    )

    response = client.post(
        reverse("conflicts:withdraw", args=[declaration.pk]), follow=True
    )

    assert b"That declaration has already been withdrawn." in response.content


def test_someone_elses_declaration_is_404(cast, client_for):
    declaration = ConflictDeclarationFactory(user=cast.lead_manager)

    response = client_for("outsider").post(
        reverse("conflicts:withdraw", args=[declaration.pk])
    )

    assert response.status_code == 404
    assert ConflictDeclaration.objects.get().withdrawn_at is None


def test_the_service_refuses_another_users_declaration(cast):
    declaration = ConflictDeclarationFactory(user=cast.lead_manager)

    with pytest.raises(DomainError):
        conflict_withdraw(actor=actor_for(cast.lead_worker), declaration=declaration)


def test_managers_see_their_agencys_staff_declarations(cast, client_for):
    ConflictDeclarationFactory(user=cast.lead_worker, given_name="Ours")
    ConflictDeclarationFactory(user=cast.outsider, given_name="Theirs")

    page = client_for("lead_manager").get(reverse("conflicts:staff-list"))

    assert page.status_code == 200
    assert b"Ours Person" in page.content
    assert b"Theirs Person" not in page.content
    assert AuditEvent.objects.filter(event_type=EventType.CONFLICT_LIST_VIEWED).exists()


def test_a_team_manager_with_a_team_sees_only_that_team(cast, client_for):
    team = TeamFactory(agency=cast.police_a)
    Membership.objects.filter(user=cast.lead_manager).update(team=team)
    teammate = MembershipFactory(agency=cast.police_a, team=team).user
    ConflictDeclarationFactory(user=teammate, given_name="Teammates")
    ConflictDeclarationFactory(user=cast.lead_worker, given_name="Elsewhere")

    page = client_for("lead_manager").get(reverse("conflicts:staff-list"))

    assert b"Teammates Person" in page.content
    assert b"Elsewhere Person" not in page.content


def test_professional_standards_see_the_whole_agency(cast, client_for):
    ConflictDeclarationFactory(user=cast.lead_worker, given_name="Worker")

    page = client_for("professional_standards").get(reverse("conflicts:staff-list"))

    assert b"Worker Person" in page.content


@pytest.mark.parametrize("persona", ["lead_worker", "outsider", "analyst"])
def test_staff_list_needs_the_verb(cast, client_for, persona):
    response = client_for(persona).get(reverse("conflicts:staff-list"))

    assert response.status_code == 403


def test_staff_list_selector_is_empty_without_the_verb(cast):
    from masip.accounts.conflict_selectors import conflict_list_for_staff

    assert not conflict_list_for_staff(Access(cast.lead_worker)).exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["conflicts:list", "conflicts:staff-list"])
def test_lists_run_a_constant_number_of_queries(cast, client_for, url_name):
    client = client_for("lead_manager")
    url = reverse(url_name)

    def grow(n):
        for _ in range(n):
            user = MembershipFactory(agency=cast.police_a, role=RoleName.CASE_WORKER)
            ConflictDeclarationFactory(user=user.user)
            ConflictDeclarationFactory(user=cast.lead_manager)

    grow(1)
    few = _count(client, url)
    grow(12)
    many = _count(client, url)

    assert few == many


def test_case_list_query_count_is_constant_with_blocks(cast, client_for):
    from masip.cases.tests.factories import CaseFactory, CaseStaffInvolvementFactory

    client = client_for("lead_worker")
    ConflictDeclarationFactory(user=cast.lead_worker)
    url = reverse("cases:case-list")

    def grow(n):
        for _ in range(n):
            case = CaseFactory(lead_agency=cast.police_a)
            CaseStaffInvolvementFactory(case=case, agency=cast.police_b)

    grow(2)
    few = _count(client, url)
    grow(15)
    many = _count(client, url)

    assert few == many
