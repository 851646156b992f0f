"""Demo panels: one per site, a past meeting with its minutes and actions,
and the next meeting with an agenda waiting for the coordinator.

Drawn after the cases, from a random stream of their own (seeded by the
site), so adding them changes nothing else in the demo. Idempotent: a site
whose panel already has meetings is left as it is.
"""

import datetime as dt
import random

from masip.access.roles import RoleName
from masip.accounts.models import Agency, User
from masip.cases.models import Case, CaseStatus, ConsentStatus, LawfulBasis, RiskLevel
from masip.demo.structure import Structure
from masip.demo.synth import aware
from masip.panels.models import (
    Action,
    AgendaItem,
    Attendance,
    Condition,
    DataCategory,
    InformationShare,
    Meeting,
    Panel,
)

MEMBER_SUFFIXES = ("police", "probation", "mental-health", "advocacy")
# What each agency takes away from the demo meeting, and how it stands.
ACTIONS: tuple[tuple[str, str, int, str], ...] = (
    ("police", "Apply for an interim Stalking Protection Order.", -14, "done"),
    ("probation", "Assess for the perpetrator programme.", -7, "open"),
    ("mental-health", "Offer a stalking clinic assessment.", 14, "in_progress"),
    ("advocacy", "Review the victim's safety plan with her.", -3, "done"),
)
SUMMARY = (
    "Demo discussion: contact has continued by text and social media since the "
    "last review; written for the demonstration, about no real person."
)
VICTIM_VOICE = "Demo: the victim says she wants the contact to stop, not revenge."
DECISIONS = "Demo: joint management continues; risk reviewed at the next panel."
NECESSITY = (
    "Demo: needed to agree the risk and a joint plan; only the summary of "
    "previous conduct was shared."
)
NOT_SOUGHT = "Demo: seeking consent would alert the person who stalks."


def ensure_panels(structure: Structure, *, anchor: dt.date) -> list[Panel]:
    """Each demo site's panel, with two meetings the first time."""
    panels = []
    for slug, site in structure.sites.items():
        members = [structure.site_agency(slug, s) for s in MEMBER_SUFFIXES]
        chair = structure.manager(f"{slug}-police")
        panel, _ = Panel.objects.get_or_create(
            site=site, defaults={"name": f"{site.name} stalking panel", "chair": chair}
        )
        panel.member_agencies.add(*members)
        if not panel.meetings.exists():
            _meetings(structure, panel, members, anchor=anchor)
        panels.append(panel)
    return panels


def _site_cases(panel: Panel) -> list[Case]:
    return list(
        Case.objects.filter(lead_agency__site=panel.site)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("-risk_level", "reference")
    )


def _meetings(
    structure: Structure, panel: Panel, members: list[Agency], *, anchor: dt.date
) -> None:
    rng = random.Random(f"masip-demo-panel-{panel.site.slug}")  # nosec B311
    coordinator = structure.staff(
        f"{panel.site.slug}-programme", RoleName.PANEL_COORDINATOR
    )
    author = coordinator[0] if coordinator else structure.manager(members[0].slug)
    cases = _site_cases(panel)
    high = [c for c in cases if c.risk_level == RiskLevel.HIGH]
    past = Meeting.objects.create(
        panel=panel,
        held_on=anchor - dt.timedelta(days=28),
        status=Meeting.Status.HELD,
        location="Video call",
        created_by=author,
    )
    for agency in members:
        Attendance.objects.create(
            meeting=past,
            agency=agency,
            status=Attendance.Status.PRESENT,
            attendees=f"Demo representative of {agency.name}",
        )
    for position, case in enumerate((high or cases)[:3]):
        _discussed(structure, past, case, members, author, position, rng, anchor)
    past.minutes_issued_at = _at(past.held_on + dt.timedelta(days=2))
    past.save(update_fields=["minutes_issued_at"])
    upcoming = Meeting.objects.create(
        panel=panel,
        held_on=anchor + dt.timedelta(days=7),
        location="Video call",
        created_by=author,
    )
    listed = {item.case_id for item in past.items.all()}
    for position, case in enumerate(c for c in high if c.pk not in listed):
        if position >= 3:
            break
        AgendaItem.objects.create(
            meeting=upcoming,
            case=case,
            reason=AgendaItem.Reason.HIGH_RISK,
            position=position,
        )


def _discussed(
    structure: Structure,
    meeting: Meeting,
    case: Case,
    members: list[Agency],
    author: User,
    position: int,
    rng: random.Random,
    anchor: dt.date,
) -> None:
    item = AgendaItem.objects.create(
        meeting=meeting,
        case=case,
        reason=AgendaItem.Reason.HIGH_RISK
        if case.risk_level == RiskLevel.HIGH
        else AgendaItem.Reason.REVIEW_DUE,
        position=position,
        discussed=True,
        agreed_risk_level=case.risk_level,
        summary=SUMMARY,
        victim_voice=VICTIM_VOICE,
        decisions=DECISIONS,
        recorded_by=author,
        recorded_at=_at(meeting.held_on),
    )
    share = InformationShare.objects.create(
        item=item,
        case=case,
        from_agency=case.lead_agency,
        categories=[DataCategory.CRIMINAL_HISTORY, DataCategory.RISK],
        lawful_basis=LawfulBasis.LAW_ENFORCEMENT,
        condition=Condition.PROTECTING_INDIVIDUALS,
        consent=ConsentStatus.NOT_SOUGHT,
        consent_reason=NOT_SOUGHT,
        necessity=NECESSITY,
        recorded_by=author,
        recorded_at=_at(meeting.held_on),
    )
    share.to_agencies.set([a for a in members if a.pk != case.lead_agency_id])
    for suffix, description, due_in, status in ACTIONS:
        agency = next(a for a in members if a.slug.endswith(suffix))
        owner = structure.worker(agency.slug)
        due_on = anchor + dt.timedelta(days=due_in + rng.randint(0, 2) * position)
        done = status == Action.Status.DONE
        Action.objects.create(
            case=case,
            item=item,
            owner_agency=agency,
            owner=owner,
            description=f"Demo: {description}",
            due_on=due_on,
            status=status,
            completion_note="Demo: done as agreed." if done else "",
            completed_at=_at(min(due_on, anchor)) if done else None,
            completed_by=owner if done else None,
            created_by=author,
        )


def _at(day: dt.date) -> dt.datetime:
    return aware(day, 10, 0)
