"""The case list's search terms, held in the session rather than the URL.

A name typed into the case list's search must not end up in a URL (ASVS
14.2.1): URLs reach web-server and proxy logs, browser history and the
``Referer`` header. So the filter form is POSTed; the view keeps the words in
the session under a short random id and redirects (POST-redirect-GET) to
``?search=<id>`` plus the filters that name nobody (status, risk level, lead
agency, sort), which pagination, sorting and the export links then carry as
they are. The id means nothing outside this session; an unknown or expired
id is simply no search. A ``q`` in the URL (an old bookmark) is ignored.
"""

import secrets
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from masip.accounts.models import Agency
from masip.cases.forms import CaseFilterForm

SESSION_KEY = "masip.case_search"
PARAM = "search"
KEEP = 20  # searches kept per session; the oldest go first
_NAMELESS = ("status", "risk_level", "lead_agency", "sort")


def _kept(request: HttpRequest) -> dict[str, str]:
    kept = request.session.get(SESSION_KEY)
    return dict(kept) if isinstance(kept, dict) else {}


def terms_keep(request: HttpRequest, terms: str) -> str:
    """Keep the search words in the session; the opaque id to put in the URL."""
    kept = _kept(request)
    for search_id, kept_terms in kept.items():
        if kept_terms == terms:
            kept.pop(search_id)
            break
    else:
        search_id = secrets.token_urlsafe(6)
    kept[search_id] = terms
    request.session[SESSION_KEY] = dict(list(kept.items())[-KEEP:])
    return search_id


def terms_for(request: HttpRequest) -> str | None:
    """The words of the search named in the URL; "" for none; None if unknown."""
    search_id = request.GET.get(PARAM, "")
    if not search_id:
        return ""
    return _kept(request).get(search_id)


def filter_form(request: HttpRequest, *, agencies: QuerySet[Agency]) -> CaseFilterForm:
    """The case list's filters for this GET: the URL's, with the kept words."""
    data = QueryDict(mutable=True)
    for name in _NAMELESS:
        if name in request.GET:
            data[name] = request.GET[name]
    terms = terms_for(request)
    if terms:
        data["q"] = terms
    return CaseFilterForm(data, agencies=agencies)


def redirect_query(request: HttpRequest, form: CaseFilterForm) -> str:
    """The query string to redirect to after the filter form is POSTed.

    Only valid filters go in; the words go into the session, not the URL.
    """
    filters: dict[str, Any] = form.filters()
    query = QueryDict(mutable=True)
    if filters["q"]:
        query[PARAM] = terms_keep(request, filters["q"])
    for name in ("status", "risk_level", "sort"):
        if filters[name]:
            query[name] = filters[name]
    if filters["lead_agency_id"] is not None:
        query["lead_agency"] = str(filters["lead_agency_id"])
    return query.urlencode()
