"""Purpose of access and break-the-glass: reaching a case outside the usual way."""

import dataclasses
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.accounts.models import Notification
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases import selectors
from masip.cases.models import BreakGlassGrant, Case
from masip.cases.services._common import notify, record_event, require


@transaction.atomic
def case_purpose_give(*, actor: Actor, case: Case, purpose: str) -> None:
    """Record why a user who must give a purpose is opening the case."""
    actor = dataclasses.replace(actor, purpose=purpose)
    record_event(EventType.CASE_PURPOSE_GIVEN, actor=actor, case=case)


@transaction.atomic
def case_break_glass(*, actor: Actor, case: Case, reason: str) -> BreakGlassGrant:
    """Grant time-limited emergency access and tell the lead agency's managers."""
    require(actor, Permission.CASE_BREAK_GLASS)
    hours = settings.MASIP_BREAK_GLASS_HOURS
    grant = BreakGlassGrant.objects.create(
        case=case,
        user=actor.user,
        agency=actor.membership.agency,
        reason=reason,
        expires_at=timezone.now() + dt.timedelta(hours=hours),
    )
    notify(
        selectors.agency_team_managers(case.lead_agency),
        kind=Notification.Kind.BREAK_GLASS,
        case=case,
        message=(
            f"{actor.user.full_name} ({actor.membership.agency.name}) broke the glass "
            f"to open case {case.reference} for {hours} hours. Check the access log."
        ),
    )
    record_event(
        EventType.CASE_BREAK_GLASS,
        actor=dataclasses.replace(actor, purpose=reason),
        case=case,
        target_type="break_glass",
        target_id=grant.pk,
    )
    return grant


@transaction.atomic
def case_break_glass_not_found(*, actor: Actor, reference: str, reason: str) -> None:
    """Audit an emergency-access attempt on a reference no case holds."""
    require(actor, Permission.CASE_BREAK_GLASS)
    audit.record(
        EventType.CASE_BREAK_GLASS_NOT_FOUND,
        actor=dataclasses.replace(actor, purpose=reason).audit,
        target_type="case",
        target_id=reference[:64],
    )
