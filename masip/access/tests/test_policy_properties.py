"""List and detail agree, and nobody reads beyond their reach: checked over
more than 10,000 generated (user, case) pairs.

Each seed builds a small world of agencies in two sites and a national one,
users holding one or two memberships with random roles, cases with random
lead agencies, shares (some expired or revoked) and break-the-glass grants
(some expired), people (namesakes, aliases, exact, approximate and unknown
dates of birth) on the cases, staff-involved marks (some cleared) and declared
conflicts of interest (some withdrawn, some with a date of birth). For every
pair, the policy's two directions must agree, and both must agree with a plain
restatement of the rules written here as an oracle.
"""

import datetime as dt
import random

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from masip.access.permissions import Permission, Scope
from masip.access.policy import Access
from masip.access.roles import ROLES, AgencyKind, RoleName
from masip.accounts.models import Agency, ConflictDeclaration, User
from masip.accounts.tests.factories import (
    AgencyFactory,
    ConflictDeclarationFactory,
    MembershipFactory,
    SiteFactory,
    UserFactory,
)
from masip.cases.models import (
    BreakGlassGrant,
    Case,
    CaseParticipant,
    CaseShare,
    CaseStaffInvolvement,
)
from masip.cases.tests.factories import (
    BreakGlassGrantFactory,
    CaseFactory,
    CaseParticipantFactory,
    CaseShareFactory,
    CaseStaffInvolvementFactory,
)
from masip.people.models import DatePrecision, Person, PersonAlias
from masip.people.tests.factories import PersonFactory

SEEDS = range(18)
USERS, CASES = 16, 36
NAMES = [("Alex", "Ash"), ("Alex", "Birch"), ("Sam", "Ash"), ("Kim", "Cedar")]
BIRTHS = [dt.date(1980, 1, 1), dt.date(1990, 6, 15)]


def _build_people(rng: random.Random) -> list[Person]:
    """A small pool with namesakes, aliases and every kind of date of birth."""
    people = []
    for _ in range(10):
        given, family = rng.choice(NAMES)
        precision = rng.choice(list(DatePrecision))
        born = None if precision == DatePrecision.UNKNOWN else rng.choice(BIRTHS)
        person = PersonFactory(
            given_name=rng.choice([given, given.upper()]),
            family_name=family,
            date_of_birth=born,
            birth_date_precision=precision,
        )
        if rng.random() < 0.2:
            alias = rng.choice(NAMES)
            PersonAlias.objects.create(person=person, name=" ".join(alias).lower())
        people.append(person)
    return people


def _declare_conflicts(rng: random.Random, users: list[User]) -> None:
    for user in users:
        if rng.random() < 0.35:
            given, family = rng.choice(NAMES)
            ConflictDeclarationFactory(
                user=user,
                given_name=given,
                family_name=family.lower(),
                date_of_birth=rng.choice([None, *BIRTHS]),
                withdrawn_at=timezone.now() if rng.random() < 0.2 else None,
            )


def _build_world(rng: random.Random) -> tuple[list[User], list[Case]]:
    sites = [SiteFactory(), SiteFactory()]
    agencies = [
        AgencyFactory(
            kind=rng.choice(list(AgencyKind)), site=rng.choice([*sites, None])
        )
        for _ in range(7)
    ]
    users = []
    for _ in range(USERS):
        user = UserFactory()
        for agency in rng.sample(agencies, rng.choice([1, 1, 2])):
            MembershipFactory(
                user=user,
                agency=agency,
                role=rng.choice(list(RoleName)),
                is_active=rng.random() > 0.1,
            )
        users.append(user)
    _declare_conflicts(rng, users)
    people = _build_people(rng)
    now = timezone.now()
    cases = []
    for _ in range(CASES):
        case = CaseFactory(
            lead_agency=rng.choice(agencies), created_by=rng.choice(users)
        )
        for agency in rng.sample(agencies, rng.randint(0, 2)):
            revoked = rng.random() < 0.2
            CaseShareFactory(
                case=case,
                agency=agency,
                expires_at=now + dt.timedelta(days=rng.choice([-3, 30, 90])),
                revoked_at=now if revoked else None,
                revoked_by=case.created_by if revoked else None,
            )
        if rng.random() < 0.2:
            user = rng.choice(users)
            BreakGlassGrantFactory(
                case=case,
                user=user,
                agency=rng.choice(agencies),
                expires_at=now + dt.timedelta(hours=rng.choice([-1, 4])),
            )
        for person in rng.sample(people, rng.randint(0, 2)):
            CaseParticipantFactory(case=case, person=person, added_by=case.created_by)
        if rng.random() < 0.3:
            cleared = rng.random() < 0.2
            CaseStaffInvolvementFactory(
                case=case,
                agency=rng.choice(agencies),
                cleared_at=now if cleared else None,
                cleared_by=case.created_by if cleared else None,
            )
        cases.append(case)
    return users, cases


def _fits(role: RoleName, agency: Agency) -> bool:
    kinds = ROLES[role].agency_kinds
    return not kinds or agency.kind in kinds


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


class Oracle:
    """The reach rules of docs/access-control.md, stated plainly over loaded rows."""

    def __init__(self) -> None:
        now = timezone.now()
        self.shares = set(
            CaseShare.objects.filter(
                revoked_at__isnull=True, expires_at__gt=now
            ).values_list("case_id", "agency_id")
        )
        self.grants = set(
            BreakGlassGrant.objects.filter(expires_at__gt=now).values_list(
                "case_id", "user_id", "agency_id"
            )
        )
        self.marks = set(
            CaseStaffInvolvement.objects.filter(cleared_at__isnull=True).values_list(
                "case_id", "agency_id"
            )
        )
        self.declared: dict[int, list[ConflictDeclaration]] = {}
        for d in ConflictDeclaration.objects.filter(withdrawn_at__isnull=True):
            self.declared.setdefault(d.user_id, []).append(d)
        self.people: dict[int, list[Person]] = {}
        for p in CaseParticipant.objects.select_related("person").prefetch_related(
            "person__aliases"
        ):
            self.people.setdefault(p.case_id, []).append(p.person)

    def reaches(self, user: User, case: Case) -> bool:
        staff = [m for m in user.memberships.all() if m.is_active]
        memberships = [m for m in staff if _fits(RoleName(m.role), m.agency)]
        lead: Agency = case.lead_agency
        if self.blocked(user, case, staff):
            return False
        for m in memberships:
            scope = ROLES[RoleName(m.role)].scope
            if scope == Scope.ALL:
                return True
            if scope == Scope.AGENCY and lead.pk == m.agency_id:
                return True
            if scope == Scope.AGENCY and (case.pk, m.agency_id) in self.shares:
                return True
            site = m.agency.site_id
            if scope == Scope.SITE and site and site == lead.site_id:
                return True
            if scope == Scope.OWN_REFERRALS and case.created_by_id == user.pk:
                return True
            if scope == Scope.STAFF_INVOLVED and (case.pk, m.agency_id) in self.marks:
                return True
        return any((case.pk, user.pk, m.agency_id) in self.grants for m in memberships)

    def blocked(self, user: User, case: Case, staff: list) -> bool:
        for m in staff:
            standards = m.role == RoleName.PROFESSIONAL_STANDARDS
            if standards and _fits(RoleName(m.role), m.agency):
                continue
            if (case.pk, m.agency_id) in self.marks:
                return True
        if not staff:
            return False
        return any(
            self.matches(d, p)
            for d in self.declared.get(user.pk, [])
            for p in self.people.get(case.pk, [])
        )

    @staticmethod
    def matches(declared: ConflictDeclaration, person: Person) -> bool:
        full = f"{declared.given_name} {declared.family_name}"
        if any(_same(alias.name, full) for alias in person.aliases.all()):
            return True
        if not (
            _same(declared.given_name, person.given_name)
            and _same(declared.family_name, person.family_name)
        ):
            return False
        exact = (
            person.birth_date_precision == DatePrecision.EXACT
            and person.date_of_birth is not None
        )
        return (
            not exact
            or declared.date_of_birth is None
            or declared.date_of_birth == person.date_of_birth
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_list_detail_and_oracle_agree(db, seed):
    users, cases = _build_world(random.Random(seed))
    oracle = Oracle()
    users = list(
        User.objects.filter(pk__in=[u.pk for u in users]).prefetch_related(
            "memberships__agency"
        )
    )
    mismatches = []

    for user in users:
        access = Access(user)
        visible = set(access.visible_cases().values_list("pk", flat=True))
        for case in cases:
            detail = bool(access.case_access(case).reaches)
            expected = oracle.reaches(user, case)
            if not (case.pk in visible) == detail == expected:
                mismatches.append(
                    (user.pk, case.reference, case.pk in visible, detail, expected)
                )

    assert not mismatches, mismatches[:10]


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_out_of_reach_is_always_404_never_403(db, seed):
    users, cases = _build_world(random.Random(seed))

    for user in users:
        access = Access(user)
        visible = set(access.visible_cases().values_list("pk", flat=True))
        for case in cases:
            if case.pk in visible:
                continue
            with pytest.raises(Http404):
                access.case_for(case.reference, need=Permission.CASE_VIEW)


def test_removing_a_share_takes_effect_on_the_very_next_request(cast, client_for):
    client = client_for("partner_worker")
    url = reverse("cases:case-detail", args=[cast.case.reference])
    assert client.get(url).status_code == 200

    CaseShare.objects.filter(agency=cast.probation_a).update(
        revoked_at=timezone.now(), revoked_by=cast.lead_manager
    )

    assert client.get(url).status_code == 404


def test_in_reach_without_the_verb_is_403(cast):
    with pytest.raises(PermissionDenied):
        Access(cast.partner_worker).case_for(
            cast.case.reference, need=Permission.CASE_SHARE
        )
