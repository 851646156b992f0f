"""``masip_people_matching`` (people 0006): the trigram search that works under
row-level security returns only people the request reaches (PostgreSQL only)."""

import pytest
from django.db import connection

from masip.access.policy import Access
from masip.cases.tests.factories import CaseParticipantFactory
from masip.isolation.testing import as_role, make_app_role, reach_of
from masip.people import search
from masip.people.models import Person, PersonAlias
from masip.people.tests.factories import PersonFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="The function exists on PostgreSQL only (SQLite uses FTS5).",
    ),
]


def _matching(
    word: str, cap: int = 50, words: list[str] | None = None
) -> list[int] | None:
    """Names holding ``words`` (default: the one word), or an alias ``word``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT masip_people_matching(%s::text[], %s, %s)",
            [words if words is not None else [word], word, cap],
        )
        row = cursor.fetchone()
    return row[0]


@pytest.fixture
def namesakes(cast):
    """A Quillfeather on each case, one known by an alias only."""
    mine = PersonFactory(given_name="Ada", family_name="Quillfeather")
    theirs = PersonFactory(given_name="Bea", family_name="Quillfeather")
    alias_only = PersonFactory(given_name="Cy", family_name="Other")
    PersonAlias.objects.create(person=alias_only, name="Quillfeather Junior")
    CaseParticipantFactory(case=cast.case, person=mine)
    CaseParticipantFactory(case=cast.case, person=alias_only)
    CaseParticipantFactory(case=cast.other_case, person=theirs)
    return mine, theirs, alias_only


def test_it_returns_only_the_people_the_policy_shows(cast, namesakes):
    mine, theirs, alias_only = namesakes
    role = make_app_role()

    with as_role(role), reach_of(cast.lead_worker):
        found = _matching("quillfeather")
        policy = set(
            Person.objects.filter(family_name="Quillfeather").values_list(
                "pk", flat=True
            )
        )
    with as_role(role), reach_of(cast.outsider):
        outsider = _matching("QUILLFEATHER")
    with as_role(role), reach_of(None):
        nobody = _matching("quillfeather")

    assert set(found) == {mine.pk, alias_only.pk}
    assert policy == {mine.pk}  # the alias-only person is named otherwise
    assert outsider == [theirs.pk]
    assert nobody == []


def test_too_many_matches_answer_null_and_wildcards_are_literal(cast, namesakes):
    role = make_app_role()

    with as_role(role), reach_of(cast.lead_worker):
        capped = _matching("quillfeather", cap=1)
        percent = _matching("%")
        underscore = _matching("Q_illfeather")

    assert capped is None
    assert (percent, underscore) == ([], [])


def test_every_word_must_be_in_a_name_and_the_phrase_in_an_alias(cast, namesakes):
    mine, _theirs, alias_only = namesakes
    role = make_app_role()

    with as_role(role), reach_of(cast.lead_worker):
        both_words = _matching("nobody", words=["ada", "quill"])
        wrong_pair = _matching("nobody", words=["bea", "quill"])
        alias_phrase = _matching("feather junior", words=[])

    assert both_words == [mine.pk]
    assert wrong_pair == []  # Bea is on the other case
    assert alias_phrase == [alias_only.pk]


def test_the_case_list_search_finds_the_same_cases_under_the_policies(cast, namesakes):
    role = make_app_role()
    access = Access(cast.lead_worker)

    plain = set(search.named_ids(["Quillfeather"]).values_list("pk", flat=True))
    with as_role(role), reach_of(cast.lead_worker):
        policed = set(search.named_ids(["Quillfeather"]).values_list("pk", flat=True))
        visible = search.visible_people(access, sorted(policed))

    assert plain == {namesakes[0].pk, namesakes[1].pk}
    assert policed == {namesakes[0].pk}
    assert visible == [namesakes[0].pk]
