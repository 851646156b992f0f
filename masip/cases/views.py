"""Case pages: the lists, the case summary, and the forms that change a case.

Views parse, authorise (through ``CaseView``/``GlobalView``), call one service
or selector and render. Writes redirect afterwards (post/redirect/get).
"""

from abc import ABCMeta, abstractmethod
from typing import Any, ClassVar

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from masip.access.actors import PURPOSE_SESSION_PREFIX, actor_from_request
from masip.access.permissions import Permission
from masip.access.views import CaseView, GlobalView
from masip.audit.events import EventType
from masip.audit.presenters import present
from masip.cases import selectors, services
from masip.cases.forms import (
    AllocationForm,
    BreakGlassForm,
    CaseCreateForm,
    CaseEditForm,
    CaseFilterForm,
    CaseRiskForm,
    CaseStatusForm,
    NoteForm,
    PurposeForm,
    ShareForm,
)
from masip.core.errors import DomainError, StaleEditError
from masip.core.forms import GovukForm
from masip.core.pagination import page_links, paginate

P = Permission

# Column headers of the case list that sort, with the ``sort`` key of each.
SORTABLE_COLUMNS = (
    ("reference", "Reference"),
    ("status", "Status"),
    ("risk", "Risk"),
    ("referred_on", "Referred"),
)


def _case_url(case_reference: str, name: str = "case-detail") -> str:
    return reverse(f"cases:{name}", kwargs={"reference": case_reference})


def _sort_headers(params: QueryDict) -> list[dict[str, str]]:
    """Links that sort the list by a column, toggling the direction."""
    current = params.get("sort", selectors.DEFAULT_SORT)
    headers = []
    for key, label in SORTABLE_COLUMNS:
        query = params.copy()
        query.pop("page", None)
        query["sort"] = f"-{key}" if current == key else key
        direction = {key: "ascending", f"-{key}": "descending"}.get(current, "none")
        headers.append(
            {"label": label, "href": f"?{query.urlencode()}", "aria_sort": direction}
        )
    return headers


# Lists -------------------------------------------------------------------------


class MyCasesView(GlobalView):
    required_permission = P.CASE_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        cases = selectors.case_my_list(self.access)
        page = paginate(cases, params=request.GET, per_page=settings.MASIP_PAGE_SIZE)
        context = {"page": page, "page_links": page_links(page, request.GET)}
        return render(request, "cases/my_cases.html", context)


class CaseListView(GlobalView):
    required_permission = P.CASE_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        agencies = selectors.lead_agencies_of_visible_cases(self.access)
        form = CaseFilterForm(request.GET, agencies=agencies)
        cases = selectors.case_list_for(self.access, **form.filters())
        page = paginate(cases, params=request.GET, per_page=settings.MASIP_PAGE_SIZE)
        context = {
            "form": form,
            "page": page,
            "page_links": page_links(page, request.GET),
            "headers": _sort_headers(request.GET),
        }
        return render(request, "cases/case_list.html", context)


class CaseCreateView(GlobalView):
    required_permission = P.CASE_CREATE

    def get_form(self, data: QueryDict | None = None) -> CaseCreateForm:
        agencies = selectors.case_create_agencies(self.access)
        return CaseCreateForm(data, agencies=agencies)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "cases/case_create.html", {"form": self.get_form()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.get_form(request.POST)
        if not form.is_valid():
            return render(request, "cases/case_create.html", {"form": form})
        data = form.cleaned_data
        membership = selectors.case_create_membership(self.access, data["lead_agency"])
        case = services.case_create(
            actor=actor_from_request(request, membership), **data
        )
        messages.success(request, f"Case {case.reference} created.")
        return redirect(_case_url(case.reference))


# One case: pages ---------------------------------------------------------------


class CaseDetailView(CaseView):
    required_permission = P.CASE_VIEW

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.record_view(EventType.CASE_VIEWED)
        summary = selectors.case_summary(self.case)
        return render(
            request, "cases/case_detail.html", self.case_context(summary=summary)
        )


class NoteListView(CaseView):
    required_permission = P.NOTE_VIEW
    tab = "notes"

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        listing = selectors.note_list_for(self.case, self.case_access.compartments)
        return render(
            request, "cases/note_list.html", self.case_context(listing=listing)
        )


class AccessLogView(CaseView):
    required_permission = P.CASE_ACCESS_LOG_VIEW
    tab = "access-log"

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.record_view(EventType.CASE_ACCESS_LOG_VIEWED)
        events = selectors.access_log_for(self.case)
        page = paginate(events, params=request.GET, per_page=settings.MASIP_PAGE_SIZE)
        context = self.case_context(
            page=page,
            rows=[present(event) for event in page],
            page_links=page_links(page, request.GET),
        )
        return render(request, "cases/access_log.html", context)


# One case: forms ---------------------------------------------------------------


class CaseFormView(CaseView, metaclass=ABCMeta):
    """GET shows the form; a valid POST calls ``perform`` and redirects.

    A ``DomainError`` from the service is shown on the form, keeping the input.
    """

    template_name: ClassVar[str]
    form_class: ClassVar[type[GovukForm]]

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_form(self, data: QueryDict | None = None) -> GovukForm:
        return self.form_class(data, **self.form_kwargs())

    @abstractmethod
    def perform(self, form: Any) -> str:
        """Call the service; return the success message."""

    def success_url(self) -> str:
        return _case_url(self.case.reference)

    def extra_context(self) -> dict[str, Any]:
        return {}

    def render_form(self, form: GovukForm, **extra: Any) -> HttpResponse:
        context = self.case_context(form=form, **self.extra_context(), **extra)
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            message = self.perform(form)
        except DomainError as error:
            return self.form_refused(form, error)
        messages.success(request, message)
        return redirect(self.success_url())

    def form_refused(self, form: GovukForm, error: DomainError) -> HttpResponse:
        form.add_error(None, str(error))
        return self.render_form(form)


class CaseEditView(CaseFormView):
    required_permission = P.CASE_EDIT
    template_name = "cases/case_edit.html"
    form_class = CaseEditForm

    def get_form(self, data: QueryDict | None = None) -> GovukForm:
        initial = {
            **services.case_current_values(self.case),
            "version": self.case.version,
        }
        return CaseEditForm(data, initial=initial)

    def perform(self, form: CaseEditForm) -> str:
        services.case_update(actor=self.actor(), case=self.case, **form.cleaned_data)
        return "Case details saved."

    def form_refused(self, form: GovukForm, error: DomainError) -> HttpResponse:
        if not isinstance(error, StaleEditError):
            return super().form_refused(form, error)
        # Keep everything typed; take the new version so a second save goes through.
        data = self.request.POST.copy()
        data["version"] = str(error.current_version)
        fresh = CaseEditForm(data)
        fresh.is_valid()
        fresh.add_error(None, str(error))
        return self.render_form(fresh, conflict=fresh.display(error.current))


class CaseStatusView(CaseFormView):
    required_permission = P.CASE_CHANGE_STATUS
    template_name = "cases/case_status.html"
    form_class = CaseStatusForm

    def form_kwargs(self) -> dict[str, Any]:
        can_close = self.case_access.can(P.CASE_CLOSE)
        return {"current": self.case.status, "can_close": can_close}

    def perform(self, form: CaseStatusForm) -> str:
        # Closing is its own verb: without it, acting_membership answers 403.
        actor = self.actor(P.CASE_CLOSE if form.closing else None)
        case = services.case_change_status(
            actor=actor,
            case=self.case,
            to_status=form.cleaned_data["to_status"],
            closure_reason=form.cleaned_data.get("closure_reason", ""),
            reason=form.cleaned_data["reason"],
        )
        return f"The case is now {case.get_status_display().lower()}."


class CaseRiskView(CaseFormView):
    required_permission = P.CASE_CHANGE_RISK
    template_name = "cases/case_risk.html"
    form_class = CaseRiskForm

    def form_kwargs(self) -> dict[str, Any]:
        return {"current": self.case.risk_level}

    def perform(self, form: CaseRiskForm) -> str:
        case = services.case_change_risk(
            actor=self.actor(),
            case=self.case,
            to_level=form.cleaned_data["risk_level"],
            reason=form.cleaned_data["reason"],
        )
        return f"Risk level changed to {case.get_risk_level_display().lower()}."


class CaseAllocateView(CaseFormView):
    required_permission = P.CASE_ALLOCATE
    template_name = "cases/case_allocate.html"
    form_class = AllocationForm

    def form_kwargs(self) -> dict[str, Any]:
        return {"workers": selectors.allocatable_workers(self.case)}

    def extra_context(self) -> dict[str, Any]:
        return {"allocations": list(selectors.open_allocations(self.case))}

    def perform(self, form: AllocationForm) -> str:
        worker = form.cleaned_data["worker"]
        services.case_allocate(actor=self.actor(), case=self.case, worker=worker)
        return f"{worker.full_name} allocated."

    def success_url(self) -> str:
        return _case_url(self.case.reference, "case-allocate")


class CaseShareView(CaseFormView):
    required_permission = P.CASE_SHARE
    template_name = "cases/case_share.html"
    form_class = ShareForm

    def form_kwargs(self) -> dict[str, Any]:
        return {
            "agencies": selectors.shareable_agencies(self.case),
            "compartments": self.case_access.compartments,
        }

    def extra_context(self) -> dict[str, Any]:
        return {"shares": list(selectors.active_shares(self.case))}

    def perform(self, form: ShareForm) -> str:
        share = services.case_share(
            actor=self.actor(), case=self.case, **form.cleaned_data
        )
        return f"Case shared with {share.agency.name}."

    def success_url(self) -> str:
        return _case_url(self.case.reference, "case-share")


class NoteAddView(CaseFormView):
    required_permission = P.NOTE_ADD
    template_name = "cases/note_add.html"
    form_class = NoteForm
    tab = "notes"

    def form_kwargs(self) -> dict[str, Any]:
        return {"kinds": selectors.note_kinds_seen(self.case_access.compartments)}

    def perform(self, form: NoteForm) -> str:
        services.note_add(actor=self.actor(), case=self.case, **form.cleaned_data)
        return "Note added."

    def success_url(self) -> str:
        return _case_url(self.case.reference, "note-list")


# One case: buttons -------------------------------------------------------------


class AllocationEndView(CaseView):
    required_permission = P.CASE_ALLOCATE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *, pk: int) -> HttpResponse:
        allocation = selectors.allocation_get(self.case, pk)
        try:
            services.allocation_end(actor=self.actor(), allocation=allocation)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{allocation.user.full_name} removed.")
        return redirect(_case_url(self.case.reference, "case-allocate"))


class ShareRevokeView(CaseView):
    required_permission = P.CASE_SHARE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *, pk: int) -> HttpResponse:
        share = selectors.share_get(self.case, pk)
        try:
            services.share_revoke(actor=self.actor(), share=share)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Stopped sharing with {share.agency.name}.")
        return redirect(_case_url(self.case.reference, "case-share"))


# Purpose of access and break-the-glass -----------------------------------------


class CasePurposeView(CaseView):
    required_permission = P.CASE_VIEW
    needs_purpose = False

    def _next(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        )
        return target if safe else _case_url(self.case.reference)

    def _render(self, form: PurposeForm) -> HttpResponse:
        context = self.case_context(form=form, next=self._next())
        return render(self.request, "cases/case_purpose.html", context)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self._render(PurposeForm())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = PurposeForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        purpose = form.cleaned_data["purpose"]
        request.session[PURPOSE_SESSION_PREFIX + self.case.reference] = purpose
        services.case_purpose_give(actor=self.actor(), case=self.case, purpose=purpose)
        return redirect(self._next())


class BreakGlassView(GlobalView):
    required_permission = P.CASE_BREAK_GLASS

    def _render(self, form: BreakGlassForm) -> HttpResponse:
        hours = settings.MASIP_BREAK_GLASS_HOURS
        context = {"form": form, "hours": hours}
        return render(self.request, "cases/break_glass.html", context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(BreakGlassForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BreakGlassForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        reference, reason = form.cleaned_data["reference"], form.cleaned_data["reason"]
        case = selectors.case_get_for_break_glass(reference)
        if case is None:
            services.case_break_glass_not_found(
                actor=self.actor(), reference=reference, reason=reason
            )
            form.add_error("reference", "No case has that reference.")
            return self._render(form)
        if not self.access.case_access(case).reaches:
            services.case_break_glass(actor=self.actor(), case=case, reason=reason)
            messages.success(request, f"Emergency access to {case.reference} granted.")
        return redirect(_case_url(case.reference))
