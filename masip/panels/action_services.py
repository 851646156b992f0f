"""Actions agreed on a case: adding, changing, completing and cancelling them.

An action belongs to one agency (the MARAC model: the agency stays
responsible), and may name a person in it. Only the owner agency's staff
change or complete it; the owner agency or the site's panel coordinator may
cancel it. Every refusal is a ``DomainError`` (``ActionRefused``) with a
sentence for the user; every change is audited in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.access.roles import RoleName
from masip.accounts import notices
from masip.accounts.models import Agency, Membership, Notification, User
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case, CaseNote, CaseShare, CaseStatus
from masip.cases.services.notes import note_add
from masip.core.errors import DomainError
from masip.core.templatetags.govuk import govuk_day
from masip.core.versioning import apply_changes, ensure_current, save_new_version
from masip.panels.models import Action, AgendaItem

DESCRIPTION_MAX = 2000
NOTE_MAX = 4000


class ActionRefused(DomainError):
    """A refusal, naming the form field it is about (empty: the whole form)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# Who may act ---------------------------------------------------------------


def _reaching_membership(actor: Actor, case: Case) -> Membership | None:
    """The actor's membership, if it is one of their ways into the case."""
    for reach in Access(actor.user).case_access(case).reaches:
        if reach.membership.pk == actor.membership.pk:
            return reach.membership
    return None


def _grants(membership: Membership, permission: Permission) -> bool:
    return permission in membership.role_def.permissions


def _require_owner_agency(actor: Actor, action: Action, *, doing: str) -> None:
    """The actor must work for the owner agency, hold ACTION_UPDATE in that
    membership and reach the case through it."""
    membership = _reaching_membership(actor, action.case)
    if (
        membership is None
        or membership.agency_id != action.owner_agency_id
        or not _grants(membership, Permission.ACTION_UPDATE)
    ):
        raise ActionRefused(
            f"Only staff of {action.owner_agency.name} working on this case can "
            f"{doing} this action."
        )


def _require_outstanding(action: Action) -> None:
    if action.status == Action.Status.DONE:
        raise ActionRefused("This action has already been completed.")
    if action.status == Action.Status.CANCELLED:
        raise ActionRefused("This action has been cancelled.")


# Who is told ---------------------------------------------------------------


def agency_managers(agency_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active team managers of each agency, in one query."""
    managers: dict[int, list[User]] = {}
    memberships = Membership.objects.filter(
        agency_id__in=list(agency_ids),
        role=RoleName.TEAM_MANAGER,
        is_active=True,
        user__is_active=True,
    ).select_related("user")
    for membership in memberships:
        managers.setdefault(membership.agency_id, []).append(membership.user)
    return managers


def action_recipients(action: Action) -> list[User]:
    """Who answers for the action: its owner, or else the owner agency's
    team managers."""
    if action.owner_id is not None:
        assert action.owner is not None
        return [action.owner]
    return agency_managers([action.owner_agency_id]).get(action.owner_agency_id, [])


def action_link(action: Action) -> str:
    return reverse(
        "case-actions:detail",
        kwargs={"reference": action.case.reference, "public_id": action.public_id},
    )


def _works_for(user: User, agency: Agency) -> bool:
    return (
        user.is_active
        and Membership.objects.filter(
            user=user, agency=agency, is_active=True, agency__is_active=True
        ).exists()
    )


def owner_agency_allowed(
    *, case: Case, agency: Agency, item: AgendaItem | None = None
) -> bool:
    """An action may be owned by the case's lead agency, an agency the case
    is shared with now, or an agency on the panel of the item's meeting."""
    if agency.pk == case.lead_agency_id:
        return True
    if CaseShare.objects.active().filter(case=case, agency=agency).exists():
        return True
    return (
        item is not None
        and item.meeting.panel.member_agencies.filter(pk=agency.pk).exists()
    )


def _audit(
    event_type: EventType,
    *,
    actor: Actor,
    action: Action,
    changed_fields: Iterable[str] = (),
) -> None:
    audit.record(
        event_type,
        actor=actor.audit,
        target_type="action",
        target_id=action.public_id,
        case_reference=action.case.reference,
        changed_fields=changed_fields,
    )


# Services ------------------------------------------------------------------


@transaction.atomic
def action_create(
    *,
    actor: Actor,
    case: Case,
    owner_agency: Agency,
    description: str,
    due_on: dt.date,
    owner: User | None = None,
    item: AgendaItem | None = None,
) -> Action:
    """Agree an action on the case for ``owner_agency`` (and ``owner``).

    Allowed to the site's coordinator (``PANEL_MANAGE``) and to the case's
    agencies (``ACTION_UPDATE``), each through a membership reaching the case.
    The owner is told (or, with no owner, the owner agency's team managers).
    """
    membership = _reaching_membership(actor, case)
    if membership is None or not (
        _grants(membership, Permission.PANEL_MANAGE)
        or _grants(membership, Permission.ACTION_UPDATE)
    ):
        raise ActionRefused("You cannot add actions to this case.")
    if case.status == CaseStatus.CLOSED:
        raise ActionRefused("The case is closed: reopen it before adding actions.")
    if item is not None and item.case_id != case.pk:
        raise ActionRefused("The agenda item is about another case.")
    description = description.strip()
    if not description:
        raise ActionRefused("Enter what the action is.", field="description")
    if len(description) > DESCRIPTION_MAX:
        raise ActionRefused(
            f"The action must be {DESCRIPTION_MAX} characters or fewer.",
            field="description",
        )
    if not owner_agency_allowed(case=case, agency=owner_agency, item=item):
        raise ActionRefused(
            f"{owner_agency.name} is not working on this case: select the lead "
            "agency or an agency the case is shared with.",
            field="owner_agency",
        )
    if owner is not None and not _works_for(owner, owner_agency):
        raise ActionRefused(
            f"{owner.full_name} does not work for {owner_agency.name}: select "
            "someone who does, or leave the person empty.",
            field="owner",
        )
    if due_on < timezone.localdate():
        raise ActionRefused(
            "The due date must be today or in the future.", field="due_on"
        )
    action = Action(
        case=case,
        item=item,
        owner_agency=owner_agency,
        owner=owner,
        description=description,
        due_on=due_on,
        created_by=actor.user,
    )
    action.save()
    _audit(EventType.ACTION_CREATED, actor=actor, action=action)
    notices.notify(
        [u for u in action_recipients(action) if u.pk != actor.user.pk],
        kind=Notification.Kind.ACTION_ASSIGNED,
        message=(
            f"An action on {case.reference} for {owner_agency.name} is due on "
            f"{govuk_day(due_on)}."
        ),
        case_reference=case.reference,
        link=action_link(action),
    )
    return action


def _locked(action: Action) -> Action:
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("case", "owner_agency", "owner")
        .get(pk=action.pk)
    )


def action_current_values(action: Action) -> dict[str, Any]:
    """The editable values as stored (for a conflict)."""
    return {
        "status": action.status,
        "owner": action.owner_id,
        "due_on": action.due_on,
    }


@transaction.atomic
def action_update(
    *,
    actor: Actor,
    action: Action,
    version: int,
    status: str,
    due_on: dt.date,
    owner: User | None = None,
    due_reason: str = "",
) -> Action:
    """Change the status (not started or in progress), the person within the
    owner agency, or the due date (with a reason, kept as a note on the case).

    ``StaleEditError`` if someone saved since ``version``.
    """
    locked = _locked(action)
    _require_owner_agency(actor, locked, doing="change")
    _require_outstanding(locked)
    ensure_current(locked, version=version, current_values=action_current_values)
    if status not in Action.OUTSTANDING:
        raise ActionRefused("Select not started or in progress.", field="status")
    if owner is not None and not _works_for(owner, locked.owner_agency):
        raise ActionRefused(
            f"{owner.full_name} does not work for {locked.owner_agency.name}.",
            field="owner",
        )
    old_due = locked.due_on
    due_reason = due_reason.strip()
    if due_on != old_due:
        if due_on < timezone.localdate():
            raise ActionRefused(
                "The due date must be today or in the future.", field="due_on"
            )
        if not due_reason:
            raise ActionRefused(
                "Enter why the due date is changing.", field="due_reason"
            )
    new_owner = owner
    changed = apply_changes(
        locked,
        {"status": status, "owner_id": new_owner.pk if new_owner else None},
    )
    changed += apply_changes(locked, {"due_on": due_on})
    if not changed:
        return locked
    names = ["owner" if name == "owner_id" else name for name in changed]
    save_new_version(locked, update_fields=changed)
    _audit(EventType.ACTION_UPDATED, actor=actor, action=locked, changed_fields=names)
    if "due_on" in changed:
        note_add(
            actor=actor,
            case=locked.case,
            kind=CaseNote.Kind.GENERAL,
            text=(
                f"An action for {locked.owner_agency.name} due on "
                f"{govuk_day(old_due)} is now due on {govuk_day(due_on)}. "
                f"Reason: {due_reason}"
            ),
        )
    if "owner_id" in changed and new_owner is not None:
        notices.notify(
            [new_owner] if new_owner.pk != actor.user.pk else [],
            kind=Notification.Kind.ACTION_ASSIGNED,
            message=(
                f"An action on {locked.case.reference} is now yours; it is due "
                f"on {govuk_day(locked.due_on)}."
            ),
            case_reference=locked.case.reference,
            link=action_link(locked),
        )
    return locked


@transaction.atomic
def action_complete(
    *, actor: Actor, action: Action, version: int, completion_note: str
) -> Action:
    """Mark the action done, saying what was done."""
    locked = _locked(action)
    _require_owner_agency(actor, locked, doing="complete")
    _require_outstanding(locked)
    ensure_current(locked, version=version, current_values=action_current_values)
    note = completion_note.strip()
    if not note:
        raise ActionRefused("Enter what was done.", field="completion_note")
    if len(note) > NOTE_MAX:
        raise ActionRefused(
            f"The note must be {NOTE_MAX} characters or fewer.",
            field="completion_note",
        )
    locked.status = Action.Status.DONE
    locked.completion_note = note
    locked.completed_at = timezone.now()
    locked.completed_by = actor.user
    save_new_version(locked)
    _audit(
        EventType.ACTION_COMPLETED,
        actor=actor,
        action=locked,
        changed_fields=["status", "completion_note", "completed_at", "completed_by"],
    )
    return locked


def may_cancel(membership: Membership, action: Action) -> bool:
    """The owner agency's staff, or the site's coordinator."""
    if _grants(membership, Permission.PANEL_MANAGE):
        return True
    return membership.agency_id == action.owner_agency_id and _grants(
        membership, Permission.ACTION_UPDATE
    )


@transaction.atomic
def action_cancel(*, actor: Actor, action: Action, version: int, reason: str) -> Action:
    """Cancel an action no longer needed; the reason is kept as its closing
    note, and who cancelled it as ``completed_by`` (``completed_at`` stays
    empty: it was not done)."""
    locked = _locked(action)
    membership = _reaching_membership(actor, locked.case)
    if membership is None or not may_cancel(membership, locked):
        raise ActionRefused(
            f"Only staff of {locked.owner_agency.name} working on this case, or "
            "the panel coordinator, can cancel this action."
        )
    _require_outstanding(locked)
    ensure_current(locked, version=version, current_values=action_current_values)
    reason = reason.strip()
    if not reason:
        raise ActionRefused("Enter why the action is cancelled.", field="reason")
    if len(reason) > NOTE_MAX:
        raise ActionRefused(
            f"The reason must be {NOTE_MAX} characters or fewer.", field="reason"
        )
    locked.status = Action.Status.CANCELLED
    locked.completion_note = reason
    locked.completed_by = actor.user
    save_new_version(locked)
    _audit(
        EventType.ACTION_CANCELLED,
        actor=actor,
        action=locked,
        changed_fields=["status", "completion_note", "completed_by"],
    )
    return locked
