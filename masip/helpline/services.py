"""Logging a helpline contact: start, autosave, finish, reopen, discard; the
caller link and the safeguarding override; the list of advice topics.

A draft belongs to the adviser who took the contact: only they fill it in
(``Access.helpline_may_edit``). A completed contact reopened to correct it
may also be corrected by a helpline manager; a manager may discard a
colleague's abandoned draft. Autosaves are not audited one by one (one
every few seconds would drown the trail): starting, finishing, reopening,
discarding, linking a caller and a safeguarding override are.

The autosave never loses a saved answer. Each answer is checked on its
own: a bad one is skipped and reported, the others are saved. Two windows
on one draft do not overwrite each other: a window posting on an old
version saves only the answers it changed, and only where nobody changed
them since it last saved (its ``base``); where both changed the same text
(the caller's account, the notes, the reason) both texts are kept, and any
other answer keeps the newer one and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.policy import Access
from masip.accounts.models import Membership
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.errors import DomainError, StaleEditError
from masip.crypto.blind import blind_index, normalise_phone, normalise_text
from masip.helpline import fields as f
from masip.helpline.counting import count_contact
from masip.helpline.models import AdviceTopic, CallerKeyKind, Contact, FollowUp
from masip.risk.scoring import score

CALLER_DOMAIN = "helpline_caller"
CLASH_MARK = "[Added in another window]"
TITLE_MAX = 120
DESCRIPTION_MAX = 1000


class ContactRefused(DomainError):
    """A refusal, naming the answer it is about (empty: the whole contact)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class ContactIncomplete(DomainError):
    """The contact cannot be finished yet: ``problems`` by answer name."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("Answer the questions marked before finishing the contact.")
        self.problems = dict(problems)


@dataclass
class AutosaveResult:
    """What an autosave did: the answers saved, those skipped (with why),
    and those where another window's newer answer was kept or merged."""

    contact: Contact
    saved: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)
    clashes: list[str] = field(default_factory=list)
    caller_linked: bool = False

    @property
    def version(self) -> int:
        return self.contact.version


# Who may do what --------------------------------------------------------------


def _require_helpline(actor: Actor, contact: Contact) -> None:
    if actor.membership.agency_id != contact.agency_id:
        raise ContactRefused("This contact belongs to another helpline.")


def _require_editor(actor: Actor, contact: Contact) -> None:
    _require_helpline(actor, contact)
    if contact.status != Contact.Status.DRAFT:
        raise ContactRefused("This contact has been finished. Reopen it to correct it.")
    if not Access(actor.user).helpline_may_edit(contact):
        raise ContactRefused("This draft belongs to the adviser who took the contact.")


def _supervises(actor: Actor, contact: Contact) -> bool:
    return Access(actor.user).helpline_supervises(contact)


def _locked(contact: Contact) -> Contact:
    return Contact.objects.select_for_update().get(pk=contact.pk)


def _audit(
    event_type: EventType,
    *,
    actor: Actor,
    contact: Contact,
    changed_fields: Iterable[str] = (),
) -> None:
    audit.record(
        event_type,
        actor=actor.audit,
        target_type="helpline_contact",
        target_id=contact.public_id,
        changed_fields=changed_fields,
    )


# The caller link ----------------------------------------------------------------


def caller_key(kind: str, value: str) -> str:
    """The keyed hash of a reference word or phone number ("" for none)."""
    if kind == CallerKeyKind.PHONE:
        return blind_index(CALLER_DOMAIN, "phone:" + normalise_phone(value))
    return blind_index(CALLER_DOMAIN, "word:" + normalise_text(value))


# Starting and saving -----------------------------------------------------------


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
    _audit(
        EventType.HELPLINE_CONTACT_STARTED,
        actor=actor,
        contact=contact,
        changed_fields=["channel"] if contact.channel else [],
    )
    return contact


def _context(contact: Contact, wanted: Collection[str]) -> f.Context:
    """What the posted answers are checked against; asks the database only
    for the lists the posted answers need."""
    advice: frozenset[int] = frozenset()
    colleagues: frozenset[int] = frozenset()
    if "advice" in wanted:
        advice = frozenset(
            AdviceTopic.objects.filter(active=True).values_list("pk", flat=True)
        ) | frozenset(contact.advice.values_list("pk", flat=True))
    if "safeguarding_decided_by" in wanted:
        colleagues = frozenset(
            Membership.objects.filter(
                agency_id=contact.agency_id, is_active=True, user__is_active=True
            ).values_list("user_id", flat=True)
        )
    return f.Context(
        instrument=f.instrument_of(contact),
        advice_ids=advice,
        colleague_ids=colleagues,
    )


def _merged(stored: str, posted: str) -> str:
    """Both windows' text: one that only extends the other wins outright."""
    if posted.startswith(stored):
        return posted
    if stored.startswith(posted) or posted in stored:
        return stored
    return f"{stored}\n\n{CLASH_MARK}\n{posted}"


@transaction.atomic
def contact_autosave(
    *,
    actor: Actor,
    contact: Contact,
    values: Mapping[str, Sequence[str]],
    version: int | None,
    changed: Collection[str] | None = None,
    base: Mapping[str, Sequence[str]] | None = None,
) -> AutosaveResult:
    """Save whatever answers are valid so far (a draft is never "complete").

    ``values`` are the posted inputs (name to list of values). ``changed``
    names the inputs the window changed since it last saved (default: those
    posted); an answer is saved only if one of its inputs changed. ``version``
    is the version the window last saw; on an older one, ``base`` (the
    window's last saved inputs) tells which answers nobody else has changed
    since. Returns what was saved and what was not, with the new version.
    """
    contact = _locked(contact)
    _require_editor(actor, contact)
    touched = set(values) if changed is None else set(changed)
    instrument = f.instrument_of(contact)
    wanted = [s for s in f.specs(instrument) if touched.intersection(s.inputs)]
    context = _context(contact, {s.name for s in wanted})
    stale = version != contact.version
    result = AutosaveResult(contact=contact)
    columns: set[str] = set()
    relations: list[tuple[f.Spec, Any]] = []
    secrets: dict[str, str] = {}
    before_override = _override_state(contact)
    for spec in wanted:
        try:
            value = spec.parse(values, context)
        except f.Invalid as problem:
            result.problems[spec.name] = str(problem)
            continue
        if spec.secret:
            secrets[spec.name] = value
            continue
        stored = spec.read(contact)
        save, value = _settle(
            spec,
            value,
            stored,
            stale=stale and not _unchanged_since(spec, base, values, context, stored),
            result=result,
        )
        if not save:
            continue
        if spec.relation:
            relations.append((spec, value))
        else:
            spec.write(contact, value)
            columns.update(spec.columns)
        result.saved.append(spec.name)
    _keep_override_whole(contact, before_override, result)
    result.caller_linked = _link_caller(contact, secrets, columns, result)
    if columns or relations:
        for spec, value in relations:
            spec.write(contact, value)
        contact.version += 1
        contact.save(update_fields=[*sorted(columns), "version", "updated_at"])
    if result.caller_linked:
        _audit(
            EventType.HELPLINE_CALLER_LINKED,
            actor=actor,
            contact=contact,
            changed_fields=["caller_key"],
        )
    if _override_state(contact) != before_override and contact.safeguarding_override:
        _audit(
            EventType.HELPLINE_SAFEGUARDING_OVERRIDE,
            actor=actor,
            contact=contact,
            changed_fields=[n for n in OVERRIDE_FIELDS if n in result.saved],
        )
    return result


OVERRIDE_FIELDS = (
    "safeguarding_override",
    "safeguarding_decided_by",
    "safeguarding_reason",
)


def _settle(
    spec: f.Spec, value: Any, stored: Any, *, stale: bool, result: AutosaveResult
) -> tuple[bool, Any]:
    """Whether to save ``value`` over ``stored``, and what to save. A stale
    window's answer that clashes with a newer one is merged (text) or
    dropped with a problem (anything else)."""
    if value == stored:
        return False, value
    if not stale:
        return True, value
    result.clashes.append(spec.name)
    if spec.name in f.MERGEABLE:
        merged = _merged(stored, value)
        return merged != stored, merged
    result.problems[spec.name] = (
        "Changed in another window since this one saved: "
        "the other window's answer is kept."
    )
    return False, value


def _keep_override_whole(
    contact: Contact, before: tuple[bool, int | None, str], result: AutosaveResult
) -> None:
    """An override must say who decided: until it does, keep the stored
    override and decider."""
    if not contact.safeguarding_override or contact.safeguarding_decided_by_id:
        return
    contact.safeguarding_override, contact.safeguarding_decided_by_id = before[:2]
    for name in OVERRIDE_FIELDS[:2]:
        if name in result.saved:
            result.saved.remove(name)
    result.problems["safeguarding_decided_by"] = (
        "Select who decided to override confidentiality."
    )


def _override_state(contact: Contact) -> tuple[bool, int | None, str]:
    return (
        contact.safeguarding_override,
        contact.safeguarding_decided_by_id,
        contact.safeguarding_reason or "",
    )


def _unchanged_since(
    spec: f.Spec,
    base: Mapping[str, Sequence[str]] | None,
    values: Mapping[str, Sequence[str]],
    context: f.Context,
    stored: Any,
) -> bool:
    """Whether the stored answer is still the one the window last saved."""
    if base is None or not any(name in base for name in spec.inputs):
        return False
    merged = {**values, **{k: v for k, v in base.items() if k in spec.inputs}}
    try:
        return bool(spec.parse(merged, context) == stored)
    except f.Invalid:
        return False


def _link_caller(
    contact: Contact,
    secrets: Mapping[str, str],
    columns: set[str],
    result: AutosaveResult,
) -> bool:
    """Set the caller key from a posted word or number (never stored)."""
    phone, word = secrets.get("caller_phone", ""), secrets.get("caller_word", "")
    if phone:
        key, kind = caller_key(CallerKeyKind.PHONE, phone), CallerKeyKind.PHONE
    elif word:
        key, kind = caller_key(CallerKeyKind.WORD, word), CallerKeyKind.WORD
    else:
        return False
    if not key or (key == contact.caller_key and kind == contact.caller_key_kind):
        return False
    contact.caller_key, contact.caller_key_kind = key, kind
    columns.update({"caller_key", "caller_key_kind"})
    result.saved.append("caller_key")
    return True


@transaction.atomic
def contact_unlink_caller(*, actor: Actor, contact: Contact, version: int) -> Contact:
    """Forget the link to the caller's earlier contacts (on the caller's wish)."""
    contact = _locked(contact)
    _require_editor(actor, contact)
    _ensure_version(contact, version)
    contact.caller_key, contact.caller_key_kind = "", ""
    contact.version += 1
    contact.save(
        update_fields=["caller_key", "caller_key_kind", "version", "updated_at"]
    )
    _audit(
        EventType.HELPLINE_CALLER_LINKED,
        actor=actor,
        contact=contact,
        changed_fields=["caller_key"],
    )
    return contact


def _ensure_version(contact: Contact, version: int | None) -> None:
    if version != contact.version:
        raise StaleEditError(current={}, current_version=contact.version)


# Finishing, reopening, discarding ----------------------------------------------


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
    contact = _locked(contact)
    _require_editor(actor, contact)
    _ensure_version(contact, version)
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
    _audit(
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
    contact = _locked(contact)
    _require_helpline(actor, contact)
    if contact.status != Contact.Status.COMPLETE:
        raise ContactRefused("This contact is still a draft.")
    if contact.referral_id is not None:
        raise ContactRefused(
            "This contact has been handed over: correct the referral instead."
        )
    if contact.adviser_id != actor.user.pk and not _supervises(actor, contact):
        raise ContactRefused(
            "Only the adviser who took the contact or a helpline manager can reopen it."
        )
    _ensure_version(contact, version)
    count_contact(contact, sign=-1)
    contact.status = Contact.Status.DRAFT
    contact.version += 1
    contact.save(update_fields=["status", "version", "updated_at"])
    _audit(
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
    contact = _locked(contact)
    _require_helpline(actor, contact)
    if contact.status != Contact.Status.DRAFT:
        raise ContactRefused("Only a draft can be discarded.")
    if contact.ended_at is not None:
        raise ContactRefused(
            "This contact was finished before: finish it again instead."
        )
    if contact.adviser_id != actor.user.pk and not _supervises(actor, contact):
        raise ContactRefused(
            "Only the adviser who took the contact or a helpline manager "
            "can discard it."
        )
    _audit(EventType.HELPLINE_CONTACT_DISCARDED, actor=actor, contact=contact)
    contact.delete()


# Advice topics -------------------------------------------------------------------


def _audit_topic(actor: Actor, topic: AdviceTopic, changed: Iterable[str]) -> None:
    audit.record(
        EventType.HELPLINE_ADVICE_CHANGED,
        actor=actor.audit,
        target_type="advice_topic",
        target_id=topic.pk,
        changed_fields=changed,
    )


def _check_topic(area: str, title: str, description: str, *, pk: int | None) -> None:
    if area not in AdviceTopic.Area.values:
        raise ContactRefused("Select an area.", field="area")
    if not title:
        raise ContactRefused("Enter a title.", field="title")
    if len(title) > TITLE_MAX:
        raise ContactRefused(
            f"Keep the title to {TITLE_MAX} characters.", field="title"
        )
    if len(description) > DESCRIPTION_MAX:
        raise ContactRefused(
            f"Keep the description to {DESCRIPTION_MAX:,} characters.",
            field="description",
        )
    same = AdviceTopic.objects.filter(area=area, title__iexact=title)
    if pk is not None:
        same = same.exclude(pk=pk)
    if same.exists():
        raise ContactRefused(
            "There is already a topic with this title in this area.", field="title"
        )


@transaction.atomic
def advice_topic_add(
    *, actor: Actor, area: str, title: str, description: str = ""
) -> AdviceTopic:
    title, description = title.strip(), description.strip()
    _check_topic(area, title, description, pk=None)
    last = AdviceTopic.objects.filter(area=area).aggregate(m=Max("position"))["m"]
    topic = AdviceTopic.objects.create(
        area=area,
        title=title,
        description=description,
        position=(last or 0) + 10,
    )
    _audit_topic(actor, topic, ["area", "title", "description", "position"])
    return topic


@transaction.atomic
def advice_topic_change(
    *, actor: Actor, topic: AdviceTopic, area: str, title: str, description: str
) -> AdviceTopic:
    topic = AdviceTopic.objects.select_for_update().get(pk=topic.pk)
    title, description = title.strip(), description.strip()
    _check_topic(area, title, description, pk=topic.pk)
    changed = [
        name
        for name, value in (
            ("area", area),
            ("title", title),
            ("description", description),
        )
        if getattr(topic, name) != value
    ]
    if not changed:
        return topic
    if "area" in changed:
        last = AdviceTopic.objects.filter(area=area).aggregate(m=Max("position"))["m"]
        topic.position = (last or 0) + 10
        changed.append("position")
    topic.area, topic.title, topic.description = area, title, description
    topic.save()
    _audit_topic(actor, topic, changed)
    return topic


@transaction.atomic
def advice_topic_set_active(
    *, actor: Actor, topic: AdviceTopic, active: bool
) -> AdviceTopic:
    """Withdraw a topic from the list (contacts that gave it keep it), or
    bring it back."""
    topic = AdviceTopic.objects.select_for_update().get(pk=topic.pk)
    if topic.active != active:
        topic.active = active
        topic.save(update_fields=["active", "updated_at"])
        _audit_topic(actor, topic, ["active"])
    return topic


@transaction.atomic
def advice_topic_move(*, actor: Actor, topic: AdviceTopic, up: bool) -> AdviceTopic:
    """Move a topic one place up or down within its area."""
    siblings = list(
        AdviceTopic.objects.select_for_update()
        .filter(area=topic.area)
        .order_by("position", "title", "id")
    )
    index = next(i for i, t in enumerate(siblings) if t.pk == topic.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return siblings[index]
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position * 10:
            sibling.position = position * 10
            sibling.save(update_fields=["position", "updated_at"])
    moved = siblings[other]
    _audit_topic(actor, moved, ["position"])
    return moved


@transaction.atomic
def record_contact_view(*, actor: Actor, contact: Contact) -> None:
    """Someone opened a contact's summary."""
    _audit(EventType.HELPLINE_CONTACT_VIEWED, actor=actor, contact=contact)
