"""Demo safety data: on three open cases of each site, structured safe-contact
windows on the victim, a safety plan (one review overdue, one with two
versions), a few updates logged by the police and the advocacy service, and
one call scheduled for the next weekday.

Every contact written here is checked against the victim's rules first
(``check_contact``); one the rules refuse is left out. Idempotent: a case
that already has a safety plan is left as it is. Synthetic text only.
"""

from __future__ import annotations

import datetime as dt

from masip.accounts.models import Agency, Membership, User
from masip.cases.models import (
    Case,
    CaseParticipant,
    CaseShare,
    CaseStatus,
    ParticipantRole,
)
from masip.demo.structure import Structure
from masip.demo.synth import aware
from masip.people.models import Address, Channel, Person, SafeContactPreference
from masip.safety.contact_rules import ContactMethod, check_contact
from masip.safety.models import SafetyPlan, SafetyPlanVersion, VictimContact

CASES_PER_SITE = 3
WEEKDAYS = [0, 1, 2, 3, 4]
# (from, until) of each demo victim's contact window, by position.
WINDOWS = (
    (dt.time(10, 0), dt.time(16, 0)),
    (dt.time(9, 30), dt.time(18, 0)),
    (None, dt.time(20, 0)),
)
# Review dates, by position: overdue, due soon, later.
REVIEW_IN_DAYS = (-5, 10, 45)
METHOD_FOR_CHANNEL = {
    Channel.PHONE: ContactMethod.CALL,
    Channel.TEXT: ContactMethod.TEXT,
    Channel.EMAIL: ContactMethod.EMAIL,
}
PLAN = {
    "home": "Demo: locks changed and a video doorbell fitted; she does not open "
    "the door to unexpected callers.",
    "travel": "Demo: varies her route and times to work; keeps to busy streets.",
    "work": "Demo: reception has a description and will not confirm she works there.",
    "online": "Demo: location sharing turned off; accounts checked with the advocate.",
    "trusted_people": "Demo: her sister and a neighbour know and will call 999.",
    "emergency": "Demo: call 999 (55 if unable to speak); the address is flagged.",
}
UPDATES = (
    (
        "police",
        -9,
        11,
        "Demo: told her the person who stalks was interviewed "
        "under caution and released on bail with conditions.",
    ),
    (
        "advocacy",
        -3,
        14,
        "Demo: explained the bail conditions and how to report "
        "a breach; agreed to review the safety plan.",
    ),
)
SCHEDULED = "Demo: tell her the outcome of the charging decision."


def ensure_safety(structure: Structure, *, anchor: dt.date) -> None:
    """Safety data on the first open cases of each demo site (once)."""
    for slug in structure.sites:
        for position, case in enumerate(_site_cases(slug)):
            if SafetyPlan.objects.filter(case=case).exists():
                continue
            victim = _victim(case)
            if victim is None:
                continue
            _CaseSafety(structure, slug, case, victim, position, anchor).build()


def _site_cases(slug: str) -> list[Case]:
    return list(
        Case.objects.filter(lead_agency__slug=f"{slug}-police")
        .exclude(status=CaseStatus.CLOSED)
        .order_by("reference")[:CASES_PER_SITE]
    )


def _victim(case: Case) -> Person | None:
    participant = (
        CaseParticipant.objects.filter(case=case, role=ParticipantRole.VICTIM)
        .select_related("person")
        .order_by("id")
        .first()
    )
    return participant.person if participant else None


def _agency(user: User) -> Agency:
    """The demo user's agency (each demo account works for one)."""
    membership = Membership.objects.filter(user=user).select_related("agency").first()
    assert membership is not None
    return membership.agency


def _weekday_on_or_before(day: dt.date) -> dt.date:
    while day.weekday() > 4:
        day -= dt.timedelta(days=1)
    return day


def _next_weekday(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    return day


class _CaseSafety:
    def __init__(
        self,
        structure: Structure,
        slug: str,
        case: Case,
        victim: Person,
        position: int,
        anchor: dt.date,
    ) -> None:
        self.structure, self.slug, self.case = structure, slug, case
        self.victim, self.position, self.anchor = victim, position, anchor
        self.police = structure.worker(f"{slug}-police")
        advocacy = structure.site_agency(slug, "advocacy")
        shared = CaseShare.objects.active().filter(case=case, agency=advocacy).exists()
        self.advocate = structure.worker(advocacy.slug) if shared else self.police

    def build(self) -> None:
        preference = self._rules()
        self._plan()
        method = self._method(preference)
        for who, days, hour, summary in UPDATES:
            user = self.police if who == "police" else self.advocate
            day = _weekday_on_or_before(self.anchor + dt.timedelta(days=days))
            self._contact(
                preference,
                user,
                method=method,
                status=VictimContact.Status.DONE,
                at=aware(day, hour, 0),
                summary=summary,
            )
        if self.position == 0:
            self._contact(
                preference,
                self.advocate,
                method=method,
                status=VictimContact.Status.SCHEDULED,
                at=aware(_next_weekday(self.anchor), 11, 0),
                summary=SCHEDULED,
            )

    def _rules(self) -> SafeContactPreference:
        start, end = WINDOWS[self.position % len(WINDOWS)]
        preference, _ = SafeContactPreference.objects.get_or_create(
            person=self.victim,
            defaults={"safe_channels": [Channel.PHONE.value]},
        )
        preference.contact_days = WEEKDAYS
        preference.contact_from = start
        preference.contact_until = end
        preference.save(update_fields=["contact_days", "contact_from", "contact_until"])
        if self.position == 0:
            current = (
                Address.objects.filter(person=self.victim, is_current=True)
                .order_by("id")
                .first()
            )
            if current is not None:
                Address.objects.filter(pk=current.pk).update(safe_to_write=True)
        return preference

    def _plan(self) -> None:
        plan = SafetyPlan.objects.create(case=self.case, victim=self.victim)
        review_on = self.anchor + dt.timedelta(
            days=REVIEW_IN_DAYS[self.position % len(REVIEW_IN_DAYS)]
        )
        versions = 2 if self.position == 1 else 1
        for number in range(1, versions + 1):
            saved_on = review_on - dt.timedelta(days=60 if number == 1 else 20)
            final = number == versions
            author = self.advocate if final else self.police
            version = SafetyPlanVersion.objects.create(
                plan=plan,
                number=number,
                **PLAN,
                children="" if final else "Demo: the school has been told.",
                review_on=review_on if final else saved_on + dt.timedelta(days=30),
                victim_agreed=final,
                agreed_on=min(saved_on, self.anchor) if final else None,
                recorded_by=author,
                recorded_by_agency=_agency(author),
            )
            SafetyPlanVersion.objects.filter(pk=version.pk).update(
                created_at=aware(min(saved_on, self.anchor), 10, 0)
            )
        plan.current_number = versions
        plan.save(update_fields=["current_number"])

    def _method(self, preference: SafeContactPreference) -> ContactMethod:
        for channel in preference.safe_channels:
            if channel in METHOD_FOR_CHANNEL:
                return METHOD_FOR_CHANNEL[Channel(channel)]
        return ContactMethod.CALL

    def _contact(
        self,
        preference: SafeContactPreference,
        user: User,
        *,
        method: ContactMethod,
        status: str,
        at: dt.datetime,
        summary: str,
    ) -> None:
        if not check_contact(preference, method=method, at=at, address=None).allowed:
            return
        scheduled = status == VictimContact.Status.SCHEDULED
        VictimContact.objects.create(
            case=self.case,
            victim=self.victim,
            method=method,
            status=status,
            scheduled_for=at if scheduled else None,
            occurred_at=None if scheduled else at,
            summary=summary,
            agency=_agency(user),
            recorded_by=user,
        )
