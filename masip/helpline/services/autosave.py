"""The autosave of a draft contact.

The autosave never loses a saved answer. Each answer is checked on its
own: a bad one is skipped and reported, the others are saved. Two windows
on one draft do not overwrite each other: a window posting on an old
version saves only the answers it changed, and only where nobody changed
them since it last saved (its ``base``); where both changed the same text
(the caller's account, the notes, the reason) both texts are kept, and any
other answer keeps the newer one and says so.

Autosaves are not audited one by one (one every few seconds would drown the
trail): linking a caller and a safeguarding override are.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from masip.access.actors import Actor
from masip.accounts.models import Membership
from masip.audit.events import EventType
from masip.helpline import fields as f
from masip.helpline.models import AdviceTopic, Contact
from masip.helpline.services._common import audit_contact, locked, require_editor
from masip.helpline.services.callers import link_caller

CLASH_MARK = "[Added in another window]"
OVERRIDE_FIELDS = (
    "safeguarding_override",
    "safeguarding_decided_by",
    "safeguarding_reason",
)


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
    contact = locked(contact)
    require_editor(actor, contact)
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
    result.caller_linked = link_caller(contact, secrets, columns, result.saved)
    if columns or relations:
        for spec, value in relations:
            spec.write(contact, value)
        contact.version += 1
        contact.save(update_fields=[*sorted(columns), "version", "updated_at"])
    if result.caller_linked:
        audit_contact(
            EventType.HELPLINE_CALLER_LINKED,
            actor=actor,
            contact=contact,
            changed_fields=["caller_key"],
        )
    if _override_state(contact) != before_override and contact.safeguarding_override:
        audit_contact(
            EventType.HELPLINE_SAFEGUARDING_OVERRIDE,
            actor=actor,
            contact=contact,
            changed_fields=[n for n in OVERRIDE_FIELDS if n in result.saved],
        )
    return result


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
