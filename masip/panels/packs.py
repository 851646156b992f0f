"""Panel packs and minutes, built for one reader.

Before a meeting each agency reads a pack of the cases on its agenda; after
it, the minutes. Both are built here for the reader in front of us, from the
access policy's answer for each case (``Access.case_access``), and the page
and the PDF (``pack_documents``) are drawn from the same objects, so the two
cannot say different things.

A pack travels: it is printed, read on a train, left on a table. So a pack
never carries a victim's address, phone number or email, or their safe-contact
arrangements, whoever reads it, even an agency that sees them on the case.
Beyond that:

* a case the reader does not reach shows only its reference, its lead agency
  and why it is on the agenda, with "Not shared with your agency: contact
  the lead agency";
* a compartment the reader does not see is named, never shown, as the words
  "[withheld: <label>]": health and police-intelligence notes, the answers
  of a health instrument (unless the reader's agency recorded them, the rule
  of ``masip.risk.selectors.answers_visible``), and restricted incident
  locations;
* a restricted incident location follows the incident pages' test
  (``masip.incidents.views._row``): shown only while the reader has revealed
  the case's victim details (``masip.access.reveal``); an agency that sees
  the compartment but has not revealed it gets a "hidden until revealed"
  marker instead;
* a section the reader's role does not read on the case (notes for the
  panel coordinator, say) is left out and says so.

Minutes follow the same reach rule: a case out of reach shows only its
reference and lead agency.

On PostgreSQL under the application role, row-level security hides the
agenda items (and case rows) of cases out of the request's reach, so such an
item is left out of the pack and the minutes rather than named: the database
fails closed where the application would have named the case.

Every read is audited (``read_record``): one event per case in reach (so the
case's access log shows the pack or minutes were read), or one for the
meeting when none is; a download's event names the file's SHA-256.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from masip.access import reveal
from masip.access.actors import Actor
from masip.access.permissions import Compartment, Permission
from masip.access.policy import Access, CaseAccess
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import (
    Case,
    CaseNote,
    CaseParticipant,
    ParticipantRole,
    RecordedAs,
    RiskLevelChange,
)
from masip.core.templatetags.govuk import govuk_date, govuk_day
from masip.incidents.models import Incident
from masip.incidents.selectors import incident_when
from masip.panels.models import Action, AgendaItem, Condition, InformationShare
from masip.risk.models import Assessment
from masip.risk.selectors import answer_rows, answers_visible, instrument_of

if TYPE_CHECKING:
    from masip.accounts.models import Membership
    from masip.panels.models import Meeting

# Incidents and notes from this many days before the meeting are in a pack.
WINDOW_DAYS = 90
NOT_SHARED = "Not shared with your agency: contact the lead agency."
MASKED = "[hidden until you reveal victim location and contact details on the case]"
NEVER_IN_A_PACK = (
    "Addresses, phone numbers, email addresses and safe-contact arrangements "
    "are never included in a pack."
)
# The sealed compartments a note can be in, in the order a pack lists them.
NOTE_COMPARTMENTS = (Compartment.HEALTH, Compartment.POLICE_INTEL)
ROLE_ORDER = {role: n for n, role in enumerate(ParticipantRole.values)}
# Audit events name the meeting; a download's also names its file. The
# target holds 64 characters: the meeting's UUID (36), a colon, and the first
# 27 hex digits of the SHA-256 (108 bits; the response carries all of it).
SHA_PREFIX = 64 - 37


def meeting_when(meeting: Meeting) -> str:
    """``6 December 2026 at 10am``, or the day alone without a start time."""
    if meeting.starts_at is None:
        return govuk_day(meeting.held_on)
    zone = timezone.get_current_timezone()
    return govuk_date(dt.datetime.combine(meeting.held_on, meeting.starts_at, zone))


def withheld(compartment: Compartment) -> str:
    """How a pack names a compartment it does not show."""
    return f"[withheld: {compartment.label}]"


# Pack contents -----------------------------------------------------------------


@dataclass(frozen=True)
class KeyFacts:
    status: str
    risk_level: str
    risk_set_by: str  # "" when no change is recorded
    risk_set_at: dt.datetime | None
    relationship: str
    recorded_as: str
    referred_on: dt.date


@dataclass(frozen=True)
class PersonLine:
    role: str
    name: str
    born: str


@dataclass(frozen=True)
class AssessmentLine:
    title: str
    agency: str
    perspective: str
    level: str
    completed_at: dt.datetime
    completed_by: str
    judgement: str  # "" unless a professional judgement overrode the score
    answers: list[tuple[str, str]]
    answers_withheld: str  # the withheld marker when the answers are not shown


@dataclass(frozen=True)
class IncidentLine:
    when: str
    behaviours: list[str]
    channels: list[str]
    location: str  # the place, "Not recorded", or a withheld or hidden marker
    location_withheld: bool  # the reader's agency does not see it
    location_masked: bool  # it does, but the reader has not revealed it


@dataclass(frozen=True)
class ActionLine:
    description: str
    owner_agency: str
    owner: str
    due_on: dt.date
    status: str
    overdue: bool


@dataclass(frozen=True)
class NoteLine:
    kind: str
    created_at: dt.datetime
    author: str
    agency: str
    text: str


@dataclass(frozen=True)
class CaseDetail:
    """What the reader may see of one case in reach. A list left as ``None``
    is a section the reader's role does not read on this case."""

    facts: KeyFacts
    people: list[PersonLine] | None
    assessments: list[AssessmentLine] | None
    incidents: list[IncidentLine] | None
    actions: list[ActionLine] | None
    notes: list[NoteLine] | None
    notes_withheld: list[str]


@dataclass(frozen=True)
class PackItem:
    position: int
    reference: str
    lead_agency: str
    reason: str
    reason_detail: str  # only for a case in reach
    detail: CaseDetail | None  # None: the reader does not reach the case

    @property
    def in_reach(self) -> bool:
        return self.detail is not None


@dataclass(frozen=True)
class Pack:
    meeting: Meeting
    panel: str
    reader: str
    agencies: list[str]
    prepared_at: dt.datetime
    window_from: dt.date
    items: list[PackItem]

    @property
    def references_in_reach(self) -> list[str]:
        return [i.reference for i in self.items if i.in_reach]


# The reader ----------------------------------------------------------------------


def reader_memberships(access: Access, meeting: Meeting) -> list[Membership]:
    """The reader's memberships that read this meeting's business: in an
    agency on the panel, or the coordinator's of the panel's site. The
    caller has found the meeting through ``Access.meeting_for``."""
    members = set(meeting.panel.member_agencies.values_list("id", flat=True))
    found = [
        m
        for m in access.memberships_with(Permission.PANEL_VIEW)
        if m.agency_id in members
        or (
            Permission.PANEL_MANAGE in m.role_def.permissions
            and m.agency.site_id == meeting.panel.site_id
        )
    ]
    # meeting_for found the meeting, so one of them reads it.
    return found or access.memberships_with(Permission.PANEL_VIEW)


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.items.select_related("case", "case__lead_agency").order_by(
            "position", "id"
        )
    )


def _reaches(access: Access, case: Case) -> CaseAccess | None:
    case_access = access.case_access(case)
    return case_access if case_access.can(Permission.CASE_VIEW) else None


def _window(meeting: Meeting) -> tuple[dt.datetime, dt.datetime]:
    """From the start of the day ``WINDOW_DAYS`` before the meeting to the end
    of the meeting's day, in UK time."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(
        meeting.held_on - dt.timedelta(days=WINDOW_DAYS), dt.time.min, tzinfo=zone
    )
    end = dt.datetime.combine(
        meeting.held_on + dt.timedelta(days=1), dt.time.min, tzinfo=zone
    )
    return start, end


def build_pack(
    access: Access, meeting: Meeting, *, memberships: Sequence[Membership]
) -> Pack:
    """The meeting's pack as ``access``'s user may read it.

    The case records come in one query per kind for every case in reach, so
    the cost per agenda item is the policy's own (a few queries a case).
    """
    items = _items(meeting)
    reached = {i.case_id: ca for i in items if (ca := _reaches(access, i.case))}
    loaded = _Loaded.load(access, meeting, reached)
    pack_items = [
        PackItem(
            position=n,
            reference=item.case.reference,
            lead_agency=item.case.lead_agency.name,
            reason=str(item.get_reason_display()),
            reason_detail=item.reason_detail if item.case_id in reached else "",
            detail=(
                loaded.detail(item.case, reached[item.case_id])
                if item.case_id in reached
                else None
            ),
        )
        for n, item in enumerate(items, start=1)
    ]
    user = access.user
    return Pack(
        meeting=meeting,
        panel=meeting.panel.name,
        reader=getattr(user, "full_name", "") or getattr(user, "email", ""),
        agencies=sorted({m.agency.name for m in memberships}),
        prepared_at=timezone.now(),
        window_from=meeting.held_on - dt.timedelta(days=WINDOW_DAYS),
        items=pack_items,
    )


class _Loaded:
    """The case records of every case in reach, loaded once per kind."""

    def __init__(self, access: Access, meeting: Meeting) -> None:
        self.access = access
        self.meeting = meeting
        self.people: dict[int, list[CaseParticipant]] = defaultdict(list)
        self.risk_changes: dict[int, RiskLevelChange] = {}
        self.assessments: dict[int, list[Assessment]] = defaultdict(list)
        self.incidents: dict[int, list[Incident]] = defaultdict(list)
        self.actions: dict[int, list[Action]] = defaultdict(list)
        self.notes: dict[int, list[CaseNote]] = defaultdict(list)

    @classmethod
    def load(
        cls, access: Access, meeting: Meeting, reached: Mapping[int, CaseAccess]
    ) -> _Loaded:
        loaded = cls(access, meeting)
        ids = list(reached)
        if not ids:
            return loaded
        start, end = _window(meeting)
        participants = CaseParticipant.objects.filter(case_id__in=ids)
        for p in participants.select_related("person"):
            loaded.people[p.case_id].append(p)
        changes = RiskLevelChange.objects.filter(case_id__in=ids)
        for change in changes.select_related("changed_by").order_by("changed_at", "id"):
            loaded.risk_changes[change.case_id] = change  # the latest wins
        assessments = Assessment.objects.filter(case_id__in=ids)
        for a in assessments.select_related("completed_by", "agency").order_by(
            "completed_at", "id"
        ):
            loaded.assessments[a.case_id].append(a)
        incidents = Incident.objects.filter(
            case_id__in=ids, occurred_at__gte=start, occurred_at__lt=end
        )
        for incident in incidents.order_by("-occurred_at", "-id"):
            loaded.incidents[incident.case_id].append(incident)
        outstanding = Action.objects.filter(case_id__in=ids).outstanding()
        for action in outstanding.select_related("owner_agency", "owner"):
            loaded.actions[action.case_id].append(action)
        for note in _readable_notes(reached, start, end):
            loaded.notes[note.case_id].append(note)
        return loaded

    def detail(self, case: Case, case_access: CaseAccess) -> CaseDetail:
        can = case_access.can
        return CaseDetail(
            facts=self._facts(case),
            people=self._people(case) if can(Permission.PERSON_VIEW) else None,
            assessments=(
                self._assessments(case, case_access)
                if can(Permission.RISK_VIEW)
                else None
            ),
            incidents=(
                self._incidents(case) if can(Permission.INCIDENT_VIEW) else None
            ),
            actions=self._actions(case) if can(Permission.ACTION_VIEW) else None,
            notes=(
                [_note_line(n) for n in self.notes[case.pk]]
                if can(Permission.NOTE_VIEW)
                else None
            ),
            notes_withheld=(
                [withheld(c) for c in NOTE_COMPARTMENTS if not case_access.sees(c)]
                if can(Permission.NOTE_VIEW)
                else []
            ),
        )

    def _facts(self, case: Case) -> KeyFacts:
        change = self.risk_changes.get(case.pk)
        return KeyFacts(
            status=str(case.get_status_display()),
            risk_level=str(case.get_risk_level_display()),
            risk_set_by=_name(change.changed_by) if change else "",
            risk_set_at=change.changed_at if change else None,
            relationship=str(case.get_relationship_type_display()),
            recorded_as=str(RecordedAs(case.recorded_as).label),
            referred_on=case.referred_on,
        )

    def _people(self, case: Case) -> list[PersonLine]:
        participants = sorted(
            self.people[case.pk],
            key=lambda p: (ROLE_ORDER.get(p.role, 99), p.person.full_name),
        )
        return [
            PersonLine(
                role=str(p.get_role_display()),
                name=p.person.full_name,
                born=p.person.birth_date_display,
            )
            for p in participants
        ]

    def _assessments(self, case: Case, case_access: CaseAccess) -> list[AssessmentLine]:
        # Each agency's latest with each instrument, as on the risk picture.
        latest: dict[tuple[int, str], Assessment] = {}
        for assessment in self.assessments[case.pk]:
            latest[(assessment.agency_id, assessment.instrument_code)] = assessment
        return sorted(
            (_assessment_line(a, case_access) for a in latest.values()),
            key=lambda line: (line.agency, line.title),
        )

    def _incidents(self, case: Case) -> list[IncidentLine]:
        state = reveal.victim_contact(self.access, case)
        return [_incident_line(i, state) for i in self.incidents[case.pk]]

    def _actions(self, case: Case) -> list[ActionLine]:
        today = timezone.localdate()
        return [
            ActionLine(
                description=a.description,
                owner_agency=a.owner_agency.name,
                owner=_name(a.owner) if a.owner else "",
                due_on=a.due_on,
                status=str(a.get_status_display()),
                overdue=a.is_overdue(today),
            )
            for a in self.actions[case.pk]
        ]


def _readable_notes(
    reached: Mapping[int, CaseAccess], start: dt.datetime, end: dt.datetime
) -> Iterable[CaseNote]:
    """Notes of the window the reader may read: general ones, and those of a
    compartment the reader sees on that case. The text of any other note is
    never loaded."""
    readable = Q(pk__isnull=True)
    for case_id, case_access in reached.items():
        if not case_access.can(Permission.NOTE_VIEW):
            continue
        kinds = [CaseNote.Kind.GENERAL.value] + [
            c.value for c in NOTE_COMPARTMENTS if case_access.sees(c)
        ]
        readable |= Q(case_id=case_id, kind__in=kinds)
    return (
        CaseNote.objects.filter(readable, created_at__gte=start, created_at__lt=end)
        .select_related("author", "agency")
        .order_by("-created_at", "-id")
    )


def _name(user: Any) -> str:
    return str(user.full_name or user.email)


def _note_line(note: CaseNote) -> NoteLine:
    return NoteLine(
        kind=str(note.get_kind_display()),
        created_at=note.created_at,
        author=_name(note.author),
        agency=note.agency.name,
        text=note.text,
    )


def _assessment_line(assessment: Assessment, case_access: CaseAccess) -> AssessmentLine:
    instrument = instrument_of(assessment)
    visible = answers_visible(case_access, assessment, instrument)
    compartment = instrument.compartment if instrument else Compartment.HEALTH.value
    judgement = (
        f"A professional judgement: the answers gave "
        f"{assessment.scored_level or 'no level'}."
        if assessment.overridden
        else ""
    )
    return AssessmentLine(
        title=instrument.title if instrument else assessment.instrument_code,
        agency=assessment.agency.name,
        perspective=assessment.perspective.capitalize(),
        level=assessment.level.capitalize() or "No level",
        completed_at=assessment.completed_at,
        completed_by=_name(assessment.completed_by),
        judgement=judgement,
        answers=(
            answer_rows(instrument, assessment.answers)
            if visible and instrument is not None
            else []
        ),
        answers_withheld=(
            "" if visible else withheld(Compartment(compartment or "health"))
        ),
    )


def _incident_line(incident: Incident, state: reveal.SealedState) -> IncidentLine:
    # The incident pages' test: a restricted location is hidden unless the
    # reader has revealed the case's victim details.
    hidden = incident.location_is_restricted and not state.shown
    if hidden and state.masked:
        location = MASKED
    elif hidden:
        location = withheld(Compartment.VICTIM_CONTACT)
    else:
        location = incident.location or "Not recorded"
    return IncidentLine(
        when=incident_when(incident),
        behaviours=incident.behaviour_labels(),
        channels=incident.channel_labels(),
        location=location,
        location_withheld=hidden and not state.masked,
        location_masked=hidden and state.masked,
    )


# Minutes -------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceLine:
    agency: str
    status: str
    attendees: str


@dataclass(frozen=True)
class ShareLine:
    from_agency: str
    to_agencies: list[str]
    categories: list[str]
    lawful_basis: str
    condition: str
    consent: str
    consent_reason: str
    necessity: str


@dataclass(frozen=True)
class MinutesAction:
    description: str
    owner_agency: str
    owner: str
    due_on: dt.date
    status: str


@dataclass(frozen=True)
class MinutesRecord:
    """What the panel recorded on one case in the reader's reach."""

    discussed: bool
    agreed_risk_level: str
    summary: str
    victim_voice: str
    decisions: str
    shares: list[ShareLine]
    actions: list[MinutesAction]


@dataclass(frozen=True)
class MinutesItem:
    position: int
    reference: str
    lead_agency: str
    reason: str  # "" for a case out of reach
    record: MinutesRecord | None  # None: the reader does not reach the case

    @property
    def in_reach(self) -> bool:
        return self.record is not None


@dataclass(frozen=True)
class Minutes:
    meeting: Meeting
    panel: str
    draft: bool
    agencies: list[str]
    prepared_at: dt.datetime
    attendance: list[AttendanceLine]
    items: list[MinutesItem]

    @property
    def references_in_reach(self) -> list[str]:
        return [i.reference for i in self.items if i.in_reach]


def build_minutes(
    access: Access, meeting: Meeting, *, memberships: Sequence[Membership]
) -> Minutes:
    """The meeting's minutes as ``access``'s user may read them (a draft
    until the minutes are issued)."""
    items = _items(meeting)
    reached = {i.case_id for i in items if _reaches(access, i.case)}
    shares: dict[int, list[InformationShare]] = defaultdict(list)
    actions: dict[int, list[Action]] = defaultdict(list)
    if reached:
        found = (
            InformationShare.objects.filter(item__meeting=meeting, case_id__in=reached)
            .select_related("from_agency")
            .prefetch_related("to_agencies")
        )
        for share in found:
            shares[share.item_id].append(share)
        agreed = Action.objects.filter(
            item__meeting=meeting, case_id__in=reached
        ).select_related("owner_agency", "owner")
        for action in agreed:
            assert action.item_id is not None
            actions[action.item_id].append(action)
    attendance = meeting.attendance.select_related("agency").order_by("agency__name")
    return Minutes(
        meeting=meeting,
        panel=meeting.panel.name,
        draft=meeting.minutes_issued_at is None,
        agencies=sorted({m.agency.name for m in memberships}),
        prepared_at=timezone.now(),
        attendance=[
            AttendanceLine(
                agency=a.agency.name,
                status=str(a.get_status_display()),
                attendees=a.attendees,
            )
            for a in attendance
        ],
        items=[
            MinutesItem(
                position=n,
                reference=item.case.reference,
                lead_agency=item.case.lead_agency.name,
                reason=str(item.get_reason_display())
                if item.case_id in reached
                else "",
                record=(
                    _record(item, shares[item.pk], actions[item.pk])
                    if item.case_id in reached
                    else None
                ),
            )
            for n, item in enumerate(items, start=1)
        ],
    )


def _record(
    item: AgendaItem, shares: list[InformationShare], actions: list[Action]
) -> MinutesRecord:
    return MinutesRecord(
        discussed=item.discussed,
        agreed_risk_level=(
            str(item.get_agreed_risk_level_display())
            if item.agreed_risk_level
            else "Not agreed"
        ),
        summary=item.summary,
        victim_voice=item.victim_voice,
        decisions=item.decisions,
        shares=[_share_line(s) for s in shares],
        actions=[
            MinutesAction(
                description=a.description,
                owner_agency=a.owner_agency.name,
                owner=_name(a.owner) if a.owner else "",
                due_on=a.due_on,
                status=str(a.get_status_display()),
            )
            for a in actions
        ],
    )


def _share_line(share: InformationShare) -> ShareLine:
    return ShareLine(
        from_agency=share.from_agency.name,
        to_agencies=sorted(a.name for a in share.to_agencies.all()),
        categories=share.category_labels,
        lawful_basis=str(share.get_lawful_basis_display()),
        condition=str(Condition(share.condition).label),
        consent=str(share.get_consent_display()),
        consent_reason=share.consent_reason,
        necessity=share.necessity,
    )


# Audit ---------------------------------------------------------------------------


def audit_target(meeting: Meeting, sha256: str = "") -> str:
    """The audit target of a read: the meeting, and for a file its hash."""
    if not sha256:
        return str(meeting.public_id)
    return f"{meeting.public_id}:{sha256[:SHA_PREFIX]}"


@transaction.atomic
def read_record(
    event_type: EventType,
    *,
    actor: Actor,
    meeting: Meeting,
    references: Sequence[str],
    purposes: Mapping[str, str],
    sha256: str = "",
) -> None:
    """Audit a read of a pack or the minutes: one event per case in reach
    (with the purpose stated on it, if any), or one for the meeting alone."""
    target = audit_target(meeting, sha256)
    for reference in references or [""]:
        audit.record(
            event_type,
            actor=replace(actor, purpose=purposes.get(reference, "")).audit,
            target_type="meeting",
            target_id=target,
            case_reference=reference,
        )
