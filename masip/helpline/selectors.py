"""Reading helpline contacts, always through the user's ``Access``.

Other parts of the helpline (the handover, the statistics) call these:
``contact_for_page``, ``contact_for_handover``, ``drafts_of``,
``recent_completed``, ``earlier_contacts``, ``contacts_for_caller``,
``advice_topics``, ``advice_by_area``, ``colleagues``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.accounts.models import User
from masip.helpline.models import AdviceTopic, Contact

# How many earlier contacts of a linked caller the page lists.
EARLIER_SHOWN = 20


def contact_for_page(access: Access, public_id: uuid.UUID | str) -> Contact:
    """A contact the user reaches (404 otherwise), with what every page shows."""
    contact: Contact = access.helpline_contact_for(
        public_id, need=Permission.HELPLINE_CONTACT_LOG
    )
    return contact


def contact_for_handover(access: Access, public_id: uuid.UUID | str) -> Contact:
    """A contact the user may hand over: reached through a membership that
    may also refer (404 if out of reach, 403 without the verb). The caller
    checks ``can_hand_over``."""
    contact: Contact = access.helpline_contact_for(
        public_id, need=Permission.REFERRAL_MAKE
    )
    return contact


def can_hand_over(contact: Contact) -> bool:
    """A finished contact not yet handed over."""
    return contact.status == Contact.Status.COMPLETE and contact.referral_id is None


def drafts_of(access: Access, user: User) -> QuerySet[Contact]:
    """The user's own unfinished contacts, newest first."""
    return (
        access.visible_helpline_contacts()
        .filter(adviser=user, status=Contact.Status.DRAFT)
        .order_by("-started_at", "-id")
    )


def abandoned_drafts(access: Access, user: User) -> QuerySet[Contact]:
    """Colleagues' drafts, for a manager to discard (nothing for others)."""
    contacts = access.visible_helpline_contacts().filter(status=Contact.Status.DRAFT)
    agencies = [
        m.agency_id
        for m in access.memberships_with(Permission.HELPLINE_CONTACT_LOG)
        if access.helpline_supervises(_AgencyOnly(m.agency_id))
    ]
    return (
        contacts.filter(agency_id__in=agencies, ended_at__isnull=True)
        .exclude(adviser=user)
        .select_related("adviser")
        .order_by("started_at", "id")
    )


@dataclass(frozen=True)
class _AgencyOnly:
    agency_id: int


def recent_completed(access: Access) -> QuerySet[Contact]:
    """The helpline's finished contacts, newest first."""
    return (
        access.visible_helpline_contacts()
        .filter(status=Contact.Status.COMPLETE)
        .select_related("adviser")
        .order_by("-started_at", "-id")
    )


@dataclass(frozen=True)
class EarlierContact:
    """What the page shows of a caller's earlier contact: when and how only."""

    public_id: uuid.UUID
    started_at: Any
    channel: str
    status: str

    @property
    def channel_label(self) -> str:
        from masip.helpline.models import ContactChannel

        return str(dict(ContactChannel.choices).get(self.channel, "Not recorded"))


def earlier_contacts(
    access: Access, contact: Contact
) -> tuple[int, list[EarlierContact]]:
    """How many other contacts share this contact's caller key, and the most
    recent of them (dates and channels only)."""
    if not contact.caller_key:
        return 0, []
    others = (
        access.visible_helpline_contacts()
        .filter(caller_key=contact.caller_key)
        .exclude(pk=contact.pk)
    )
    shown = [
        EarlierContact(*row)
        for row in others.order_by("-started_at", "-id").values_list(
            "public_id", "started_at", "channel", "status"
        )[:EARLIER_SHOWN]
    ]
    total = others.count()
    return total, shown


def contacts_for_caller(access: Access, key: str) -> QuerySet[Contact]:
    """Contacts linked to a caller key (found from a word or number)."""
    if not key:
        return access.visible_helpline_contacts().none()
    return (
        access.visible_helpline_contacts()
        .filter(caller_key=key)
        .select_related("adviser")
        .order_by("-started_at", "-id")
    )


def advice_topics(*, include_inactive: bool = False) -> QuerySet[AdviceTopic]:
    topics = AdviceTopic.objects.order_by("area", "position", "title", "id")
    return topics if include_inactive else topics.filter(active=True)


def advice_by_area(
    topics: list[AdviceTopic],
) -> list[tuple[str, str, list[AdviceTopic]]]:
    """(area code, area label, topics) in the order of the areas."""
    grouped: list[tuple[str, str, list[AdviceTopic]]] = []
    for code, label in AdviceTopic.Area.choices:
        items = [t for t in topics if t.area == code]
        if items:
            grouped.append((code, str(label), items))
    return grouped


def colleagues(contact: Contact) -> list[User]:
    """The helpline's active staff (who may decide a safeguarding override)."""
    return list(
        User.objects.filter(
            memberships__agency_id=contact.agency_id,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "id")
    )


def advice_topic(pk: str) -> AdviceTopic | None:
    """One topic by its id (None for anything else)."""
    if not pk.isdigit():
        return None
    return AdviceTopic.objects.filter(pk=int(pk)).first()
