"""Reading referrals: the referrer's list, the triage queue, the choices on
the forms, and the people to match. Every list takes the ``Access`` object and
reads through ``Access.visible_referrals`` (or the triage sites it implies)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Value, When

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.access.roles import ROLES, AgencyKind
from masip.accounts.models import Agency, Membership, Site, User
from masip.cases.models import ReferralSource
from masip.referrals import targets
from masip.referrals.matching import Probe
from masip.referrals.models import (
    Referral,
    ReferralQuestion,
    ReferralStatus,
    Urgency,
)
from masip.risk.models import Assessment

# The referral source a referrer's kind of agency suggests.
SOURCE_FOR_KIND = {
    AgencyKind.POLICE: ReferralSource.POLICE,
    AgencyKind.PROBATION: ReferralSource.PROBATION,
    AgencyKind.NHS_MENTAL_HEALTH: ReferralSource.HEALTH,
    AgencyKind.ADVOCACY: ReferralSource.ADVOCACY,
    AgencyKind.HELPLINE: ReferralSource.HELPLINE,
    AgencyKind.CPS: ReferralSource.CPS,
    AgencyKind.LOCAL_AUTHORITY: ReferralSource.SOCIAL_CARE,
}
_LISTED = ("site", "referring_agency")


def source_for(agency: Agency) -> str:
    """The referral source a referrer's agency suggests ('' if none)."""
    source = SOURCE_FOR_KIND.get(AgencyKind(agency.kind))
    return source.value if source else ""


# Making a referral ---------------------------------------------------------


def referral_sites() -> QuerySet[Site]:
    """Sites that take referrals: those with a panel, or every site if none has."""
    with_panel = Site.objects.filter(panel__isnull=False).order_by("name")
    return with_panel if with_panel.exists() else Site.objects.order_by("name")


def my_referrals(access: Access) -> QuerySet[Referral]:
    """The referrals the user made, newest first."""
    if not access.has(Permission.REFERRAL_MAKE):
        return Referral.objects.none()
    return (
        Referral.objects.filter(referred_by_id=access.user_id)
        .select_related(*_LISTED)
        .order_by("-received_at", "-id")
    )


# Triage ----------------------------------------------------------------------


def triage_site_ids(access: Access) -> list[int]:
    sites = {
        m.agency.site_id for m in access.memberships_with(Permission.REFERRAL_TRIAGE)
    }
    return sorted(s for s in sites if s is not None)


def _triaged(access: Access) -> QuerySet[Referral]:
    return Referral.objects.filter(site_id__in=triage_site_ids(access))


def triage_queue(access: Access) -> QuerySet[Referral]:
    """Referrals waiting for triage in the user's sites: urgent first, then
    the oldest."""
    urgent_first = When_(
        When(urgency=Urgency.URGENT, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        _triaged(access)
        .filter(status=ReferralStatus.WAITING)
        .select_related(*_LISTED)
        .annotate(masip_urgent_first=urgent_first)
        .order_by("masip_urgent_first", "received_at", "id")
    )


def awaiting_referrer(access: Access) -> QuerySet[Referral]:
    """Referrals whose referrer was asked for more, oldest first."""
    return (
        _triaged(access)
        .filter(status=ReferralStatus.MORE_INFO)
        .select_related(*_LISTED)
        .order_by("received_at", "id")
    )


def screening_overdue(access: Access, *, now: dt.datetime) -> QuerySet[Referral]:
    """Accepted referrals whose case has had no risk assessment within the
    screening target, oldest acceptance first."""
    assessed = Assessment.objects.filter(case__reference=OuterRef("case_reference"))
    return (
        _triaged(access)
        .filter(
            status=ReferralStatus.ACCEPTED,
            triaged_at__lt=targets.screening_cutoff(now),
        )
        .exclude(Exists(assessed))
        .select_related(*_LISTED)
        .order_by("triaged_at", "id")
    )


def accepted_since(site: Site, since: dt.datetime) -> QuerySet[Referral]:
    """Referrals into ``site`` accepted at or after ``since`` (for a panel's
    agenda of newly accepted referrals)."""
    return Referral.objects.filter(
        site=site, status=ReferralStatus.ACCEPTED, triaged_at__gte=since
    ).order_by("triaged_at", "id")


@dataclass(frozen=True)
class QueueRow:
    referral: Referral
    due: dt.datetime
    overdue: bool


def queue_rows(referrals: list[Referral], *, now: dt.datetime) -> list[QueueRow]:
    """Each undecided referral with its triage due time and whether it is late."""
    return [
        QueueRow(
            referral=r,
            due=targets.triage_due(received_at=r.received_at, urgency=r.urgency),
            overdue=targets.triage_overdue(
                received_at=r.received_at, urgency=r.urgency, now=now
            ),
        )
        for r in referrals
    ]


def screening_rows(referrals: list[Referral], *, now: dt.datetime) -> list[QueueRow]:
    """Accepted referrals with the screening due time of their case."""
    rows = []
    for r in referrals:
        assert r.triaged_at is not None
        rows.append(
            QueueRow(
                referral=r,
                due=targets.screening_due(accepted_at=r.triaged_at),
                overdue=targets.screening_overdue(
                    accepted_at=r.triaged_at, screened=False, now=now
                ),
            )
        )
    return rows


# Deciding ----------------------------------------------------------------------


def lead_agency_choices(site: Site) -> QuerySet[Agency]:
    """Agencies of the site that may lead a case (not its programme office)."""
    return (
        Agency.objects.filter(site=site, is_active=True)
        .exclude(kind=AgencyKind.PROGRAMME_OFFICE)
        .order_by("name")
    )


def involve_agency_choices(site: Site) -> QuerySet[Agency]:
    """Agencies a case from this site's referral may be shared with: the
    panel's member agencies, or the site's agencies when there is no panel
    (or it has no members yet)."""
    members = Agency.objects.filter(panels__site=site, is_active=True)
    if members.exists():
        return members.order_by("name").distinct()
    return lead_agency_choices(site)


def site_coordinators(site: Site) -> list[User]:
    """Users with an active membership that may triage in an agency of ``site``."""
    roles = [
        name
        for name, role in ROLES.items()
        if Permission.REFERRAL_TRIAGE in role.permissions
    ]
    memberships = Membership.objects.filter(
        role__in=roles,
        is_active=True,
        agency__site=site,
        agency__is_active=True,
        user__is_active=True,
    ).select_related("agency", "user")
    fitting = [
        m
        for m in memberships
        if not m.role_def.agency_kinds
        or AgencyKind(m.agency.kind) in m.role_def.agency_kinds
    ]
    return list({m.user_id: m.user for m in fitting}.values())


# Matching ----------------------------------------------------------------------


def referral_probes(referral: Referral) -> list[Probe]:
    """The referral's victim and perpetrator, as matching takes them."""
    identifiers = tuple((i.kind, i.value) for i in referral.identifiers.all())
    return [
        Probe(
            label="The victim",
            given_name=referral.victim_given_name,
            family_name=referral.victim_family_name,
            date_of_birth=referral.victim_date_of_birth,
        ),
        Probe(
            label="The person who stalks",
            given_name=referral.perpetrator_given_name,
            family_name=referral.perpetrator_family_name,
            date_of_birth=referral.perpetrator_date_of_birth,
            aliases=tuple(referral.alias_list),
            identifiers=identifiers,
        ),
    ]


def referral_questions(referral: Referral) -> QuerySet[ReferralQuestion]:
    return referral.questions.select_related("asked_by").order_by("asked_at", "id")
