"""The case-list search: POST-redirect-GET, no words in any URL (ASVS 14.2.1)."""

import re

from django.test import Client
from django.urls import reverse

from masip.cases.search import PARAM, SESSION_KEY
from masip.cases.tests.factories import CaseFactory, CaseParticipantFactory

CASE_LIST = reverse("cases:case-list")
NAME = "Testvictim"


def _urls_in(html: str) -> list[str]:
    """Every link, form action and script or image source on a page."""
    return re.findall(r'(?:href|action|src)="([^"]*)"', html)


def _search(client: Client, **data: str):
    return client.post(CASE_LIST, data)


def test_search_redirects_to_an_opaque_id_and_finds_the_case(cast, client_for):
    client = client_for("lead_worker")
    CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)

    response = _search(client, q=NAME, status=cast.case.status)
    page = client.get(response["Location"])

    assert response.status_code == 302
    assert NAME.lower() not in response["Location"].lower()
    assert f"{PARAM}=" in response["Location"]
    assert f"status={cast.case.status}" in response["Location"]
    assert [c.reference for c in page.context["page"]] == [cast.case.reference]
    assert f'value="{NAME}"' in page.text  # the box still shows the words


def test_search_puts_no_name_in_any_url_on_the_page(cast, client_for, settings):
    settings.MASIP_PAGE_SIZE = 1
    for _ in range(2):  # the same victim in two more cases: three pages
        CaseParticipantFactory(
            case=CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker),
            person=cast.victim,
        )
    client = client_for("lead_manager")  # who also sees the export links
    response = _search(client, q="Avery Testvictim")

    page = client.get(response["Location"])
    urls = _urls_in(page.text)

    assert any("after=" in url for url in urls)  # pagination
    assert any("sort=" in url for url in urls)  # sorting
    assert any("/exports/" in url for url in urls)  # exports keep the search
    assert all("Avery" not in url and "Testvictim" not in url for url in urls)
    assert all(PARAM + "=" in url for url in urls if "after=" in url)


def test_pagination_and_export_keep_the_search(cast, client_for, settings):
    settings.MASIP_PAGE_SIZE = 1
    client = client_for("lead_manager")
    location = _search(client, q=cast.case.reference)["Location"]
    query = location.split("?", 1)[1]

    export = client.get(f"{reverse('exports:case-list-csv')}?{query}")

    assert f"Reference or name: {cast.case.reference}" in export.text
    assert '<dd class="govuk-summary-list__value">1</dd>' in export.text


def test_search_id_from_another_session_finds_nothing_of_the_words(cast, client_for):
    mine = client_for("lead_worker")
    location = _search(mine, q=NAME)["Location"]
    other = client_for("lead_worker")

    page = other.get(location)

    assert "Your search has expired" in page.text
    assert f'value="{NAME}"' not in page.text


def test_old_bookmark_with_a_name_in_the_url_is_redirected_without_it(cast, client_for):
    response = client_for("lead_worker").get(f"{CASE_LIST}?q={NAME}&status=active")

    assert response.status_code == 302
    assert response["Location"] == f"{CASE_LIST}?status=active"


def test_clearing_the_search_leaves_no_search_id(cast, client_for):
    client = client_for("lead_worker")

    response = _search(client, q="", risk_level="high")

    assert response["Location"] == f"{CASE_LIST}?risk_level=high"


def test_bad_filters_are_dropped_not_an_error(cast, client_for):
    response = _search(client_for("lead_worker"), status="nonsense", q="x" * 500)

    assert response.status_code == 302
    assert response["Location"] == CASE_LIST


def test_the_session_keeps_a_bounded_number_of_searches(cast, client_for):
    client = client_for("lead_worker")

    for n in range(25):
        _search(client, q=f"Name{n}")
    again = _search(client, q="Name24")

    kept = client.session[SESSION_KEY]
    assert len(kept) == 20
    assert again["Location"].endswith(f"{PARAM}={list(kept)[-1]}")


def test_search_form_works_without_javascript(cast, client_for):
    page = client_for("lead_worker").get(CASE_LIST)

    assert f'<form method="post" action="{CASE_LIST}" novalidate>' in page.text
    assert 'name="csrfmiddlewaretoken"' in page.text


def test_outsider_search_does_not_find_another_sites_case(cast, client_for):
    client = client_for("outsider")

    page = client.get(_search(client, q=cast.case.reference)["Location"])

    assert list(page.context["page"]) == []
    case_url = reverse("cases:case-detail", args=[cast.case.reference])
    assert client.get(case_url).status_code == 404
