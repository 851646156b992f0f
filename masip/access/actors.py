"""The acting user, as services and the audit trail need them."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest

from masip.audit.services import AuditActor

if TYPE_CHECKING:
    from masip.access.http import AuthenticatedRequest
    from masip.accounts.models import Membership, User

PURPOSE_SESSION_PREFIX = "masip.purpose."


@dataclass(frozen=True)
class Actor:
    """A user acting in the name of one membership (agency and role)."""

    user: "User"
    membership: "Membership"
    ip_address: str | None = None
    purpose: str = ""

    @property
    def audit(self) -> AuditActor:
        return AuditActor(
            user_id=self.user.pk,
            label=f"{self.user.full_name} <{self.user.email}>",
            agency_id=self.membership.agency_id,
            agency_label=self.membership.agency.name,
            role=self.membership.role,
            ip_address=self.ip_address,
            purpose=self.purpose,
        )


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def purpose_for(request: HttpRequest, case_reference: str) -> str:
    purpose: str = request.session.get(PURPOSE_SESSION_PREFIX + case_reference, "")
    return purpose


def actor_from_request(
    request: "AuthenticatedRequest",
    membership: "Membership",
    *,
    case_reference: str = "",
) -> Actor:
    purpose = purpose_for(request, case_reference) if case_reference else ""
    return Actor(
        user=request.user,
        membership=membership,
        ip_address=client_ip(request),
        purpose=purpose,
    )
