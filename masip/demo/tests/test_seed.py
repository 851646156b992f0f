"""``masip seed``: the requested number of cases, the same for the same seed."""

import random
import statistics
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from masip.audit.models import AuditEvent
from masip.audit.verify import chain_verify
from masip.cases.models import Case, ParticipantRole
from masip.crypto.blind import identifier_index
from masip.demo.bulk import vacuum_analyze
from masip.demo.seed import LONG_HISTORY, incident_count
from masip.demo.synth import planned_references
from masip.incidents.models import Incident
from masip.isolation.models import CaseReach
from masip.people.models import Address, Person, PersonIdentifier


class _Undo(Exception):
    """Raised to roll a block back."""


def seeded_references(*, cases: int, seed: int) -> list[str]:
    """The references ``masip seed`` makes in an empty database (then undone)."""
    references: list[str] = []
    try:
        with transaction.atomic():
            call_command("seed", cases=cases, seed=seed, force=True, stdout=StringIO())
            references = list(Case.objects.values_list("reference", flat=True))
            raise _Undo
    except _Undo:
        pass
    return sorted(references)


@pytest.mark.django_db
def test_seed_same_seed_gives_same_references():
    first = seeded_references(cases=30, seed=5)

    second = seeded_references(cases=30, seed=5)

    assert len(first) == 30
    assert first == second
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_seed_other_seed_gives_other_references():
    assert seeded_references(cases=30, seed=5) != seeded_references(cases=30, seed=6)


@pytest.mark.django_db
def test_seed_creates_the_cases_asked_for_with_people_and_incidents():
    call_command("seed", cases=200, seed=3, force=True, stdout=StringIO())

    cases = Case.objects.annotate(
        victims=Count(
            "participants",
            filter=Q(participants__role=ParticipantRole.VICTIM),
            distinct=True,
        ),
        perpetrators=Count(
            "participants",
            filter=Q(participants__role=ParticipantRole.PERPETRATOR),
            distinct=True,
        ),
        logged=Count("incidents", distinct=True),
    )

    assert cases.count() == 200
    assert all(c.victims == 1 and c.perpetrators == 1 for c in cases)
    assert all(c.logged >= 1 for c in cases)


@pytest.mark.django_db
def test_seed_twice_with_one_seed_adds_to_the_cases():
    call_command("seed", cases=30, seed=4, force=True, stdout=StringIO())

    call_command("seed", cases=30, seed=4, force=True, stdout=StringIO())

    assert Case.objects.count() == 60


@pytest.mark.django_db
def test_seed_then_demo_loads_every_demo_case():
    call_command("seed", cases=50, seed=8, force=True, stdout=StringIO())

    call_command("demo", force=True, stdout=StringIO())

    demo_cases = Case.objects.filter(reference__in=planned_references())
    assert demo_cases.count() == len(planned_references())
    assert Case.objects.count() == 50 + len(planned_references())


# National-scale shape ------------------------------------------------------------


def test_incident_count_averages_ten_with_a_long_tail():
    rng = random.Random(11)

    counts = [incident_count(rng) for _ in range(200_000)]

    assert 9.0 < statistics.fmean(counts) < 11.0
    assert min(counts) == 1
    assert max(counts) >= LONG_HISTORY[0]


@pytest.mark.django_db
def test_seed_leaves_an_intact_audit_trail_for_every_case():
    call_command("seed", cases=40, seed=9, force=True, stdout=StringIO())

    report = chain_verify()

    assert report.ok, report.problem
    per_case = (
        AuditEvent.objects.exclude(case_reference="")
        .values("case_reference")
        .annotate(n=Count("id"))
    )
    assert {row["case_reference"] for row in per_case} == set(
        Case.objects.values_list("reference", flat=True)
    )
    assert all(row["n"] >= 15 for row in per_case)


@pytest.mark.django_db
def test_seeded_events_run_in_time_order_within_a_case():
    call_command("seed", cases=10, seed=10, force=True, stdout=StringIO())

    for reference in Case.objects.values_list("reference", flat=True):
        times = list(
            AuditEvent.objects.filter(case_reference=reference)
            .order_by("seq")
            .values_list("occurred_at", flat=True)
        )
        assert times == sorted(times)
        assert times[-1] <= timezone.now()


@pytest.mark.django_db
def test_seeded_sealed_values_open_and_their_blind_indexes_find_them():
    call_command("seed", cases=30, seed=12, force=True, stdout=StringIO())
    handle = PersonIdentifier.objects.filter(
        kind=PersonIdentifier.Kind.SOCIAL_MEDIA
    ).first()
    assert handle is not None

    found = PersonIdentifier.objects.filter(
        value_index=identifier_index(handle.kind, handle.value)
    )

    assert handle.value.startswith("@")
    assert handle in found
    address = Address.objects.first()
    assert address is not None
    assert address.line_1
    assert address.town


@pytest.mark.django_db
def test_seeded_rows_are_the_same_for_the_same_seed():
    def snapshot() -> tuple[list[tuple[str, str]], int, int]:
        names = list(
            Person.objects.order_by("public_id").values_list(
                "given_name", "family_name"
            )
        )
        return names, Incident.objects.count(), AuditEvent.objects.count()

    def seeded() -> tuple[list[tuple[str, str]], int, int]:
        shot: tuple[list[tuple[str, str]], int, int] = ([], 0, 0)
        try:
            with transaction.atomic():
                call_command("seed", cases=25, seed=13, force=True, stdout=StringIO())
                shot = snapshot()
                raise _Undo
        except _Undo:
            pass
        return shot

    first, second = seeded(), seeded()

    assert first == second
    assert first[1] >= 25


@pytest.mark.django_db
def test_after_seeding_new_rows_get_new_keys():
    call_command("seed", cases=20, seed=14, force=True, stdout=StringIO())
    top = Incident.objects.order_by("-pk").values_list("pk", flat=True).first()
    case = Case.objects.first()
    assert case is not None
    assert top is not None

    added = Incident.objects.create(
        case=case,
        occurred_at=timezone.now(),
        narrative="Added after seeding.",
        recorded_by=case.created_by,
        recorded_by_agency=case.lead_agency,
    )

    assert added.pk > top


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Planner statistics and the reach table's triggers are PostgreSQL's.",
)
def test_seeding_refreshes_the_statistics_of_the_tables_it_grew():
    # The reach table grows through triggers, not by the seeder's own writes;
    # unanalysed, the planner took it for empty and pages took seconds.
    call_command("seed", cases=20, seed=15, force=True, stdout=StringIO())

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_stats WHERE schemaname = current_schema()"
            " AND tablename = ANY(%s) GROUP BY tablename",
            [["isolation_casereach", "cases_case", "audit_auditevent"]],
        )
        analysed = {row[0] for row in cursor.fetchall()}

    assert analysed == {"isolation_casereach", "cases_case", "audit_auditevent"}


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="VACUUM and the visibility map are PostgreSQL's.",
)
def test_outside_a_transaction_the_grown_tables_are_vacuumed_too():
    # Freshly loaded pages are not marked all-visible until a VACUUM: every
    # row-level security check (an index-only scan of the reach table) then
    # reads the table as well, and autovacuum may be far behind, or off.
    # The seeder runs outside a transaction; a test runs inside one, so this
    # asks on a connection of its own.
    own = connection.copy()
    tables = ["isolation_casereach", "audit_auditevent"]

    def counts() -> dict[str, tuple[int, int]]:
        with own.cursor() as cursor:
            cursor.execute(
                "SELECT relname, vacuum_count, analyze_count FROM pg_stat_user_tables"
                " WHERE relname = ANY(%s)",
                [tables],
            )
            return {name: (vacuums, analyses) for name, vacuums, analyses in cursor}

    try:
        before = counts()
        vacuum_analyze([CaseReach, AuditEvent], connection=own)
        after = counts()
    finally:
        own.close()

    for table in tables:
        assert after[table][0] == before[table][0] + 1, table
        assert after[table][1] == before[table][1] + 1, table
