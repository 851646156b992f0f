"""The demo's organisations and staff: found or created, never duplicated.

Sites, agencies and teams are matched by slug and name, users by email. Every
demo account shares one password (MASIP_DEMO_PASSWORD, else the published
default), hashed once, and a confirmed authenticator app whose secret is
derived from the email (``demo_totp_key``): published, synthetic, the same on
every run, so any authenticator app or ``masip demo_code EMAIL`` gives the code.
"""

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from masip.access.roles import RoleName
from masip.accounts.models import Agency, Membership, Site, Team, User
from masip.demo import data

# Published on purpose: the demo's TOTP secrets must be reproducible.
DEMO_TOTP_SEED = b"masip-demo-totp-2026"
DEMO_AUTHENTICATOR_NAME = "Demo authenticator"


@dataclass
class Structure:
    """The demo's sites, agencies, teams and staff, as saved rows."""

    sites: dict[str, Site]
    agencies: dict[str, Agency]
    users: dict[str, User]
    memberships: list[Membership] = field(default_factory=list)

    def staff(self, agency_slug: str, role: RoleName) -> list[User]:
        return [
            m.user
            for m in self.memberships
            if m.agency.slug == agency_slug and m.role == role
        ]

    def worker(self, agency_slug: str) -> User:
        return self.staff(agency_slug, RoleName.CASE_WORKER)[0]

    def manager(self, agency_slug: str) -> User:
        """The agency's team manager, or its first worker if it has none."""
        managers = self.staff(agency_slug, RoleName.TEAM_MANAGER)
        return managers[0] if managers else self.worker(agency_slug)

    def site_agency(self, site_slug: str, suffix: str) -> Agency:
        return self.agencies[f"{site_slug}-{suffix}"]


def demo_password() -> str:
    return os.environ.get(data.PASSWORD_ENV) or data.DEFAULT_DEMO_PASSWORD


def ensure_structure(*, password: str) -> Structure:
    """Find or create every demo site, agency, team, user and membership."""
    sites = {
        spec.slug: Site.objects.get_or_create(
            slug=spec.slug, defaults={"name": spec.name}
        )[0]
        for spec in data.SITES
    }
    agencies: dict[str, Agency] = {}
    teams: dict[tuple[str, str], Team] = {}
    for spec in data.AGENCIES:
        agency, _ = Agency.objects.get_or_create(
            slug=spec.key,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "site": sites[spec.site] if spec.site else None,
            },
        )
        agencies[spec.key] = agency
        for name in spec.teams:
            teams[(spec.key, name)] = Team.objects.get_or_create(
                agency=agency, name=name
            )[0]
    users = _ensure_staff(password)
    _ensure_authenticators(users)
    for staff in data.STAFF:
        Membership.objects.get_or_create(
            user=users[staff.email],
            agency=agencies[staff.agency],
            defaults={
                "role": staff.role,
                "team": teams.get((staff.agency, staff.team)),
            },
        )
    order = {spec.email: i for i, spec in enumerate(data.STAFF)}
    memberships = sorted(
        Membership.objects.filter(user__in=users.values()).select_related(
            "agency", "user"
        ),
        key=lambda m: order[m.user.email],
    )
    return Structure(sites, agencies, users, memberships)


def demo_totp_key(email: str) -> bytes:
    """The demo account's TOTP secret (20 bytes): HMAC-SHA1(seed, email)."""
    return hmac.new(DEMO_TOTP_SEED, email.encode(), hashlib.sha1).digest()


def demo_totp_secret(email: str) -> str:
    """The secret as authenticator apps take it (base32)."""
    return base64.b32encode(demo_totp_key(email)).decode("ascii")


def _ensure_authenticators(users: dict[str, User]) -> None:
    """A confirmed authenticator per demo user, keyed from their email."""
    have = set(
        TOTPDevice.objects.filter(user__in=users.values(), confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    TOTPDevice.objects.bulk_create(
        TOTPDevice(
            user=user,
            name=DEMO_AUTHENTICATOR_NAME,
            confirmed=True,
            key=demo_totp_key(email).hex(),
        )
        for email, user in users.items()
        if user.pk not in have
    )


def _ensure_staff(password: str) -> dict[str, User]:
    """Demo users by email; all share one password (hashed once, not per user)."""
    emails = [spec.email for spec in data.STAFF]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    hashed: str | None = None
    if existing and not next(iter(existing.values())).check_password(password):
        hashed = make_password(password)
        User.objects.filter(email__in=emails).update(password=hashed)
    missing = [spec for spec in data.STAFF if spec.email not in existing]
    if missing:
        hashed = hashed or make_password(password)
        User.objects.bulk_create(
            User(email=spec.email, full_name=spec.full_name, password=hashed)
            for spec in missing
        )
    return {u.email: u for u in User.objects.filter(email__in=emails)}
