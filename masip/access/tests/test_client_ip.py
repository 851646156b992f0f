"""The client's address behind trusted load balancers (X-Forwarded-For)."""

import ipaddress

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from masip.access.actors import client_ip
from masip.audit.events import EventType
from masip.audit.models import AuditEvent

BALANCERS = (ipaddress.ip_network("10.0.0.0/24"), ipaddress.ip_network("fd00::/8"))


def _ip(remote: str | None, forwarded: str | None = None) -> str | None:
    meta = {}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    if remote is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote
    return client_ip(request)


def test_without_trusted_proxies_the_header_is_ignored():
    assert _ip("10.0.0.5", "198.51.100.7") == "10.0.0.5"


def test_no_peer_address_is_none():
    assert _ip(None) is None
    assert _ip("") is None


@override_settings(MASIP_TRUSTED_PROXIES=BALANCERS)
@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # The balancer appends the client's address.
        ("10.0.0.5", "198.51.100.7", "198.51.100.7"),
        # Entries the client wrote itself (left) are never read.
        ("10.0.0.5", "203.0.113.66, 198.51.100.7", "198.51.100.7"),
        # Past a chain of trusted proxies to the first other address.
        ("10.0.0.5", "198.51.100.7, 10.0.0.9, fd00::3", "198.51.100.7"),
        # Ports and brackets as some balancers write them.
        ("10.0.0.5", "198.51.100.7:51234", "198.51.100.7"),
        ("fd00::1", "[2001:db8::9]:443", "2001:db8::9"),
        ("10.0.0.5", "2001:db8::9", "2001:db8::9"),
        # A peer that is not a trusted proxy: its header means nothing.
        ("192.0.2.50", "198.51.100.7", "192.0.2.50"),
        # No header, a malformed entry or only proxies: the peer's address.
        ("10.0.0.5", None, "10.0.0.5"),
        ("10.0.0.5", "not-an-address", "10.0.0.5"),
        ("10.0.0.5", "198.51.100.7, garbage", "10.0.0.5"),
        ("10.0.0.5", "10.0.0.8, 10.0.0.9", "10.0.0.5"),
        ("unix:socket", "198.51.100.7", "unix:socket"),
    ],
)
def test_behind_trusted_proxies_the_rightmost_other_address_is_the_client(
    remote, forwarded, expected
):
    assert _ip(remote, forwarded) == expected


@pytest.mark.django_db
@override_settings(MASIP_TRUSTED_PROXIES=BALANCERS)
def test_the_audit_trail_records_the_client_behind_the_balancer(cast, client_for):
    response = client_for("lead_worker").get(
        reverse("cases:case-detail", args=[cast.case.reference]),
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7",
    )

    assert response.status_code == 200
    viewed = AuditEvent.objects.filter(event_type=EventType.CASE_VIEWED).latest("seq")
    assert viewed.ip_address == "198.51.100.7"
