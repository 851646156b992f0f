"""What the panel services share: the input error, the site and meeting
checks, the meeting lock and the audit record.

Every service finds the meeting through ``locked_meeting`` (or
``open_meeting`` when it adds to the meeting's records): the row is locked
until the transaction ends and the acting membership must run the panel's
site, whatever the view already checked (defence in depth).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.errors import DomainError
from masip.core.templatetags.govuk import govuk_date
from masip.panels.models import AgendaItem, Meeting


class PanelInputError(DomainError):
    """Input a service refused, by form field (``""`` for the whole form)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()))


def input_error(field: str, message: str) -> PanelInputError:
    return PanelInputError({field: message})


# Checks shared by every service -------------------------------------------------


def require_site(actor: Actor, site_id: int) -> None:
    """The acting membership runs panels, in this site."""
    membership = actor.membership
    if (
        Permission.PANEL_MANAGE not in membership.role_def.permissions
        or membership.agency.site_id != site_id
    ):
        raise PermissionDenied


def locked_meeting(actor: Actor, meeting: Meeting) -> Meeting:
    """The meeting row, locked until the transaction ends, once the acting
    membership is found to run its panel."""
    locked = (
        Meeting.objects.select_for_update()
        .select_related("panel", "panel__site")
        .get(pk=meeting.pk)
    )
    require_site(actor, locked.panel.site_id)
    return locked


def open_meeting(actor: Actor, meeting: Meeting) -> Meeting:
    """``locked_meeting``, refused once its records are closed."""
    locked = locked_meeting(actor, meeting)
    ensure_open(locked)
    return locked


def ensure_open(meeting: Meeting) -> None:
    """Records may change until the minutes are issued (not once cancelled)."""
    if meeting.minutes_issued_at is not None:
        raise DomainError(
            "The minutes of this meeting are issued: its records can no longer "
            "be changed."
        )
    if meeting.status == Meeting.Status.CANCELLED:
        raise DomainError("This meeting is cancelled: its records cannot be changed.")


def ensure_started(meeting: Meeting, today: dt.date) -> None:
    if meeting.held_on > today:
        raise DomainError(
            "What the panel discussed can be recorded from the day of the "
            f"meeting, {govuk_date(meeting.held_on)}."
        )


def record_event(
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


def item_of(meeting: Meeting, item: AgendaItem) -> AgendaItem:
    """The item, locked, if it belongs to the meeting."""
    locked = (
        AgendaItem.objects.select_for_update()
        .filter(pk=item.pk, meeting_id=meeting.pk)
        .first()
    )
    if locked is None:
        raise DomainError("That case is not on this meeting's agenda.")
    return locked
