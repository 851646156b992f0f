"""Pagination for list pages, shaped for the GOV.UK pagination component."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import QueryDict


@dataclass(frozen=True)
class PageLink:
    number: int | None
    href: str
    current: bool = False


def paginate[M: Model](
    queryset: QuerySet[M], *, params: QueryDict, per_page: int
) -> Page[M]:
    """The requested page, falling back to the first or last for bad input."""
    return Paginator(queryset, per_page).get_page(params.get("page"))


def page_links(page: Page[Any], params: QueryDict) -> list[PageLink]:
    """Links for each nearby page, keeping the other query parameters."""

    def href(number: int) -> str:
        query = params.copy()
        query["page"] = str(number)
        return "?" + urlencode(sorted(query.items()))

    links: list[PageLink] = []
    last = page.paginator.num_pages
    for number in range(1, last + 1):
        near = abs(number - page.number) <= 2 or number in (1, last)
        if near:
            links.append(PageLink(number, href(number), number == page.number))
        elif links and links[-1].number is not None:
            links.append(PageLink(None, ""))
    return links
