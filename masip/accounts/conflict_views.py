"""Conflicts of interest: declare your own, see and withdraw them; managers
see their staff's.

Declaring names a person rather than picking a record, so nobody browses people
they must not see; the pages never say whether, or where, the name matched.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views import View

from masip.access.actors import Actor, actor_from_request
from masip.access.http import AuthenticatedRequest
from masip.access.permissions import Permission
from masip.access.views import GlobalView
from masip.accounts import conflict_selectors as selectors
from masip.accounts import conflict_services as services
from masip.accounts.conflict_forms import ConflictDeclareForm
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.errors import DomainError


def _own_actor(request: AuthenticatedRequest) -> Actor:
    """The user, in the name of their first agency (declarations are personal;
    the audit trail still needs an agency)."""
    memberships = request.access.staff_memberships
    if not memberships:
        raise PermissionDenied
    return actor_from_request(request, memberships[0])


class ConflictListView(View):
    required_permission = None  # every member of staff manages their own

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        context = {
            "declarations": list(selectors.conflict_list_for_user(request.user)),
            "sees_staff": request.access.has(Permission.CONFLICT_VIEW_STAFF),
        }
        return render(request, "accounts/conflict_list.html", context)


class ConflictDeclareView(View):
    required_permission = None

    def _render(
        self, request: AuthenticatedRequest, form: ConflictDeclareForm
    ) -> HttpResponse:
        return render(request, "accounts/conflict_declare.html", {"form": form})

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        _own_actor(request)
        return self._render(request, ConflictDeclareForm())

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        actor = _own_actor(request)
        form = ConflictDeclareForm(request.POST)
        if not form.is_valid():
            return self._render(request, form)
        services.conflict_declare(actor=actor, **form.cleaned_data)
        messages.success(
            request,
            "Conflict declared. Any case involving this person is now closed to you.",
        )
        return redirect("conflicts:list")


class ConflictWithdrawView(View):
    required_permission = None
    http_method_names = ["post"]

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponseRedirect:
        declaration = selectors.conflict_get_own(request.user, pk)
        if declaration is None:
            raise Http404("No declaration found.")
        try:
            services.conflict_withdraw(
                actor=_own_actor(request), declaration=declaration
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Declaration withdrawn.")
        return redirect("conflicts:list")


class StaffConflictListView(GlobalView):
    required_permission = Permission.CONFLICT_VIEW_STAFF

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        declarations = list(selectors.conflict_list_for_staff(self.access))
        audit.record(
            EventType.CONFLICT_LIST_VIEWED,
            actor=self.actor().audit,
            target_type="conflict_declarations",
        )
        return render(
            request, "accounts/staff_conflicts.html", {"declarations": declarations}
        )
