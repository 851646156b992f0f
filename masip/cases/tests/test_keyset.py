"""Keyset pagination: page boundaries both ways, ties on the sort key, bad cursors."""

import datetime as dt
from urllib.parse import parse_qs

import pytest
from django.http import QueryDict

from masip.cases.keyset import (
    Key,
    count_up_to,
    decode_cursor,
    encode_cursor,
    keyset_page,
)
from masip.cases.models import Case
from masip.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

KEYS = [Key("referred_on", descending=True), Key("reference")]
DAY = dt.date(2026, 3, 1)


@pytest.fixture
def cases():
    """Seven cases over three referral days, with ties on each day."""
    days = [0, 0, 0, 1, 1, 2, 2]  # days before DAY; three share the newest day
    made = [
        CaseFactory(reference=f"STK-TEST-{i:04d}", referred_on=DAY - dt.timedelta(d))
        for i, d in enumerate(days)
    ]
    return Case.objects.filter(pk__in=[c.pk for c in made])


def _expected(queryset):
    return list(queryset.order_by("-referred_on", "reference"))


def _page(queryset, href="", per_page=3):
    params = QueryDict(href.removeprefix("?"))
    return keyset_page(queryset, keys=KEYS, params=params, per_page=per_page)


def test_keyset_first_page_has_next_and_last_links_only(cases):
    page = _page(cases)

    assert list(page) == _expected(cases)[:3]
    assert page.has_next
    assert not page.has_previous
    assert page.next_href
    assert page.last_href
    assert not page.first_href
    assert not page.previous_href


def test_keyset_next_pages_walk_every_row_once_in_order_across_ties(cases):
    seen, href = [], ""
    while True:
        page = _page(cases, href)
        seen += list(page)
        if not page.has_next:
            break
        href = page.next_href

    assert seen == _expected(cases)
    assert [c.reference for c in seen[:3]] == [
        "STK-TEST-0000",
        "STK-TEST-0001",
        "STK-TEST-0002",
    ]


def test_keyset_previous_from_second_page_is_the_first_page(cases):
    second = _page(cases, _page(cases).next_href)

    back = _page(cases, second.previous_href)

    assert list(second) == _expected(cases)[3:6]
    assert list(back) == _expected(cases)[:3]
    assert not back.has_previous


def test_keyset_previous_near_the_start_shows_a_full_first_page(cases):
    # Only two rows come before row 2: the first page is shown whole instead.
    one_row_back = "?" + "before=" + encode_cursor(_expected(cases)[2], KEYS)

    page = _page(cases, one_row_back)

    assert list(page) == _expected(cases)[:3]
    assert not page.has_previous


def test_keyset_last_page_holds_the_final_rows(cases):
    page = _page(cases, _page(cases).last_href)

    assert list(page) == _expected(cases)[-3:]
    assert page.has_previous
    assert not page.has_next
    assert list(_page(cases, page.previous_href)) == _expected(cases)[1:4]


def test_keyset_after_the_end_shows_the_last_page(cases):
    past_end = "?after=" + encode_cursor(_expected(cases)[-1], KEYS)

    page = _page(cases, past_end)

    assert list(page) == _expected(cases)[-3:]
    assert not page.has_next


def test_keyset_single_page_has_no_links(cases):
    page = _page(cases, per_page=10)

    assert list(page) == _expected(cases)
    assert not page.has_other_pages


def test_keyset_links_keep_other_parameters_and_drop_old_cursors(cases):
    page = _page(cases, "?status=open&page=4&after=junk")

    query = parse_qs(page.next_href.removeprefix("?"))

    assert query["status"] == ["open"]
    assert "page" not in query
    assert query["after"] == [encode_cursor(list(page)[-1], KEYS)]


@pytest.mark.parametrize(
    "href",
    [
        "?after=not-base64!",
        "?after=WyJYIl0",  # ["X"]: one value for two keys
        "?before=W3RydWUsImEiXQ",  # [true, "a"]: a boolean is no key value
        "?after=WyJub3QtYS1kYXRlIiwiYSJd",  # ["not-a-date", "a"]
    ],
)
def test_keyset_bad_cursor_gives_the_first_page(cases, href):
    page = _page(cases, href)

    assert list(page) == _expected(cases)[:3]
    assert not page.has_previous


def test_keyset_cursor_round_trips_dates():
    case = CaseFactory.build(reference="STK-A", referred_on=DAY)

    values = decode_cursor(encode_cursor(case, KEYS), KEYS)

    assert values == [DAY.isoformat(), "STK-A"]


def test_count_up_to_stops_past_the_limit(cases):
    assert count_up_to(cases, 3) == 4
    assert count_up_to(cases, 100) == 7
