"""A contact's life: start a draft, finish it (checked, timed, scored and
counted), reopen a finished one to correct it, discard an abandoned draft,
and record that its summary was opened.

A draft belongs to the adviser who took the contact: only they fill it in
(``Access.helpline_may_edit``). A completed contact reopened to correct it
may also be corrected by a helpline manager; a manager may discard a
colleague's abandoned draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.audit.events import EventType
from masip.core.errors import DomainError
from masip.helpline import fields as f
from masip.helpline.counting import count_contact
from masip.helpline.models import Contact, FollowUp
from masip.helpline.services._common import (
    ContactRefused,
    audit_contact,
    ensure_version,
    locked,
    require_adviser_or_manager,
    require_editor,
    require_helpline,
)
from masip.risk.scoring import score


class ContactIncomplete(DomainError):
    """The contact cannot be finished yet: ``problems`` by answer name."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("Answer the questions marked before finishing the contact.")
        self.problems = dict(problems)


@transaction.atomic
def contact_start(
    *, actor: Actor, channel: str = "", now: dt.datetime | None = None
) -> Contact:
    """A new draft, timed from now, anonymous (nothing about the caller)."""
    instrument = f.screen()
    contact = Contact.objects.create(
        agency_id=actor.membership.agency_id,
        adviser=actor.user,
        started_at=now or timezone.now(),
        channel=channel if channel in dict(f.ContactChannel.choices) else "",
        risk_instrument=instrument.key,
    )
    audit_contact(
        EventType.HELPLINE_CONTACT_STARTED,
        actor=actor,
        contact=contact,
        changed_fields=["channel"] if contact.channel else [],
    )
    return contact


def completion_problems(contact: Contact) -> dict[str, str]:
    """What must be answered before a contact is finished (empty: nothing)."""
    problems: dict[str, str] = {}
    required = {
        "channel": "Select how they contacted us.",
        "caller_type": "Select who is calling.",
        "force_area": "Select the police force area (or 'Not known or not given').",
        "relationship": "Select who the person stalking is (or 'Not known').",
        "duration_band": "Select how long it has gone on (or 'Not known').",
    }
    for name, message in required.items():
        if not getattr(contact, name):
            problems[name] = message
    if not contact.behaviours:
        problems["behaviours"] = (
            "Select the behaviours the caller describes, or 'None reported'."
        )
    if (
        contact.safeguarding_override
        and not (contact.safeguarding_reason or "").strip()
    ):
        problems["safeguarding_reason"] = (
            "Say why confidentiality was overridden for safeguarding."
        )
    if contact.follow_up != FollowUp.NONE and contact.follow_up_due_at is None:
        problems["follow_up_due"] = "Enter when the follow-up is due."
    return problems


def risk_level(contact: Contact) -> str:
    """The level the screen's answers give ("" when none was answered)."""
    answers = contact.risk_answers if isinstance(contact.risk_answers, dict) else {}
    if not answers:
        return ""
    return score(f.instrument_of(contact), answers).level or ""


@transaction.atomic
def contact_complete(
    *,
    actor: Actor,
    contact: Contact,
    version: int | None,
    now: dt.datetime | None = None,
) -> Contact:
    """Finish a draft: check the answers, time it, score the screen, count it."""
    contact = locked(contact)
    require_editor(actor, contact)
    ensure_version(contact, version)
    problems = completion_problems(contact)
    if problems:
        raise ContactIncomplete(problems)
    moment = now or timezone.now()
    if contact.ended_at is None:
        # A reopened contact keeps the length of the call itself.
        contact.ended_at = max(moment, contact.started_at)
        contact.handling_seconds = int(
            (contact.ended_at - contact.started_at).total_seconds()
        )
    contact.risk_level = risk_level(contact)
    contact.status = Contact.Status.COMPLETE
    contact.version += 1
    contact.save()
    count_contact(contact, sign=1)
    audit_contact(
        EventType.HELPLINE_CONTACT_COMPLETED,
        actor=actor,
        contact=contact,
        changed_fields=_answered(contact),
    )
    return contact


def _answered(contact: Contact) -> list[str]:
    names = [
        "channel",
        "caller_type",
        "force_area",
        "relationship",
        "duration_band",
        "behaviours",
        "digital_indicators",
        "risk_answers",
        "referrals_made",
        "narrative",
        "notes",
        "follow_up_due_at",
    ]
    return [n for n in names if getattr(contact, n)]


@transaction.atomic
def contact_reopen(*, actor: Actor, contact: Contact, version: int | None) -> Contact:
    """Reopen a finished contact to correct it: it leaves the statistics
    until finished again. Its adviser or a helpline manager may; a contact
    handed over is not reopened (the referral carries its answers)."""
    contact = locked(contact)
    require_helpline(actor, contact)
    if contact.status != Contact.Status.COMPLETE:
        raise ContactRefused("This contact is still a draft.")
    if contact.referral_id is not None:
        raise ContactRefused(
            "This contact has been handed over: correct the referral instead."
        )
    require_adviser_or_manager(
        actor,
        contact,
        "Only the adviser who took the contact or a helpline manager can reopen it.",
    )
    ensure_version(contact, version)
    count_contact(contact, sign=-1)
    contact.status = Contact.Status.DRAFT
    contact.version += 1
    contact.save(update_fields=["status", "version", "updated_at"])
    audit_contact(
        EventType.HELPLINE_CONTACT_REOPENED,
        actor=actor,
        contact=contact,
        changed_fields=["status"],
    )
    return contact


@transaction.atomic
def contact_discard(*, actor: Actor, contact: Contact) -> None:
    """Throw away a draft that was never finished: its adviser's, or an
    abandoned one by a helpline manager."""
    contact = locked(contact)
    require_helpline(actor, contact)
    if contact.status != Contact.Status.DRAFT:
        raise ContactRefused("Only a draft can be discarded.")
    if contact.ended_at is not None:
        raise ContactRefused(
            "This contact was finished before: finish it again instead."
        )
    require_adviser_or_manager(
        actor,
        contact,
        "Only the adviser who took the contact or a helpline manager can discard it.",
    )
    audit_contact(EventType.HELPLINE_CONTACT_DISCARDED, actor=actor, contact=contact)
    contact.delete()


@transaction.atomic
def record_contact_view(*, actor: Actor, contact: Contact) -> None:
    """Someone opened a contact's summary."""
    audit_contact(EventType.HELPLINE_CONTACT_VIEWED, actor=actor, contact=contact)
