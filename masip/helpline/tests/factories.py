"""Test helpers for helpline contacts (synthetic only).

``actor_for(user)`` acts in the user's helpline membership; ``draft_for``
starts a draft through the service; ``complete_contact`` fills in the
required answers and finishes it through the service.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.accounts.models import User
from masip.helpline import services
from masip.helpline.models import Contact

REQUIRED = {
    "channel": ["phone"],
    "caller_type": ["victim"],
    "force_area": ["hampshire_isle_of_wight"],
    "relationship": ["ex_partner"],
    "duration_band": ["6_12m"],
    "behaviours": ["following", "contacting"],
}


def actor_for(user: User) -> Actor:
    membership = Access(user).require(Permission.HELPLINE_CONTACT_LOG)
    return Actor(user=user, membership=membership)


def draft_for(
    user: User, *, started_at: dt.datetime | None = None, **answers: Any
) -> Contact:
    actor = actor_for(user)
    contact = services.contact_start(actor=actor, channel="phone", now=started_at)
    if answers:
        values = {k: v if isinstance(v, list) else [v] for k, v in answers.items()}
        services.contact_autosave(
            actor=actor, contact=contact, values=values, version=contact.version
        )
        contact.refresh_from_db()
    return contact


def complete_contact(
    user: User,
    *,
    started_at: dt.datetime | None = None,
    minutes: int = 12,
    **answers: Any,
) -> Contact:
    start = started_at or timezone.now() - dt.timedelta(minutes=minutes)
    values = {**REQUIRED, **answers}
    contact = draft_for(user, started_at=start, **values)
    return services.contact_complete(
        actor=actor_for(user),
        contact=contact,
        version=contact.version,
        now=start + dt.timedelta(minutes=minutes),
    )
