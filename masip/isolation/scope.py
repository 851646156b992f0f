"""The request's reach as database settings, and setting them on a connection.

The settings mirror the reach rules of ``masip/access/policy.py`` (a superset
of them: compartments, verbs, staff-involved and conflict rules narrow what the
application shows further, and the database leaves that to it):

========================  =====================================================
``masip.user_id``         the signed-in user (own break-the-glass grants, people
                          they created that are on no case yet)
``masip.agencies``        agencies of memberships with agency scope: cases they
                          lead, and cases shared with them (share in force)
``masip.sites``           sites of memberships with site scope: cases led there
``masip.referrer``        the user, if a membership reaches its own referrals
``masip.all_cases``       ``on`` if a membership reaches every case
``masip.member_agencies`` every agency the user works for (a break-the-glass
                          grant counts only in the name of one of them)
``masip.may_break_glass`` ``on`` if a membership may break the glass
``masip.may_aggregate``   ``on`` if a membership may read aggregate reports
``masip.standards_agencies``  agencies of professional-standards memberships:
                          cases marked as involving their staff (the
                          ``staff_involved`` scope)
``masip.staff_agencies``  agencies whose staff-involved cases are closed to
                          the user: every agency they work for, bar one where
                          they are professional standards
``masip.sar_agencies``    agencies in which a membership may manage subject
                          access requests (``context.subject_access`` opens a
                          draft's records only for a request of one of them)
========================  =====================================================

Allocations and teams do not widen reach in the policy (they order lists), so
the database does not key on them. ``masip.reveal_reference``,
``masip.aggregate_read``, ``masip.subject_access``, ``masip.block_probe`` and
``masip.trusted`` are set only inside the context managers of ``context.py``.
Declared conflicts of interest are the application's alone (ADR 0021).
Every name is always written, so a connection reused from an earlier request
keeps nothing of it.
"""

from collections.abc import Iterable, Mapping

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from masip.access.permissions import Permission, Scope
from masip.access.policy import Access

SETTINGS = (
    "user_id",
    "agencies",
    "sites",
    "referrer",
    "all_cases",
    "member_agencies",
    "may_break_glass",
    "may_aggregate",
    "standards_agencies",
    "staff_agencies",
    "sar_agencies",
    "reveal_reference",
    "aggregate_read",
    "subject_access",
    "block_probe",
    "trusted",
)
EMPTY: Mapping[str, str] = dict.fromkeys(SETTINGS, "")
ON = "on"


def _ids(values: Iterable[int | None]) -> str:
    return ",".join(str(v) for v in sorted({v for v in values if v is not None}))


def settings_for(access: Access) -> dict[str, str]:
    """The ``masip.*`` settings for this request's user (all empty if none)."""
    values = dict(EMPTY)
    memberships = access.memberships
    if not memberships:
        return values
    scopes = {m.role_def.scope for m in memberships}
    by_agency = [m for m in memberships if m.role_def.scope == Scope.AGENCY]
    by_site = [m for m in memberships if m.role_def.scope == Scope.SITE]
    # As the policy: a professional-standards role that fits its agency reaches
    # that agency's staff-involved cases and is not blocked from them; any
    # other membership (one that grants nothing included) is staff, blocked.
    standards = [m for m in memberships if m.role_def.scope == Scope.STAFF_INVOLVED]
    values.update(
        user_id=str(access.user_id),
        agencies=_ids(m.agency_id for m in by_agency),
        sites=_ids(m.agency.site_id for m in by_site),
        referrer=str(access.user_id) if Scope.OWN_REFERRALS in scopes else "",
        all_cases=ON if Scope.ALL in scopes else "",
        member_agencies=_ids(m.agency_id for m in memberships),
        may_break_glass=ON if access.has(Permission.CASE_BREAK_GLASS) else "",
        may_aggregate=ON if access.has(Permission.REPORT_VIEW_AGGREGATE) else "",
        standards_agencies=_ids(m.agency_id for m in standards),
        staff_agencies=_ids(
            m.agency_id for m in access.staff_memberships if m not in standards
        ),
        sar_agencies=_ids(
            m.agency_id for m in access.memberships_with(Permission.SAR_MANAGE)
        ),
    )
    return values


def enforced(using: str = "default") -> bool:
    """Whether the database behind ``using`` enforces row-level security."""
    return connections[using].vendor == "postgresql"


def apply(values: Mapping[str, str], *, using: str = "default") -> None:
    """Set ``masip.<name>`` for the session (``is_local`` false) in one query."""
    unknown = set(values) - set(SETTINGS)
    if unknown:
        raise ValueError(f"Unknown row-level security settings: {sorted(unknown)}")
    connection = connections[using]
    if connection.vendor == "postgresql":
        _set(connection, values)


def _set(connection: BaseDatabaseWrapper, values: Mapping[str, str]) -> None:
    calls = ", ".join("set_config(%s, %s, false)" for _ in values)
    params: list[str] = []
    for name, value in values.items():
        params += [f"masip.{name}", value]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {calls}", params)


def clear(*, using: str = "default") -> None:
    """Empty every ``masip.*`` setting: the connection then reaches no row."""
    apply(EMPTY, using=using)


def current(name: str, *, using: str = "default") -> str:
    """The value of ``masip.<name>`` on the connection ('' when unset)."""
    if name not in SETTINGS:
        raise ValueError(f"Unknown row-level security setting: {name}")
    connection = connections[using]
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [f"masip.{name}"])
        row = cursor.fetchone()
    return str(row[0] or "") if row else ""
