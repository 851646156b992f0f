"""Writing panel records: the panel, its meetings, agendas, attendance, what
was discussed and shared, and the minutes.

The views have found the meeting through ``access.meeting_for`` and every
case through ``access.case_for`` (``PANEL_MANAGE``); each service checks
again that the acting membership runs the panel's site (defence in depth),
refuses changes once the minutes are issued, and records its audit event in
the same transaction. Actions agreed at panel are written by
``masip.panels.action_services``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.accounts.models import Agency, Notification, Site, User
from masip.accounts.notices import notify
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import (
    Case,
    CaseStatus,
    ConsentStatus,
    LawfulBasis,
    RiskLevel,
    RiskLevelChange,
)
from masip.cases.services import status_apply
from masip.core.errors import DomainError
from masip.core.templatetags.govuk import govuk_date
from masip.core.versioning import apply_changes, ensure_current, save_new_version
from masip.panels import selectors
from masip.panels.models import (
    AgendaItem,
    Attendance,
    Condition,
    DataCategory,
    InformationShare,
    Meeting,
    Panel,
)
from masip.risk.models import PanelQueueEntry

if TYPE_CHECKING:
    from masip.panels.agenda import Suggestion

MEETING_FIELDS = ("kind", "held_on", "starts_at", "location")
# The levels a panel may agree (not "not yet assessed").
AGREED_LEVELS = (RiskLevel.STANDARD, RiskLevel.MEDIUM, RiskLevel.HIGH)
# Categories that need a further condition (special-category or
# law-enforcement data, or the victim's whereabouts).
NEEDS_CONDITION = (
    DataCategory.HEALTH,
    DataCategory.POLICE_INTEL,
    DataCategory.VICTIM_LOCATION,
)
CONSENT_REASON_MESSAGES = {
    ConsentStatus.GIVEN: "Enter how and when consent was given.",
    ConsentStatus.REFUSED: (
        "Enter why the information was shared although consent was refused."
    ),
    ConsentStatus.WITHDRAWN: (
        "Enter why the information was shared although consent was withdrawn."
    ),
    ConsentStatus.NOT_SOUGHT: "Enter why consent was not sought.",
}


class PanelInputError(DomainError):
    """Input a service refused, by form field (``""`` for the whole form)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()))


def _problem(field: str, message: str) -> PanelInputError:
    return PanelInputError({field: message})


# Checks shared by every service -------------------------------------------------


def _require_site(actor: Actor, site_id: int) -> None:
    """The acting membership runs panels, in this site."""
    membership = actor.membership
    if (
        Permission.PANEL_MANAGE not in membership.role_def.permissions
        or membership.agency.site_id != site_id
    ):
        raise PermissionDenied


def _lock(meeting: Meeting) -> Meeting:
    """The meeting row, locked until the transaction ends."""
    locked = (
        Meeting.objects.select_for_update()
        .select_related("panel", "panel__site")
        .get(pk=meeting.pk)
    )
    return locked


def _ensure_open(meeting: Meeting) -> None:
    """Records may change until the minutes are issued (not once cancelled)."""
    if meeting.minutes_issued_at is not None:
        raise DomainError(
            "The minutes of this meeting are issued: its records can no longer "
            "be changed."
        )
    if meeting.status == Meeting.Status.CANCELLED:
        raise DomainError("This meeting is cancelled: its records cannot be changed.")


def _ensure_started(meeting: Meeting, today: dt.date) -> None:
    if meeting.held_on > today:
        raise DomainError(
            "What the panel discussed can be recorded from the day of the "
            f"meeting, {govuk_date(meeting.held_on)}."
        )


def _record(
    event_type: EventType,
    *,
    actor: Actor,
    target_type: str,
    target_id: object,
    case_reference: str = "",
    changed_fields: Iterable[str] = (),
) -> None:
    audit.record(
        event_type,
        actor=actor.audit,
        target_type=target_type,
        target_id=target_id,
        case_reference=case_reference,
        changed_fields=changed_fields,
    )


def _item_of(meeting: Meeting, item: AgendaItem) -> AgendaItem:
    """The item, locked, if it belongs to the meeting."""
    locked = (
        AgendaItem.objects.select_for_update()
        .filter(pk=item.pk, meeting_id=meeting.pk)
        .first()
    )
    if locked is None:
        raise DomainError("That case is not on this meeting's agenda.")
    return locked


# The panel ----------------------------------------------------------------------


@transaction.atomic
def panel_save(
    *,
    actor: Actor,
    site: Site,
    name: str,
    member_agencies: Sequence[Agency],
    chair: User | None,
) -> Panel:
    """Set up the site's panel, or change its name, members and chair."""
    _require_site(actor, site.pk)
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = "Enter the panel's name."
    allowed = set(selectors.candidate_agencies(site).values_list("pk", flat=True))
    member_ids = {a.pk for a in member_agencies}
    if not member_ids:
        errors["member_agencies"] = "Select the agencies that sit on the panel."
    elif not member_ids <= allowed:
        errors["member_agencies"] = (
            "Select agencies of this site, or national agencies."
        )
    if chair is None:
        errors["chair"] = "Select the panel's chair."
    elif (
        member_ids
        and not selectors.active_members(member_agencies).filter(pk=chair.pk).exists()
    ):
        errors["chair"] = "Select a chair who works for one of the member agencies."
    if errors:
        raise PanelInputError(errors)
    panel = Panel.objects.select_for_update().filter(site=site).first()
    created = panel is None
    if panel is None:
        panel = Panel(site=site)
        before: tuple[str, int | None, set[int]] = ("", None, set())
    else:
        before = (
            panel.name,
            panel.chair_id,
            set(panel.member_agencies.values_list("pk", flat=True)),
        )
    panel.name = name
    panel.chair = chair
    panel.save()
    panel.member_agencies.set(list(member_agencies))
    changed = [
        field
        for field, old, new in (
            ("name", before[0], name),
            ("chair", before[1], chair.pk if chair else None),
            ("member_agencies", before[2], member_ids),
        )
        if created or old != new
    ]
    if changed:
        _record(
            EventType.PANEL_UPDATED,
            actor=actor,
            target_type="panel",
            target_id=panel.pk,
            changed_fields=changed,
        )
    return panel


# Meetings -----------------------------------------------------------------------


def meeting_date_problem(kind: str, held_on: dt.date, today: dt.date) -> str:
    """Why the date will not do, or ``""``: only emergencies go in the past."""
    if kind == Meeting.Kind.SCHEDULED and held_on < today:
        return (
            "The date of a scheduled meeting must be today or in the future. "
            "Choose emergency meeting to record one already held."
        )
    return ""


def meeting_current_values(meeting: Meeting) -> dict[str, Any]:
    return {name: getattr(meeting, name) for name in MEETING_FIELDS}


def _meeting_link(meeting: Meeting) -> str:
    return reverse("panels:meeting-detail", kwargs={"public_id": meeting.public_id})


def _tell_members(meeting: Meeting, message: str) -> None:
    notify(
        selectors.meeting_notice_recipients(meeting.panel),
        kind=Notification.Kind.MEETING_SCHEDULED,
        message=message,
        link=_meeting_link(meeting),
    )


def _what(meeting: Meeting) -> str:
    if meeting.kind == Meeting.Kind.EMERGENCY:
        return "An emergency panel meeting"
    return "A panel meeting"


@transaction.atomic
def meeting_schedule(
    *,
    actor: Actor,
    panel: Panel,
    kind: str,
    held_on: dt.date,
    starts_at: dt.time | None,
    location: str,
    today: dt.date | None = None,
) -> Meeting:
    """Put a meeting in the panel's diary and tell the member agencies."""
    _require_site(actor, panel.site_id)
    if kind not in Meeting.Kind.values:
        raise _problem("kind", "Select the kind of meeting.")
    problem = meeting_date_problem(kind, held_on, today or timezone.localdate())
    if problem:
        raise _problem("held_on", problem)
    meeting = Meeting.objects.create(
        panel=panel,
        kind=kind,
        held_on=held_on,
        starts_at=starts_at,
        location=location.strip(),
        created_by=actor.user,
    )
    _record(
        EventType.MEETING_SCHEDULED,
        actor=actor,
        target_type="meeting",
        target_id=meeting.public_id,
    )
    _tell_members(
        meeting, f"{_what(meeting)} is scheduled for {govuk_date(meeting.held_on)}."
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting,
    version: int,
    today: dt.date | None = None,
    **values: Any,
) -> Meeting:
    """Change a planned meeting; ``StaleEditError`` if saved since ``version``."""
    unknown = set(values) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    locked = _lock(meeting)
    _require_site(actor, locked.panel.site_id)
    ensure_current(locked, version=version, current_values=meeting_current_values)
    if locked.status != Meeting.Status.PLANNED:
        raise DomainError("Only a planned meeting can be changed.")
    if "location" in values:
        values["location"] = values["location"].strip()
    old_day = locked.held_on
    changed = apply_changes(locked, values)
    if {"kind", "held_on"} & set(changed):
        problem = meeting_date_problem(
            locked.kind, locked.held_on, today or timezone.localdate()
        )
        if problem:
            raise _problem("held_on", problem)
    if not changed:
        return locked
    save_new_version(locked, update_fields=changed)
    _record(
        EventType.MEETING_UPDATED,
        actor=actor,
        target_type="meeting",
        target_id=locked.public_id,
        changed_fields=changed,
    )
    if "held_on" in changed:
        _tell_members(
            locked,
            f"The panel meeting on {govuk_date(old_day)} has moved to "
            f"{govuk_date(locked.held_on)}.",
        )
    return locked


def _status_version(meeting: Meeting) -> dict[str, Any]:
    return {"status": meeting.status}


@transaction.atomic
def meeting_cancel(*, actor: Actor, meeting: Meeting, version: int) -> Meeting:
    """Call off a planned meeting and tell the member agencies."""
    locked = _lock(meeting)
    _require_site(actor, locked.panel.site_id)
    ensure_current(locked, version=version, current_values=_status_version)
    if locked.status != Meeting.Status.PLANNED:
        raise DomainError("Only a planned meeting can be cancelled.")
    locked.status = Meeting.Status.CANCELLED
    save_new_version(locked, update_fields=["status"])
    _record(
        EventType.MEETING_UPDATED,
        actor=actor,
        target_type="meeting",
        target_id=locked.public_id,
        changed_fields=["status"],
    )
    _tell_members(
        locked, f"The panel meeting on {govuk_date(locked.held_on)} is cancelled."
    )
    return locked


@transaction.atomic
def meeting_mark_held(
    *, actor: Actor, meeting: Meeting, version: int, today: dt.date | None = None
) -> Meeting:
    """Record that the meeting took place (on or after its date)."""
    locked = _lock(meeting)
    _require_site(actor, locked.panel.site_id)
    ensure_current(locked, version=version, current_values=_status_version)
    if locked.status != Meeting.Status.PLANNED:
        raise DomainError("Only a planned meeting can be marked as held.")
    if locked.held_on > (today or timezone.localdate()):
        raise DomainError(
            "A meeting can be marked as held on or after its date, "
            f"{govuk_date(locked.held_on)}."
        )
    locked.status = Meeting.Status.HELD
    save_new_version(locked, update_fields=["status"])
    _record(
        EventType.MEETING_UPDATED,
        actor=actor,
        target_type="meeting",
        target_id=locked.public_id,
        changed_fields=["status"],
    )
    return locked


def unsettled_items(meeting: Meeting) -> list[AgendaItem]:
    """Items neither discussed nor marked as not discussed."""
    return [item for item in selectors.agenda_items(meeting) if not item.settled]


@transaction.atomic
def minutes_issue(*, actor: Actor, meeting: Meeting, version: int) -> Meeting:
    """Make the meeting's records final: held, and every item settled."""
    locked = _lock(meeting)
    _require_site(actor, locked.panel.site_id)
    ensure_current(locked, version=version, current_values=_status_version)
    if locked.minutes_issued_at is not None:
        raise DomainError("The minutes of this meeting are already issued.")
    if locked.status != Meeting.Status.HELD:
        raise DomainError("Mark the meeting as held before issuing the minutes.")
    waiting = unsettled_items(locked)
    if waiting:
        references = ", ".join(item.case.reference for item in waiting)
        raise DomainError(
            "Record the discussion of each case, or mark it as not discussed "
            f"with a reason, before issuing the minutes: {references}."
        )
    locked.minutes_issued_at = timezone.now()
    save_new_version(locked, update_fields=["minutes_issued_at"])
    _record(
        EventType.MEETING_UPDATED,
        actor=actor,
        target_type="meeting",
        target_id=locked.public_id,
        changed_fields=["minutes_issued_at"],
    )
    return locked


# The agenda ---------------------------------------------------------------------


def _agenda_changed(actor: Actor, meeting: Meeting, case: Case, change: str) -> None:
    _record(
        EventType.AGENDA_CHANGED,
        actor=actor,
        target_type="meeting",
        target_id=meeting.public_id,
        case_reference=case.reference,
        changed_fields=[change],
    )


def _add(
    actor: Actor, meeting: Meeting, case: Case, reason: str, detail: str
) -> AgendaItem:
    if reason not in AgendaItem.Reason.values:
        raise _problem("reason", "Select why the case is listed.")
    detail = detail.strip()
    if reason == AgendaItem.Reason.ADDED and not detail:
        raise _problem("reason_detail", "Enter why the panel should discuss the case.")
    if len(detail) > 300:
        raise _problem(
            "reason_detail",
            "Why the panel should discuss it must be 300 characters or fewer.",
        )
    lead = Agency.objects.filter(pk=case.lead_agency_id).values("site_id").first()
    if lead is None or lead["site_id"] != meeting.panel.site_id:
        raise _problem("reference", "Enter the reference of a case led in this site.")
    if case.status == CaseStatus.CLOSED:
        raise _problem("reference", f"{case.reference} is closed: it cannot be listed.")
    if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
        raise _problem("reference", f"{case.reference} is already on the agenda.")
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(n=Max("position"))["n"]
    item = AgendaItem.objects.create(
        meeting=meeting,
        case=case,
        reason=reason,
        reason_detail=detail,
        position=(last or 0) + 1,
    )
    # Listed: the case leaves the risk queue for the panel.
    PanelQueueEntry.objects.filter(case=case, taken_at__isnull=True).update(
        taken_at=timezone.now()
    )
    _agenda_changed(actor, meeting, case, "added")
    return item


@transaction.atomic
def agenda_add(
    *,
    actor: Actor,
    meeting: Meeting,
    case: Case,
    reason: str,
    reason_detail: str = "",
) -> AgendaItem:
    """List a case on the agenda, last; a case waiting in the panel queue is
    taken from it."""
    locked = _lock(meeting)
    _require_site(actor, locked.panel.site_id)
    _ensure_open(locked)
    return _add(actor, locked, case, reason, reason_detail)


@transaction.atomic
def agenda_add_all(
    *, actor: Actor, meeting: Meeting, suggestions: Iterable[Suggestion]
) -> list[AgendaItem]:
    """List every suggested case, in the order suggested."""
    locked = _lock(meeting)
    _require_site(actor, locked.panel.site_id)
    _ensure_open(locked)
    return [_add(actor, locked, s.case, s.reason, s.detail) for s in suggestions]


def _renumber(meeting: Meeting, items: list[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position
    AgendaItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def agenda_remove(*, actor: Actor, meeting: Meeting, item: AgendaItem) -> None:
    """Take a case off the agenda, unless the meeting has recorded anything
    about it; a case listed from the panel queue goes back to the queue."""
    locked = _lock(meeting)
    _require_site(actor, locked.panel.site_id)
    _ensure_open(locked)
    row = _item_of(locked, item)
    if row.settled or row.shares.exists() or row.actions.exists():
        raise DomainError(
            f"{item.case.reference} has records from this meeting, so it stays "
            "on the agenda. Mark it as not discussed instead."
        )
    case = row.case
    row.delete()
    if (
        row.reason == AgendaItem.Reason.QUEUED
        and not PanelQueueEntry.objects.filter(
            case=case, taken_at__isnull=True
        ).exists()
    ):
        entry = (
            PanelQueueEntry.objects.filter(case=case, taken_at__isnull=False)
            .order_by("-taken_at", "-id")
            .first()
        )
        if entry is not None:
            entry.taken_at = None
            entry.save(update_fields=["taken_at"])
    _renumber(locked, list(AgendaItem.objects.filter(meeting=locked)))
    _agenda_changed(actor, locked, case, "removed")


@transaction.atomic
def agenda_move(*, actor: Actor, meeting: Meeting, item: AgendaItem, up: bool) -> None:
    """Move a case one place up or down the agenda."""
    locked = _lock(meeting)
    _require_site(actor, locked.panel.site_id)
    _ensure_open(locked)
    row = _item_of(locked, item)
    items = list(
        AgendaItem.objects.filter(meeting=locked)
        .select_related("case")
        .order_by("position", "id")
    )
    index = next(i for i, it in enumerate(items) if it.pk == row.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    _renumber(locked, items)
    _agenda_changed(actor, locked, items[other].case, "position")


# Attendance ---------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *,
    actor: Actor,
    meeting: Meeting,
    entries: Mapping[int, tuple[str, str]],
) -> list[Attendance]:
    """Set each member agency's attendance: agency id -> (status, who came)."""
    locked = _lock(meeting)
    _require_site(actor, locked.panel.site_id)
    _ensure_open(locked)
    members = {a.pk: a for a in selectors.member_agencies(locked.panel)}
    errors: dict[str, str] = {}
    for agency_id, (status, attendees) in entries.items():
        agency = members.get(agency_id)
        if agency is None:
            errors[""] = "Record attendance for the panel's member agencies only."
        elif status not in Attendance.Status.values:
            errors[f"status_{agency_id}"] = f"Select whether {agency.name} attended."
        elif status == Attendance.Status.PRESENT and not attendees.strip():
            errors[f"attendees_{agency_id}"] = (
                f"Enter who attended for {agency.name}, with their roles."
            )
    if errors:
        raise PanelInputError(errors)
    rows = []
    for agency_id, (status, attendees) in entries.items():
        row, _ = Attendance.objects.update_or_create(
            meeting=locked,
            agency=members[agency_id],
            defaults={
                "status": status,
                "attendees": attendees.strip()
                if status == Attendance.Status.PRESENT
                else "",
            },
        )
        rows.append(row)
    _record(
        EventType.ATTENDANCE_RECORDED,
        actor=actor,
        target_type="meeting",
        target_id=locked.public_id,
        changed_fields=["attendance"],
    )
    return rows


# What was discussed -------------------------------------------------------------


@transaction.atomic
def discussion_record(
    *,
    actor: Actor,
    meeting: Meeting,
    item: AgendaItem,
    summary: str,
    victim_voice: str,
    decisions: str,
    agreed_risk_level: str,
    today: dt.date | None = None,
) -> AgendaItem:
    """Record the panel's discussion of a case and the risk level it agreed;
    a level other than the case's becomes the case's level, with the reason
    "Agreed at the panel meeting on <date>"."""
    locked = _lock(meeting)
    _require_site(actor, locked.panel.site_id)
    _ensure_open(locked)
    _ensure_started(locked, today or timezone.localdate())
    errors = {}
    values = {
        "summary": summary.strip(),
        "victim_voice": victim_voice.strip(),
        "decisions": decisions.strip(),
    }
    messages = {
        "summary": "Enter a summary of the discussion.",
        "victim_voice": "Enter what the advocate reported of the victim's views.",
        "decisions": "Enter the panel's decisions.",
    }
    for name, value in values.items():
        if not value:
            errors[name] = messages[name]
    if agreed_risk_level not in AGREED_LEVELS:
        errors["agreed_risk_level"] = "Select the risk level the panel agreed."
    if errors:
        raise PanelInputError(errors)
    row = _item_of(locked, item)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if row.agreed_risk_level != agreed_risk_level:
        changed.append("agreed_risk_level")
    if not row.discussed:
        changed.append("discussed")
    for name, value in values.items():
        setattr(row, name, value)
    row.agreed_risk_level = agreed_risk_level
    row.discussed = True
    row.not_discussed_reason = ""
    row.recorded_by = actor.user
    row.recorded_at = timezone.now()
    row.save()
    case = Case.objects.select_for_update().get(pk=row.case_id)
    _record(
        EventType.DISCUSSION_RECORDED,
        actor=actor,
        target_type="agenda_item",
        target_id=row.public_id,
        case_reference=case.reference,
        changed_fields=changed,
    )
    if case.risk_level != agreed_risk_level:
        RiskLevelChange.objects.create(
            case=case,
            from_level=case.risk_level,
            to_level=agreed_risk_level,
            reason=f"Agreed at the panel meeting on {govuk_date(locked.held_on)}",
            changed_by=actor.user,
        )
        case.risk_level = agreed_risk_level
        save_new_version(case, update_fields=["risk_level"])
        _record(
            EventType.CASE_RISK_CHANGED,
            actor=actor,
            target_type="case",
            target_id=case.reference,
            case_reference=case.reference,
            changed_fields=["risk_level"],
        )
    _start_panel_management(actor, case, locked.held_on)
    return row


def _start_panel_management(actor: Actor, case: Case, held_on: dt.date) -> None:
    """A case accepted from a referral is under panel management, so active,
    once the panel has discussed it (the caller holds the case's lock)."""
    if case.status != CaseStatus.ACCEPTED:
        return
    status_apply(
        actor=actor,
        locked=case,
        to_status=CaseStatus.ACTIVE,
        reason=f"Discussed at the panel meeting on {govuk_date(held_on)}",
    )


@transaction.atomic
def item_mark_not_discussed(
    *, actor: Actor, meeting: Meeting, item: AgendaItem, reason: str
) -> AgendaItem:
    """Settle an item the panel did not reach, with the reason."""
    locked = _lock(meeting)
    _require_site(actor, locked.panel.site_id)
    _ensure_open(locked)
    reason = reason.strip()
    if not reason:
        raise _problem("reason", "Enter why the panel did not discuss the case.")
    row = _item_of(locked, item)
    if row.discussed:
        raise DomainError(
            "The panel's discussion of this case is recorded, so it cannot be "
            "marked as not discussed."
        )
    row.not_discussed_reason = reason
    row.recorded_by = actor.user
    row.recorded_at = timezone.now()
    row.save(update_fields=["not_discussed_reason", "recorded_by", "recorded_at"])
    _record(
        EventType.DISCUSSION_RECORDED,
        actor=actor,
        target_type="agenda_item",
        target_id=row.public_id,
        case_reference=item.case.reference,
        changed_fields=["not_discussed_reason"],
    )
    return row


# Information shared -------------------------------------------------------------


def _agency_problems(
    member_ids: set[int], from_agency: Agency | None, to_agencies: Sequence[Agency]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if from_agency is None or from_agency.pk not in member_ids:
        errors["from_agency"] = "Select the agency that shared the information."
    to_ids = {a.pk for a in to_agencies}
    if not to_ids or not to_ids <= member_ids:
        errors["to_agencies"] = "Select the agencies the information was shared with."
    elif from_agency is not None and from_agency.pk in to_ids:
        errors["to_agencies"] = (
            "Select agencies other than the one that shared the information."
        )
    return errors


def _condition_problem(categories: Sequence[str], condition: str) -> str:
    if condition not in Condition.values:
        return "Select the condition for sharing."
    sensitive = [DataCategory(c) for c in NEEDS_CONDITION if c in categories]
    if sensitive and not condition:
        labels = ", ".join(str(c.label).lower() for c in sensitive)
        return (
            f"Select the condition for sharing {labels}: health, police "
            "intelligence and victim location details need a condition "
            "(UK GDPR Art 9 with DPA 2018 Sch 1, or DPA 2018 Sch 8)."
        )
    return ""


def share_problems(
    *,
    member_ids: set[int],
    from_agency: Agency | None,
    to_agencies: Sequence[Agency],
    categories: Sequence[str],
    lawful_basis: str,
    condition: str,
    consent: str,
    consent_reason: str,
    necessity: str,
) -> dict[str, str]:
    """What is wrong with an information-sharing record, by field."""
    errors = _agency_problems(member_ids, from_agency, to_agencies)
    if not categories or not set(categories) <= set(DataCategory.values):
        errors["categories"] = "Select what kinds of information were shared."
    if lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = "Select the lawful basis for sharing."
    problem = _condition_problem(categories, condition)
    if problem:
        errors["condition"] = problem
    if consent not in ConsentStatus.values:
        errors["consent"] = "Select whether the person consented to the sharing."
    elif not consent_reason.strip():
        errors["consent_reason"] = CONSENT_REASON_MESSAGES[ConsentStatus(consent)]
    if not necessity.strip():
        errors["necessity"] = (
            "Enter why sharing the information was necessary and proportionate."
        )
    return errors


@transaction.atomic
def information_share_record(
    *,
    actor: Actor,
    meeting: Meeting,
    item: AgendaItem,
    from_agency: Agency | None,
    to_agencies: Sequence[Agency],
    categories: Sequence[str],
    lawful_basis: str,
    condition: str,
    consent: str,
    consent_reason: str,
    necessity: str,
    today: dt.date | None = None,
) -> InformationShare:
    """Record information one member agency shared with others at panel."""
    locked = _lock(meeting)
    _require_site(actor, locked.panel.site_id)
    _ensure_open(locked)
    _ensure_started(locked, today or timezone.localdate())
    member_ids = {a.pk for a in selectors.member_agencies(locked.panel)}
    errors = share_problems(
        member_ids=member_ids,
        from_agency=from_agency,
        to_agencies=to_agencies,
        categories=categories,
        lawful_basis=lawful_basis,
        condition=condition,
        consent=consent,
        consent_reason=consent_reason,
        necessity=necessity,
    )
    if errors:
        raise PanelInputError(errors)
    assert from_agency is not None
    row = _item_of(locked, item)
    share = InformationShare.objects.create(
        item=row,
        case_id=row.case_id,
        from_agency=from_agency,
        categories=[c for c in DataCategory.values if c in categories],
        lawful_basis=lawful_basis,
        condition=condition,
        consent=consent,
        consent_reason=consent_reason.strip(),
        necessity=necessity.strip(),
        recorded_by=actor.user,
    )
    share.to_agencies.set(list(to_agencies))
    _record(
        EventType.INFORMATION_SHARE_RECORDED,
        actor=actor,
        target_type="information_share",
        target_id=share.public_id,
        case_reference=item.case.reference,
    )
    return share


def ensure_records_open(meeting: Meeting, *, today: dt.date | None = None) -> None:
    """``DomainError`` unless the meeting's records may be added to now (for
    the action form, whose service lives in ``action_services``)."""
    _ensure_open(meeting)
    _ensure_started(meeting, today or timezone.localdate())
