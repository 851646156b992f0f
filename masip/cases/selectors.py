"""Reads of cases: the lists, the case summary, and what hangs off one case.

Lists start from ``Access.visible_cases()``; everything else takes a case that
the policy has already resolved, so a child of another case is never reached.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Case as CaseWhen
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import OrderBy
from django.shortcuts import get_object_or_404

from masip.access.permissions import Compartment, Permission, Scope
from masip.access.policy import Access
from masip.access.roles import ROLES, RoleName
from masip.accounts.models import Agency, Membership, User
from masip.audit.models import AuditEvent
from masip.cases.keyset import Key
from masip.cases.models import (
    Case,
    CaseAllocation,
    CaseNote,
    CaseParticipant,
    CaseShare,
    CaseStatus,
    ParticipantRole,
    RiskLevel,
    RiskLevelChange,
    StatusChange,
    choice_rank,
)
from masip.incidents.models import Incident
from masip.isolation.context import reveal_case
from masip.people import search as people_search
from masip.people.models import Person

# Roles whose holders work cases for their agency, so may be allocated to one.
WORKER_ROLES = tuple(
    role.name.value
    for role in ROLES.values()
    if Permission.CASE_VIEW in role.permissions and role.scope == Scope.AGENCY
)
LATEST_INCIDENTS = 5


def _rank(field: str, choices: type[CaseStatus] | type[RiskLevel]) -> CaseWhen:
    """Orders a choice field by its declared order rather than alphabetically."""
    return choice_rank(field, choices)


SORTS: dict[str, F | CaseWhen] = {
    "reference": F("reference"),
    "referred_on": F("referred_on"),
    "status": _rank("status", CaseStatus),
    "risk": _rank("risk_level", RiskLevel),
}
DEFAULT_SORT = "-referred_on"


# Lists -------------------------------------------------------------------------


def _listing(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Rows for a case table, in a constant number of queries."""
    victims = CaseParticipant.objects.filter(
        role=ParticipantRole.VICTIM
    ).select_related("person")
    last_incident = Incident.objects.filter(case=OuterRef("pk")).order_by(
        "-occurred_at"
    )
    return (
        cases.select_related("lead_agency")
        .prefetch_related(Prefetch("participants", victims, to_attr="victims"))
        .annotate(last_incident_at=Subquery(last_incident.values("occurred_at")[:1]))
    )


def _ordering(sort: str) -> list[OrderBy]:
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in SORTS:
        return _ordering(DEFAULT_SORT)
    expression = SORTS[key]
    if descending:
        return [expression.desc(), F("reference").desc()]
    return [expression.asc(), F("reference").asc()]


# The sort keys of the case list's keyset pages (masip.cases.keyset): the
# sort column, then the reference (unique), both the same way so one index
# (masip/cases/migrations/0007) serves either direction. Status and risk sort
# by their declared order, annotated on the rows as ``sort_rank``.
SORT_RANK = "sort_rank"


def case_list_keys(sort: str) -> list[Key]:
    """Keyset keys for ``sort`` (as ``case_list_for`` orders; unknown falls back)."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in SORTS:
        return case_list_keys(DEFAULT_SORT)
    if key == "reference":
        return [Key("reference", descending)]
    column = key if isinstance(SORTS[key], F) else SORT_RANK
    return [Key(column, descending), Key("reference", descending)]


def _with_sort_rank(cases: QuerySet[Case], sort: str) -> QuerySet[Case]:
    key = sort.removeprefix("-")
    expression = SORTS.get(key)
    if isinstance(expression, CaseWhen):
        return cases.annotate(**{SORT_RANK: expression})
    return cases


def _search(cases: QuerySet[Case], q: str) -> QuerySet[Case]:
    """Reference (exact or prefix), any participant's name or alias, or a
    participant's identifier open to anyone on the case (ADR 0033)."""
    words = q.split()
    if not words:
        return cases
    text = q.strip()
    if not any(people_search.indexable(word) for word in words):
        by_name = Q()
        for word in words:
            by_name &= Q(person__given_name__icontains=word) | Q(
                person__family_name__icontains=word
            )
        named = CaseParticipant.objects.filter(
            by_name | Q(person__aliases__name__icontains=text)
        )
        return cases.filter(
            Q(reference__istartswith=text) | Q(pk__in=named.values("case_id"))
        )
    people = people_search.named_ids(words)
    if people_search.indexable(text):
        people = people.union(people_search.alias_ids(text))
    identified = people_search.standard_identifier_ids(text)
    if identified:
        holders = Person.objects.filter(pk__in=identified).order_by()
        people = people.union(holders.values("pk"))
    named_cases = CaseParticipant.objects.filter(person_id__in=people)
    by_reference = Case.objects.filter(people_search.reference_prefix(text))
    matched = (
        named_cases.order_by()
        .values_list("case_id", flat=True)
        .union(by_reference.order_by().values_list("pk", flat=True))
        .order_by()
    )
    # A few matches are looked up by id; the database joins for many.
    case_ids = people_search.at_most(matched)
    return cases.filter(pk__in=matched if case_ids is None else case_ids)


def case_list_for(
    access: Access,
    *,
    status: str = "",
    risk_level: str = "",
    lead_agency_id: int | None = None,
    q: str = "",
    sort: str = DEFAULT_SORT,
) -> QuerySet[Case]:
    """The visible cases, filtered, searched and sorted (unknown sorts fall back)."""
    cases = access.visible_cases()
    if status:
        cases = cases.filter(status=status)
    if risk_level:
        cases = cases.filter(risk_level=risk_level)
    if lead_agency_id:
        cases = cases.filter(lead_agency_id=lead_agency_id)
    cases = _with_sort_rank(_search(cases, q), sort)
    return _listing(cases).order_by(*_ordering(sort))


def case_my_list(access: Access) -> QuerySet[Case]:
    """Visible cases with an open allocation to the user."""
    mine = CaseAllocation.objects.filter(user_id=access.user_id, ended_at__isnull=True)
    cases = access.visible_cases().filter(pk__in=mine.values("case_id"))
    return _listing(cases).order_by(*_ordering(DEFAULT_SORT))


def lead_agency_filter_choices() -> QuerySet[Agency]:
    """Every agency, for the case list's lead-agency filter.

    Not only the lead agencies of the user's visible cases: finding those
    reads every visible case (150,000 for a London police worker at national
    scale, 1.5 to 3 s on PostgreSQL under row-level security, once per user
    and web process), and agency names are not confidential. Choosing an
    agency that leads none of the user's cases lists no case.
    """
    return Agency.objects.order_by("name")


# Creating ----------------------------------------------------------------------


def _refers_onward(membership: Membership) -> bool:
    """Helpline advisers refer to any local agency rather than leading cases."""
    return membership.role_def.scope == Scope.OWN_REFERRALS


def case_create_agencies(access: Access) -> QuerySet[Agency]:
    """Agencies the user may name as the lead agency of a new case."""
    memberships = access.memberships_with(Permission.CASE_CREATE)
    allowed = Q(pk__in=[m.agency_id for m in memberships if not _refers_onward(m)])
    if any(_refers_onward(m) for m in memberships):
        allowed |= Q(site__isnull=False)
    return Agency.objects.filter(allowed, is_active=True).order_by("name")


def case_create_membership(access: Access, lead_agency: Agency) -> Membership:
    """The membership in whose name the user opens a case led by ``lead_agency``."""
    memberships = access.memberships_with(Permission.CASE_CREATE)
    for membership in memberships:
        if membership.agency_id == lead_agency.pk and not _refers_onward(membership):
            return membership
    for membership in memberships:
        if _refers_onward(membership):
            return membership
    raise PermissionDenied


# One case ----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseSummary:
    victims: list[CaseParticipant]
    perpetrators: list[CaseParticipant]
    allocations: list[CaseAllocation]
    shares: list[CaseShare]
    risk_changes: list[RiskLevelChange]
    status_changes: list[StatusChange]
    latest_incidents: list[Incident]


def case_summary(case: Case) -> CaseSummary:
    """Everything the case summary page shows, outside the sealed compartments."""
    participants = list(
        case.participants.filter(
            role__in=[ParticipantRole.VICTIM, ParticipantRole.PERPETRATOR]
        ).select_related("person")
    )
    return CaseSummary(
        victims=[p for p in participants if p.role == ParticipantRole.VICTIM],
        perpetrators=[p for p in participants if p.role == ParticipantRole.PERPETRATOR],
        allocations=list(open_allocations(case)),
        shares=list(active_shares(case)),
        risk_changes=list(case.risk_changes.select_related("changed_by")),
        status_changes=list(case.status_changes.select_related("changed_by")),
        latest_incidents=list(
            case.incidents.select_related("recorded_by_agency")[:LATEST_INCIDENTS]
        ),
    )


def open_allocations(case: Case) -> QuerySet[CaseAllocation]:
    return case.allocations.filter(ended_at__isnull=True).select_related(
        "user", "agency"
    )


def allocation_get(case: Case, pk: int) -> CaseAllocation:
    """An open allocation on this case, else ``Http404``."""
    return get_object_or_404(open_allocations(case), pk=pk)


def allocation_open_for(case: Case, worker: User) -> CaseAllocation | None:
    return open_allocations(case).filter(user=worker).first()


def active_shares(case: Case) -> QuerySet[CaseShare]:
    return (
        CaseShare.objects.active()
        .filter(case=case)
        .select_related("agency", "granted_by")
        .order_by("agency__name")
    )


def share_get(case: Case, pk: int) -> CaseShare:
    """A share of this case still in force, else ``Http404``."""
    return get_object_or_404(active_shares(case), pk=pk)


def _case_agency_ids(case: Case) -> list[int]:
    shared = active_shares(case).values_list("agency_id", flat=True)
    return [case.lead_agency_id, *shared]


def _worker_memberships(case: Case) -> QuerySet[Membership]:
    return Membership.objects.filter(
        agency_id__in=_case_agency_ids(case),
        role__in=WORKER_ROLES,
        is_active=True,
        agency__is_active=True,
        user__is_active=True,
    )


def allocatable_workers(case: Case) -> QuerySet[User]:
    """Case workers and managers of the lead or a sharing agency, not yet allocated."""
    memberships = _worker_memberships(case)
    allocated = open_allocations(case).values("user_id")
    return (
        User.objects.filter(pk__in=memberships.values("user_id"))
        .exclude(pk__in=allocated)
        .prefetch_related(
            Prefetch(
                "memberships",
                memberships.select_related("agency"),
                to_attr="case_memberships",
            )
        )
        .order_by("full_name")
    )


def worker_agency(case: Case, worker: User) -> Agency | None:
    """The agency a worker would be allocated for (the lead agency first)."""
    lead_first = CaseWhen(When(agency_id=case.lead_agency_id, then=Value(0)), default=1)
    membership = (
        _worker_memberships(case)
        .filter(user=worker)
        .select_related("agency")
        .order_by(lead_first, "agency__name")
        .first()
    )
    return membership.agency if membership else None


def shareable_agencies(case: Case) -> QuerySet[Agency]:
    """Active agencies that neither lead the case nor hold a share in force."""
    shared = CaseShare.objects.active().filter(case=case).values("agency_id")
    return (
        Agency.objects.filter(is_active=True)
        .exclude(pk=case.lead_agency_id)
        .exclude(pk__in=shared)
        .order_by("name")
    )


def agency_team_managers(agency: Agency) -> QuerySet[User]:
    managers = Membership.objects.filter(
        agency=agency, role=RoleName.TEAM_MANAGER, is_active=True
    )
    return User.objects.filter(is_active=True, pk__in=managers.values("user_id"))


# Notes and the access log ------------------------------------------------------


@dataclass(frozen=True)
class WithheldNotes:
    compartment: Compartment
    count: int

    @property
    def description(self) -> str:
        noun = "note" if self.count == 1 else "notes"
        return f"{self.compartment.label} ({self.count} {noun})"


@dataclass(frozen=True)
class NoteListing:
    notes: list[CaseNote]
    withheld: list[WithheldNotes]


def note_kinds_seen(seen: frozenset[Compartment]) -> list[str]:
    """Note kinds whose text a user seeing ``seen`` may read."""
    return [
        kind
        for kind in CaseNote.Kind.values
        if kind == CaseNote.Kind.GENERAL or Compartment(kind) in seen
    ]


def note_list_for(case: Case, seen: frozenset[Compartment]) -> NoteListing:
    """Notes the user may read, and how many sealed notes are withheld by kind.

    Withheld notes are only counted in the database: their text is never loaded.
    """
    kinds = note_kinds_seen(seen)
    notes = case.notes.filter(kind__in=kinds).select_related("author", "agency")
    counts = (
        case.notes.exclude(kind__in=kinds)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    )
    withheld = [WithheldNotes(Compartment(row["kind"]), row["n"]) for row in counts]
    return NoteListing(notes=list(notes), withheld=withheld)


ACCESS_LOG_KEYS = [Key("seq", descending=True)]


def access_log_for(case: Case) -> QuerySet[AuditEvent]:
    """Every audit event about the case, newest first."""
    return AuditEvent.objects.filter(case_reference=case.reference).order_by("-seq")


# Break-the-glass ---------------------------------------------------------------


def case_get_for_break_glass(reference: str) -> Case | None:
    """A case by reference whether or not it is in reach.

    Only the break-the-glass page may use this: it lets a trusted manager open
    a case outside their reach, and every use is audited.
    """
    reference = reference.strip().upper()
    # Row-level security hides cases out of reach; this one lookup may see
    # past it, and only for a user whose role may break the glass (ADR 0013).
    with reveal_case(reference):
        return (
            Case.objects.select_related("lead_agency")
            .filter(reference=reference)
            .first()
        )
