"""Base views: every page declares the permission it needs.

``GlobalView`` guards pages that are not about one case (a 403 when no
membership grants the verb). ``CaseView`` resolves ``<reference>`` through the
policy (a 404 when missing or out of reach), then enforces purpose-of-access
for roles that need it. ``tests/access/test_every_url_is_guarded.py`` fails
for any URL whose view declares no ``required_permission`` and is not public.
"""

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View

from masip.access.actors import Actor, actor_from_request, purpose_for
from masip.access.http import AuthenticatedRequest
from masip.access.permissions import Permission
from masip.access.policy import Access, Block, CaseAccess, CaseBlocked
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case

BLOCK_EVENTS = {
    Block.STAFF_INVOLVED: EventType.STAFF_INVOLVED_ACCESS_BLOCKED,
    Block.CONFLICT: EventType.CONFLICT_ACCESS_BLOCKED,
}


@transaction.atomic
def record_blocked_attempt(request: AuthenticatedRequest, blocked: CaseBlocked) -> None:
    """Audit an attempt to open a case blocked for the user (insider alerts
    read these); the user is answered as for a missing case."""
    actor = actor_from_request(request, blocked.membership)
    audit.record(
        BLOCK_EVENTS[blocked.block],
        actor=actor.audit,
        target_type="case",
        target_id=blocked.reference,
        case_reference=blocked.reference,
    )


class GlobalView(View):
    required_permission: ClassVar[Permission]
    request: AuthenticatedRequest

    def dispatch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        self.access: Access = self.request.access
        if not self.access.has(self.required_permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def actor(self) -> Actor:
        membership = self.access.require(self.required_permission)
        return actor_from_request(self.request, membership)


class CaseView(View):
    required_permission: ClassVar[Permission]
    tab: ClassVar[str] = "summary"
    needs_purpose: ClassVar[bool] = True

    request: AuthenticatedRequest
    case: Case
    case_access: CaseAccess
    _recorded: bool = False

    def dispatch(
        self, request: HttpRequest, *args: Any, reference: str, **kwargs: Any
    ) -> HttpResponseBase:
        self.access: Access = self.request.access
        try:
            self.case = self.access.case_for(reference, need=self.required_permission)
        except CaseBlocked as blocked:
            record_blocked_attempt(self.request, blocked)
            raise Http404("No case found.") from None
        self.case_access = self.access.case_access(self.case)
        if self.needs_purpose and self._purpose_missing():
            target = reverse("cases:case-purpose", kwargs={"reference": reference})
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code == 200 and not self._recorded:
            # A page that shows the case but records no event of its own (a
            # form, a list) is still a read of the case: record that it opened.
            self.record_view(EventType.CASE_PAGE_OPENED, target_type=self._url_name())
        return response

    def _url_name(self) -> str:
        match = self.request.resolver_match
        return match.view_name if match else ""

    def _purpose_missing(self) -> bool:
        return self.case_access.requires_purpose and not purpose_for(
            self.request, self.case.reference
        )

    def actor(self, permission: Permission | None = None) -> Actor:
        membership = self.case_access.acting_membership(
            permission or self.required_permission
        )
        return actor_from_request(
            self.request, membership, case_reference=self.case.reference
        )

    def record_view(
        self,
        event_type: EventType,
        *,
        target_type: str = "case",
        target_id: object = "",
    ) -> None:
        self._recorded = True
        audit.record(
            event_type,
            actor=self.actor().audit,
            target_type=target_type,
            target_id=target_id or self.case.reference,
            case_reference=self.case.reference,
        )

    def case_context(self, **extra: Any) -> dict[str, Any]:
        return {
            "case": self.case,
            "case_access": self.case_access,
            "can": self.case_access.flags,
            "tab": self.tab,
            **extra,
        }
