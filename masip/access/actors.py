"""The acting user, as services and the audit trail need them."""

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

from masip.audit.services import AuditActor

if TYPE_CHECKING:
    from masip.access.http import AuthenticatedRequest
    from masip.accounts.models import Membership, User

PURPOSE_SESSION_PREFIX = "masip.purpose."
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


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
    """The address of the client behind the request, for the audit trail.

    ``REMOTE_ADDR`` is the peer that connected. When that peer is one of
    ``MASIP_TRUSTED_PROXIES`` (a load balancer), its ``X-Forwarded-For`` is
    read from the right, past every trusted proxy, and the first other address
    is the client's. Entries further left were written by the client and
    could be anything, so they are never read. A malformed entry in the part
    that is read means the header cannot be trusted: the peer's address is
    kept instead.
    """
    peer: str | None = request.META.get("REMOTE_ADDR") or None
    proxies: tuple[Network, ...] = settings.MASIP_TRUSTED_PROXIES
    if peer is None or not _within(_address(peer), proxies):
        return peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return peer
        if not _within(address, proxies):
            return str(address)
    return peer


def _address(text: str) -> IPAddress | None:
    """An address as written in X-Forwarded-For (a port or brackets allowed)."""
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _within(address: IPAddress | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


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
