"""The read-only JSON API: the case list and one case, through the access policy.

Sessions only: the same signed-in, second-factor-verified session cookie as
the web pages (``MfaRequiredMiddleware`` still turns a password-only session
away). A request without a session gets 401 as JSON rather than the sign-in
redirect. Missing cases and cases out of reach both get the same 404.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View

from masip.access.actors import actor_from_request, purpose_for
from masip.access.http import AuthenticatedRequest
from masip.access.permissions import Permission as P
from masip.access.policy import Access, CaseBlocked
from masip.access.views import record_blocked_attempt
from masip.api import openapi
from masip.api.forms import CaseListQuery
from masip.api.serializers import case_detail_json, case_summary_json
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.selectors import case_list_for

NOT_FOUND = "Not found."
FORBIDDEN = "Your roles do not allow this."


def error(status: int, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=status)


@method_decorator(login_not_required, name="dispatch")
class ApiView(View):
    """Answers in JSON, errors included; 401 when no one is signed in."""

    required_permission: ClassVar[P]
    request: AuthenticatedRequest

    def dispatch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return error(401, "Sign in to use the API.")
        self.access: Access = self.request.access
        try:
            return self.answer(request, *args, **kwargs)
        except CaseBlocked as blocked:
            # Closed to this user (staff-involved or a declared conflict):
            # answered as missing, and the attempt audited for insider alerts.
            record_blocked_attempt(self.request, blocked)
            return error(404, NOT_FOUND)
        except Http404:
            return error(404, NOT_FOUND)
        except PermissionDenied as denied:
            return error(403, str(denied) or FORBIDDEN)

    def answer(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        if not self.access.has(self.required_permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def http_method_not_allowed(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> JsonResponse:
        response = error(405, "This API is read-only.")
        allowed = [m.upper() for m in self.http_method_names if hasattr(self, m)]
        response["Allow"] = ", ".join(allowed)
        return response


class OpenApiView(ApiView):
    required_permission = P.CASE_VIEW

    def get(self, request: HttpRequest) -> JsonResponse:
        return JsonResponse(openapi.document())


class CaseListApi(ApiView):
    required_permission = P.CASE_VIEW

    def get(self, request: HttpRequest) -> JsonResponse:
        query = CaseListQuery(request.GET)
        if not query.is_valid():
            errors = {name: list(messages) for name, messages in query.errors.items()}
            return error(400, "A query parameter is not valid.", errors=errors)
        cases = case_list_for(self.access, **query.filters())
        paginator = Paginator(cases, settings.MASIP_PAGE_SIZE)
        try:
            page = paginator.page(query.cleaned_data["page"] or 1)
        except EmptyPage:
            return error(404, "There is no such page.")
        return JsonResponse(
            {
                "count": paginator.count,
                "page": page.number,
                "pages": paginator.num_pages,
                "results": [case_summary_json(case) for case in page.object_list],
            }
        )


class CaseDetailApi(ApiView):
    required_permission = P.CASE_VIEW

    def answer(
        self, request: HttpRequest, *args: Any, reference: str, **kwargs: Any
    ) -> HttpResponseBase:
        # Reach first, so that out of reach and missing answer alike (404).
        self.case = self.access.case_for(reference, need=self.required_permission)
        self.case_access = self.access.case_access(self.case)
        if self.case_access.requires_purpose and not purpose_for(request, reference):
            raise PermissionDenied(
                "Your role reads a case only for a stated purpose. Open the case "
                "in MASIP and give your purpose first."
            )
        return View.dispatch(self, request, *args, **kwargs)

    def get(self, request: HttpRequest) -> JsonResponse:
        membership = self.case_access.acting_membership(self.required_permission)
        actor = actor_from_request(
            self.request, membership, case_reference=self.case.reference
        )
        audit.record(
            EventType.CASE_VIEWED,
            actor=actor.audit,
            target_type="api",
            target_id=self.case.reference,
            case_reference=self.case.reference,
        )
        return JsonResponse(case_detail_json(self.case))
