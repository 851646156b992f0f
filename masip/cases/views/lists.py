"""The case lists: my cases, and all the cases the user can reach."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from masip.access.permissions import Permission as P
from masip.access.views import GlobalView
from masip.cases import search, selectors
from masip.cases.forms import CaseFilterForm
from masip.cases.keyset import CURSOR_PARAMS, count_up_to, keyset_page

# The case list counts matching cases this far, then says "more than".
COUNT_LIMIT = 1000

# Column headers of the case list that sort, with the ``sort`` key of each.
SORTABLE_COLUMNS = (
    ("reference", "Reference"),
    ("status", "Status"),
    ("risk", "Risk"),
    ("referred_on", "Referred"),
)


def _sort_headers(params: QueryDict) -> list[dict[str, str]]:
    """Links that sort the list by a column, toggling the direction."""
    current = params.get("sort", selectors.DEFAULT_SORT)
    headers = []
    for key, label in SORTABLE_COLUMNS:
        query = params.copy()
        for name in CURSOR_PARAMS:
            query.pop(name, None)
        query["sort"] = f"-{key}" if current == key else key
        direction = {key: "ascending", f"-{key}": "descending"}.get(current, "none")
        headers.append(
            {"label": label, "href": f"?{query.urlencode()}", "aria_sort": direction}
        )
    return headers


def _found(count: int) -> str:
    """How many cases match, without counting past ``COUNT_LIMIT``."""
    if count > COUNT_LIMIT:
        return f"More than {COUNT_LIMIT:,} cases found."
    return f"{count:,} case{'' if count == 1 else 's'} found."


class MyCasesView(GlobalView):
    required_permission = P.CASE_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        cases = selectors.case_my_list(self.access)
        page = keyset_page(
            cases,
            keys=selectors.case_list_keys(selectors.DEFAULT_SORT),
            params=request.GET,
            per_page=settings.MASIP_PAGE_SIZE,
        )
        return render(request, "cases/my_cases.html", {"page": page})


class CaseListView(GlobalView):
    """All the cases the user can reach, filtered and searched.

    The filter form is POSTed and redirects back here (``masip.cases.search``):
    the search words stay in the session and the URL carries only an opaque id
    for them (ASVS 14.2.1), with the filters that name nobody.
    """

    required_permission = P.CASE_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        if "q" in request.GET:
            # An old bookmark with a name in it: not passed on to any link.
            query = request.GET.copy()
            query.pop("q")
            return redirect(f"{reverse('cases:case-list')}?{query.urlencode()}")
        agencies = selectors.lead_agency_filter_choices()
        form = search.filter_form(request, agencies=agencies)
        filters = form.filters()
        cases = selectors.case_list_for(self.access, **filters)
        page = keyset_page(
            cases,
            keys=selectors.case_list_keys(filters["sort"]),
            params=request.GET,
            per_page=settings.MASIP_PAGE_SIZE,
        )
        context = {
            "form": form,
            "page": page,
            "found": _found(count_up_to(cases, COUNT_LIMIT)),
            "headers": _sort_headers(request.GET),
            "search_lapsed": search.terms_for(request) is None,
        }
        return render(request, "cases/case_list.html", context)

    def post(self, request: HttpRequest) -> HttpResponseRedirect:
        agencies = selectors.lead_agency_filter_choices()
        form = CaseFilterForm(request.POST, agencies=agencies)
        query = search.redirect_query(request, form)
        url = reverse("cases:case-list")
        return redirect(f"{url}?{query}" if query else url)
