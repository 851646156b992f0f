"""The case list's sort keys and the lead-agency filter's choices."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from masip.access.policy import Access
from masip.cases import selectors
from masip.cases.keyset import Key


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


def test_the_lead_agency_filter_offers_every_agency_without_reading_cases(
    cast, client_for
):
    with CaptureQueriesContext(connection) as queries:
        choices = list(selectors.lead_agency_filter_choices())

    assert {cast.police_a, cast.police_b, cast.probation_a} <= set(choices)
    assert [agency.name for agency in choices] == sorted(a.name for a in choices)
    assert not any("cases_case" in q["sql"] for q in queries.captured_queries)


def test_filtering_by_an_agency_that_leads_none_of_my_cases_lists_none(
    cast, client_for
):
    from django.urls import reverse

    response = client_for("lead_worker").get(
        reverse("cases:case-list"), {"lead_agency": cast.police_b.pk}
    )

    assert response.status_code == 200
    assert cast.other_case.reference not in response.text
    assert list(response.context["page"].rows) == []
