"""Row-level security holds on its own: queries that forget their filter.

Each test runs as a role made by ``masip db_roles``' code inside the test's
transaction (no ownership, row privileges only), never as the superuser that
runs the suite and passes every policy. PostgreSQL only: SQLite has no
row-level security and relies on the application policy alone (ADR 0013).
"""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from masip.access.policy import Access
from masip.cases.models import BreakGlassGrant, Case, CaseNote
from masip.cases.tests.factories import (
    CaseNoteFactory,
    CaseParticipantFactory,
    CaseShareFactory,
)
from masip.incidents.models import Incident
from masip.incidents.tests.factories import IncidentFactory
from masip.isolation import context, scope
from masip.isolation.coverage import protected_models
from masip.isolation.models import CaseReach
from masip.isolation.testing import (
    as_role,
    execute,
    make_app_role,
    new_role_name,
    reach_of,
)
from masip.people.models import Address, Person
from masip.people.tests.factories import AddressFactory, PersonFactory
from tests.personas import PERSONAS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row-level security exists on PostgreSQL only; SQLite relies on "
        "the application policy alone.",
    ),
]


@pytest.fixture
def app_role(cast):
    return make_app_role()


@pytest.fixture
def other_case_records(cast):
    """Children of ``other_case`` (Police B, site B): none may leak to site A."""
    person = PersonFactory(
        family_name="Othercase",
        created_by=cast.outsider,
        created_by_agency=cast.police_b,
    )
    CaseParticipantFactory(case=cast.other_case, person=person, added_by=cast.outsider)
    AddressFactory(person=person, line_1="2 Other Road")
    IncidentFactory(
        case=cast.other_case,
        recorded_by=cast.outsider,
        recorded_by_agency=cast.police_b,
    )
    CaseNoteFactory(case=cast.other_case, author=cast.outsider, agency=cast.police_b)
    return person


def _references() -> set[str]:
    return set(Case.objects.values_list("reference", flat=True))


def _raw_references() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reference FROM cases_case")
        return {row[0] for row in cursor.fetchall()}


def _models():
    from django.apps import apps

    return [apps.get_model(label) for label in sorted(protected_models())]


@pytest.mark.parametrize("persona", PERSONAS)
def test_unscoped_queries_return_only_the_cases_in_reach(
    cast, other_case_records, app_role, persona
):
    user = cast.persona(persona)
    expected = set(Access(user).visible_cases().values_list("reference", flat=True))

    with as_role(app_role), reach_of(user):
        orm, raw = _references(), _raw_references()

    assert orm == raw == expected


def test_a_worker_sees_only_their_cases_children(cast, other_case_records, app_role):
    with as_role(app_role), reach_of(cast.lead_worker):
        incidents = set(Incident.objects.values_list("case_id", flat=True))
        notes = set(CaseNote.objects.values_list("case_id", flat=True))
        people = set(Person.objects.values_list("family_name", flat=True))
        addresses = {address.line_1 for address in Address.objects.all()}

    assert incidents == notes == {cast.case.pk}
    assert people == {"Testvictim", "Testperp"}
    assert addresses == {"1 Sealed Street"}


def test_with_no_settings_every_protected_table_is_empty(
    cast, other_case_records, app_role
):
    totals = {m._meta.label: m.objects.count() for m in _models()}
    with as_role(app_role), reach_of(None):
        seen = {m._meta.label: m.objects.count() for m in _models()}

    assert sum(totals.values()) > 0
    assert seen == dict.fromkeys(totals, 0)


def test_an_unset_connection_sees_no_case(cast, app_role):
    with as_role(app_role):
        assert Case.objects.count() == 0
        assert _raw_references() == set()


def test_inserting_into_another_agencys_case_is_refused(cast, app_role):
    with as_role(app_role), reach_of(cast.lead_worker):
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
        ):
            CaseNote.objects.create(
                case_id=cast.other_case.pk,
                text="Planted note",
                author=cast.lead_worker,
                agency=cast.police_a,
            )
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
        ):
            Case.objects.create(
                reference="STK-PLNT-0001",
                lead_agency=cast.police_b,
                referral_source="police",
                referred_on=dt.date(2026, 1, 5),
                created_by=cast.lead_worker,
            )
        # Own case: the same insert is accepted.
        CaseNote.objects.create(
            case_id=cast.case.pk,
            text="Fine",
            author=cast.lead_worker,
            agency=cast.police_a,
        )

    assert not CaseNote.objects.filter(case_id=cast.other_case.pk).exists()


def test_updates_and_deletes_out_of_reach_touch_nothing(cast, app_role):
    with as_role(app_role), reach_of(cast.lead_worker):
        updated = Case.objects.filter(pk=cast.other_case.pk).update(summary="Changed")
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM cases_caseshare WHERE case_id = %s", [cast.other_case.pk]
            )
            deleted = cursor.rowcount
        # Moving an own row into another agency's case is refused too.
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
        ):
            Incident.objects.filter(pk=cast.incident.pk).update(
                case_id=cast.other_case.pk
            )

    assert (updated, deleted) == (0, 0)
    cast.other_case.refresh_from_db()
    assert cast.other_case.summary != "Changed"


def test_an_expired_share_stops_reaching_the_case(cast, app_role):
    cast.case.shares.filter(agency=cast.probation_a).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )

    with as_role(app_role), reach_of(cast.partner_worker):
        assert Case.objects.count() == 0
        assert Incident.objects.count() == 0


def test_the_application_role_cannot_claim_trusted_work(cast, app_role):
    with as_role(app_role), context.system_work():
        assert scope.current("trusted") == "on"
        assert Case.objects.count() == 0


def test_trusted_work_passes_for_a_member_of_the_table_owner(cast):
    # A non-superuser owner, and a system role that is a member of it: inside
    # system_work every row is there; outside it, none (fail closed).
    owner, system = new_role_name("masip_test_owner"), new_role_name("masip_test_sys")
    execute(f"CREATE ROLE {owner} NOLOGIN")
    execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign key checks
    execute(f"ALTER TABLE cases_case OWNER TO {owner}")
    execute("SET CONSTRAINTS ALL DEFERRED")
    execute(f"CREATE ROLE {system} NOLOGIN IN ROLE {owner}")
    execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {system}")

    with as_role(system):
        outside = Case.objects.count()
        with context.system_work():
            inside = Case.objects.count()

    assert (outside, inside) == (0, 2)


def test_break_glass_reveals_one_case_row_and_accepts_the_own_grant(cast, app_role):
    manager = cast.outsider_manager  # Police B, reaching only other_case
    with as_role(app_role), reach_of(manager):
        before = Case.objects.filter(pk=cast.case.pk).exists()
        with context.reveal_case(cast.case.reference):
            revealed = list(Case.objects.values_list("reference", flat=True))
            children = Incident.objects.filter(case_id=cast.case.pk).count()
        BreakGlassGrant.objects.create(
            case_id=cast.case.pk,
            user=manager,
            agency=cast.police_b,
            reason="Emergency",
            expires_at=timezone.now() + dt.timedelta(hours=4),
        )
        after = Incident.objects.filter(case_id=cast.case.pk).count()

    assert not before
    assert sorted(revealed) == sorted([cast.case.reference, cast.other_case.reference])
    assert (children, after) == (0, 1)


def test_a_worker_who_may_not_break_the_glass_gets_no_reveal(cast, app_role):
    with as_role(app_role), reach_of(cast.outsider):
        with context.reveal_case(cast.case.reference):
            assert not Case.objects.filter(pk=cast.case.pk).exists()
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
        ):
            BreakGlassGrant.objects.create(
                case_id=cast.case.pk,
                user=cast.outsider,
                agency=cast.police_b,
                reason="Not allowed",
                expires_at=timezone.now() + dt.timedelta(hours=4),
            )


def test_aggregate_reads_need_the_grant_the_context_and_stay_read_only(cast, app_role):
    with as_role(app_role), reach_of(cast.analyst):
        outside = Case.objects.count()
        with context.aggregate_read():
            inside = Case.objects.count()
            people = Person.objects.count()
            changed = Case.objects.update(summary="Changed")
    with as_role(app_role), reach_of(cast.lead_worker), context.aggregate_read():
        worker = Case.objects.count()

    assert (outside, inside, people, changed, worker) == (0, 2, 0, 0, 1)


def test_a_person_being_created_is_reachable_by_its_creator_until_on_a_case(
    cast, app_role
):
    with as_role(app_role), reach_of(cast.outsider):
        person = Person.objects.create(
            given_name="New",
            created_by=cast.outsider,
            created_by_agency=cast.police_b,
        )
        AddressFactory(person=person, line_1="3 New Lane")
        CaseParticipantFactory(
            case=cast.other_case, person=person, added_by=cast.outsider
        )
        on_own_case = Person.objects.filter(pk=person.pk).exists()
    # Once on a case, the person follows the case: Police A cannot see them.
    with as_role(app_role), reach_of(cast.lead_worker):
        seen_elsewhere = Person.objects.filter(pk=person.pk).exists()
        # Nor can anyone claim another user's orphan: created_by must be theirs.
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
        ):
            Person.objects.create(
                given_name="Forged",
                created_by=cast.outsider,
                created_by_agency=cast.police_b,
            )

    assert on_own_case
    assert not seen_elsewhere


def test_cases_shared_in_reach_keep_their_share_list_visible(cast, app_role):
    CaseShareFactory(
        case=cast.other_case, agency=cast.police_a, granted_by=cast.outsider_manager
    )

    with as_role(app_role), reach_of(cast.lead_worker):
        references = _references()
        shares = cast.other_case.shares.count()

    assert references == {cast.case.reference, cast.other_case.reference}
    assert shares == 1


def test_the_policies_hold_when_the_owner_is_not_a_superuser(
    cast, other_case_records, app_role
):
    # CI migrates as a superuser, which passes every policy; production
    # migrates as an ordinary owner. Hand the tables and the helper functions
    # to one, and the reach (computed by functions running as the owner) is
    # the same, the owner itself fails closed outside system work.
    owner = new_role_name("masip_test_owner")
    execute(f"CREATE ROLE {owner} NOLOGIN")
    execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign key checks
    for model in [*_models(), CaseReach]:
        execute(f"ALTER TABLE {model._meta.db_table} OWNER TO {owner}")
    execute("SET CONSTRAINTS ALL DEFERRED")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "WHERE (p.proname LIKE %s OR p.proname LIKE %s) "
            "AND p.pronamespace = current_schema()::regnamespace",
            ["masip\\_rls\\_%", "masip\\_reach\\_%"],
        )
        functions = [row[0] for row in cursor.fetchall()]
    for function in functions:
        execute(f"ALTER FUNCTION {function} OWNER TO {owner}")
    execute(f"GRANT SELECT ON accounts_agency TO {owner}")
    expected = set(
        Access(cast.partner_worker).visible_cases().values_list("reference", flat=True)
    )

    with as_role(app_role), reach_of(cast.partner_worker):
        worker = _references()
        people = set(Person.objects.values_list("family_name", flat=True))
    with as_role(owner):
        outside = Case.objects.count()
        with context.system_work():
            inside = Case.objects.count()

    assert len(functions) == 15 + 7  # helpers, and the reach table's triggers
    assert worker == expected == {cast.case.reference}
    assert people == {"Testvictim", "Testperp"}
    assert (outside, inside) == (0, 2)
