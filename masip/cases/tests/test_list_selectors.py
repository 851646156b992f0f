"""The case list's sort keys and the lead-agency choices kept for a while."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masip.access.policy import Access
from masip.cases import selectors
from masip.cases.keyset import Key
from masip.cases.tests.factories import CaseFactory


def test_case_list_keys_end_with_the_reference_in_the_same_direction():
    assert selectors.case_list_keys("-risk") == [
        Key("sort_rank", descending=True),
        Key("reference", descending=True),
    ]
    assert selectors.case_list_keys("referred_on") == [
        Key("referred_on"),
        Key("reference"),
    ]
    assert selectors.case_list_keys("reference") == [Key("reference")]


def test_case_list_keys_fall_back_to_the_default_sort():
    assert selectors.case_list_keys("-password") == selectors.case_list_keys(
        selectors.DEFAULT_SORT
    )


def test_case_list_sorted_by_risk_carries_the_rank_it_sorts_by(cast):
    cases = list(selectors.case_list_for(Access(cast.lead_worker), sort="-risk"))

    ranks = [case.sort_rank for case in cases]
    assert ranks == sorted(ranks, reverse=True)


def test_lead_agencies_are_read_once_then_kept(cast):
    cache.clear()
    access = Access(cast.lead_worker)
    first = list(selectors.lead_agencies_of_visible_cases(access))
    CaseFactory(lead_agency=cast.nhs_a, created_by=cast.lead_worker)

    with CaptureQueriesContext(connection) as queries:
        again = list(selectors.lead_agencies_of_visible_cases(Access(cast.lead_worker)))

    assert cast.police_a in first
    assert again == first
    assert not any("cases_case" in q["sql"] for q in queries.captured_queries)


def test_lead_agencies_are_kept_per_user(cast):
    cache.clear()
    mine = list(selectors.lead_agencies_of_visible_cases(Access(cast.lead_worker)))

    theirs = list(selectors.lead_agencies_of_visible_cases(Access(cast.outsider)))

    assert cast.police_a in mine
    assert cast.police_a not in theirs
