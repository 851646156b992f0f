"""``masip seed``: the requested number of cases, the same for the same seed."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q

from masip.cases.models import Case, ParticipantRole
from masip.demo.synth import planned_references


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
