"""``in_array``: the same rows as ``in`` with a subquery, written so PostgreSQL
can use an index for it inside an ``OR``."""

import pytest
from django.db import connection
from django.db.models import Q

from masip.cases.models import Case
from masip.cases.tests.factories import CaseFactory


@pytest.mark.django_db
def test_in_array_matches_what_in_matches_alone_and_in_an_or():
    chosen, led, other = CaseFactory(), CaseFactory(), CaseFactory()
    subquery = Case.objects.filter(pk=chosen.pk).values("pk")

    alone = set(Case.objects.filter(pk__in_array=subquery))
    either = Case.objects.filter(Q(pk__in_array=subquery) | Q(pk=led.pk))
    nothing = Case.objects.filter(pk__in_array=subquery.none())

    assert alone == {chosen}
    assert set(either) == {chosen, led}
    assert other not in set(either)
    assert list(nothing) == []


@pytest.mark.django_db
def test_in_array_is_an_array_on_postgresql_and_in_elsewhere():
    subquery = Case.objects.filter(status="open").values("pk")

    sql = str(Case.objects.filter(pk__in_array=subquery).query)

    if connection.vendor == "postgresql":
        assert '"cases_case"."id" = ANY(ARRAY(SELECT' in sql
    else:
        assert '"cases_case"."id" IN (SELECT' in sql
