"""The list of advice topics advisers tick on the live-call page: add,
change, withdraw or bring back, and reorder within an area (helpline
managers; every change audited)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max

from masip.access.actors import Actor
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.helpline.models import AdviceTopic
from masip.helpline.services._common import ContactRefused

TITLE_MAX = 120
DESCRIPTION_MAX = 1000


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


def _next_position(area: str) -> int:
    """The position after the last topic in ``area``."""
    last = AdviceTopic.objects.filter(area=area).aggregate(m=Max("position"))["m"]
    return (last or 0) + 10


@transaction.atomic
def advice_topic_add(
    *, actor: Actor, area: str, title: str, description: str = ""
) -> AdviceTopic:
    title, description = title.strip(), description.strip()
    _check_topic(area, title, description, pk=None)
    topic = AdviceTopic.objects.create(
        area=area,
        title=title,
        description=description,
        position=_next_position(area),
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
        topic.position = _next_position(area)
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
