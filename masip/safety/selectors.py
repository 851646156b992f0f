"""Reading safety plans and the victim-update log, always within a case the
caller has already resolved through the access policy (or, for the
dashboard, a set of cases it has).

Dates are compared with an explicit ``today`` so review tags can be checked
against a stopped clock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import F, QuerySet
from django.http import Http404

from masip.access.permissions import Compartment, Permission
from masip.access.policy import CaseAccess
from masip.accounts.models import Agency, Membership
from masip.cases.models import Case, CaseParticipant, ParticipantRole
from masip.people.models import Address, Person, SafeContactPreference
from masip.safety.contact_rules import Verdict, check_contact
from masip.safety.models import SafetyPlan, SafetyPlanVersion, VictimContact

# A review this close (or closer) is tagged "Due".
REVIEW_DUE_DAYS = 14
RECENT_UPDATES = 5
CONTACT_RELATED = ("recorded_by", "agency", "victim")


# Who and which victim ------------------------------------------------------


def writing_membership(
    case_access: CaseAccess, permission: Permission
) -> Membership | None:
    """The user's membership that holds ``permission`` on the case through a
    way in granting the victim contact compartment (``None``: no such way)."""
    for reach in case_access.reaches:
        if (
            permission in reach.membership.role_def.permissions
            and Compartment.VICTIM_CONTACT in reach.compartments
        ):
            return reach.membership
    return None


def case_victims(*, case: Case) -> list[Person]:
    """The case's victims, by name."""
    return list(
        Person.objects.filter(
            participations__case=case,
            participations__role=ParticipantRole.VICTIM,
        )
        .distinct()
        .order_by("family_name", "given_name", "id")
    )


def victim_get_in_case(*, case: Case, public_id: uuid.UUID) -> Person:
    """The person if they are a victim on ``case``; otherwise ``Http404``."""
    found = Person.objects.filter(
        public_id=public_id,
        pk__in=CaseParticipant.objects.filter(
            case=case, role=ParticipantRole.VICTIM
        ).values("person_id"),
    ).first()
    if found is None:
        raise Http404("No victim found.")
    return found


def safe_contact_for(*, victim: Person) -> SafeContactPreference | None:
    """The victim's safe-contact rules; callers must have checked the
    compartment before showing them."""
    return SafeContactPreference.objects.filter(person=victim).first()


def letter_addresses(*, victim: Person) -> list[Address]:
    """The victim's current addresses marked safe to send letters to."""
    return list(
        Address.objects.filter(person=victim, is_current=True, safe_to_write=True)
    )


# Safety plans --------------------------------------------------------------


def plan_for(*, case: Case, victim: Person) -> SafetyPlan | None:
    return SafetyPlan.objects.filter(case=case, victim=victim).first()


def current_version(plan: SafetyPlan | None) -> SafetyPlanVersion | None:
    if plan is None or not plan.current_number:
        return None
    return (
        plan.versions.filter(number=plan.current_number)
        .select_related("recorded_by", "recorded_by_agency")
        .first()
    )


def plan_versions(plan: SafetyPlan) -> list[SafetyPlanVersion]:
    """Every version, newest first, with who saved it."""
    return list(
        plan.versions.select_related("recorded_by", "recorded_by_agency").order_by(
            "-number"
        )
    )


@dataclass(frozen=True)
class ReviewState:
    """Where a plan's review date stands on ``today``."""

    review_on: dt.date
    today: dt.date

    @property
    def overdue(self) -> bool:
        return self.review_on < self.today

    @property
    def due(self) -> bool:
        """Due soon (within ``REVIEW_DUE_DAYS``, today included), not overdue."""
        return not self.overdue and self.review_on <= self.today + dt.timedelta(
            days=REVIEW_DUE_DAYS
        )


def safety_plan_reviews_due(
    cases: QuerySet[Case],
    *,
    today: dt.date,
    within_days: int,
    agency: Agency | None = None,
) -> QuerySet[SafetyPlanVersion]:
    """The current versions of the plans on ``cases`` whose review falls on or
    before ``today + within_days`` (overdue ones included), soonest first; with
    ``agency``, only those whose current version that agency recorded. One
    query, whatever the number of rows (plan, case, victim and recorder are
    joined in)."""
    versions = SafetyPlanVersion.objects.filter(
        plan__case__in=cases,
        number=F("plan__current_number"),
        review_on__lte=today + dt.timedelta(days=within_days),
    )
    if agency is not None:
        versions = versions.filter(recorded_by_agency=agency)
    return versions.select_related(
        "plan", "plan__case", "plan__victim", "recorded_by", "recorded_by_agency"
    ).order_by("review_on", "id")


# The victim-update log -----------------------------------------------------


def victim_updates(*, case: Case) -> QuerySet[VictimContact]:
    """Contacts with the case's victims that happened (or were tried), newest
    first, with who made them: the one log every agency reads."""
    return (
        VictimContact.objects.filter(
            case=case,
            status__in=[
                VictimContact.Status.DONE,
                VictimContact.Status.ATTEMPTED_NO_ANSWER,
            ],
        )
        .select_related(*CONTACT_RELATED)
        .order_by("-occurred_at", "-id")
    )


def scheduled_contacts(*, case: Case) -> QuerySet[VictimContact]:
    """Contacts planned and not yet done or cancelled, soonest first."""
    return (
        VictimContact.objects.filter(case=case, status=VictimContact.Status.SCHEDULED)
        .select_related(*CONTACT_RELATED, "address")
        .order_by("scheduled_for", "id")
    )


def contact_get_in_case(*, case: Case, public_id: uuid.UUID) -> VictimContact:
    """The contact if it belongs to ``case``; otherwise ``Http404``."""
    found = (
        VictimContact.objects.filter(case=case, public_id=public_id)
        .select_related(*CONTACT_RELATED, "case", "address")
        .first()
    )
    if found is None:
        raise Http404("No contact found.")
    return found


@dataclass(frozen=True)
class ScheduledRow:
    """A scheduled contact, and whether the victim's rules (as they are now)
    still allow it: they may have changed since it was planned."""

    contact: VictimContact
    verdict: Verdict


def scheduled_rows(contacts: list[VictimContact]) -> list[ScheduledRow]:
    """Each scheduled contact checked against its victim's current rules (one
    query for the rules, whatever the number of contacts)."""
    preferences = {
        p.person_id: p
        for p in SafeContactPreference.objects.filter(
            person_id__in={c.victim_id for c in contacts}
        )
    }
    rows = []
    for contact in contacts:
        assert contact.scheduled_for is not None
        verdict = check_contact(
            preferences.get(contact.victim_id),
            method=contact.method,
            at=contact.scheduled_for,
            address=contact.address,
        )
        rows.append(ScheduledRow(contact, verdict))
    return rows


# The overview --------------------------------------------------------------


@dataclass
class VictimSafety:
    """One victim's part of the safety overview."""

    victim: Person
    plan: SafetyPlan | None
    current: SafetyPlanVersion | None
    review: ReviewState | None
    updates: list[VictimContact] = field(default_factory=list)
    scheduled: list[ScheduledRow] = field(default_factory=list)


def safety_overview(*, case: Case, today: dt.date) -> list[VictimSafety]:
    """Each victim's plan (current version, review state), latest updates and
    scheduled contacts (a query per victim for the updates: a case has one
    victim, or a few)."""
    victims = case_victims(case=case)
    plans = {
        p.victim_id: p for p in SafetyPlan.objects.filter(case=case, victim__in=victims)
    }
    currents = {
        v.plan_id: v
        for v in SafetyPlanVersion.objects.filter(
            plan__in=plans.values(), number=F("plan__current_number")
        ).select_related("recorded_by", "recorded_by_agency")
    }
    scheduled = scheduled_rows(list(scheduled_contacts(case=case)))
    overview = []
    for victim in victims:
        plan = plans.get(victim.pk)
        current = currents.get(plan.pk) if plan else None
        overview.append(
            VictimSafety(
                victim=victim,
                plan=plan,
                current=current,
                review=ReviewState(current.review_on, today) if current else None,
                updates=list(
                    victim_updates(case=case).filter(victim=victim)[:RECENT_UPDATES]
                ),
                scheduled=[r for r in scheduled if r.contact.victim_id == victim.pk],
            )
        )
    return overview
