"""Writing the victim's safety plan: each save is a new version.

The edit form carries the number of the version it was filled from (0 when
there was no plan); if another version was saved meanwhile, the save is
refused with ``StaleEditError`` carrying that version's values, so two
editors never overwrite each other. Only staff holding ``SAFETY_PLAN_EDIT``
through a way into the case that grants the victim contact compartment may
save.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case
from masip.core.errors import DomainError, StaleEditError
from masip.people.models import Person
from masip.safety.models import SECTION_NAMES, SafetyPlan, SafetyPlanVersion
from masip.safety.services._reach import holds_victim_contact, require_victim

SECTION_MAX = 4000
PLAN_FIELDS = (*SECTION_NAMES, "review_on", "victim_agreed", "agreed_on")


class SafetyPlanError(DomainError):
    """A plan that cannot be saved as given, naming the form field it is
    about (empty: the whole form)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def plan_current_values(version: SafetyPlanVersion | None) -> dict[str, Any]:
    """A version's values by field name (for the edit form and conflicts).

    Sealed (victim contact compartment): only for callers who checked it.
    """
    if version is None:
        return {}
    return {name: getattr(version, name) for name in PLAN_FIELDS}


def _checked_sections(sections: dict[str, str]) -> dict[str, str]:
    unknown = set(sections) - set(SECTION_NAMES)
    if unknown:
        raise TypeError(f"Not a safety plan section: {', '.join(sorted(unknown))}")
    cleaned = {name: (sections.get(name) or "").strip() for name in SECTION_NAMES}
    if not any(cleaned.values()):
        raise SafetyPlanError("Enter at least one part of the plan.", field="home")
    for name, text in cleaned.items():
        if len(text) > SECTION_MAX:
            raise SafetyPlanError(
                f"Enter {SECTION_MAX} characters or fewer.", field=name
            )
    return cleaned


def _checked_dates(
    *, review_on: dt.date, victim_agreed: bool, agreed_on: dt.date | None
) -> dt.date | None:
    today = timezone.localdate()
    if review_on < today:
        raise SafetyPlanError(
            "The review date must be today or in the future.", field="review_on"
        )
    if not victim_agreed:
        return None
    if agreed_on is None:
        raise SafetyPlanError(
            "Enter the date the victim agreed the plan.", field="agreed_on"
        )
    if agreed_on > today:
        raise SafetyPlanError(
            "The date the victim agreed the plan must be today or in the past.",
            field="agreed_on",
        )
    return agreed_on


@transaction.atomic
def safety_plan_save(
    *,
    actor: Actor,
    case: Case,
    victim: Person,
    version: int,
    review_on: dt.date,
    victim_agreed: bool,
    agreed_on: dt.date | None = None,
    **sections: str,
) -> SafetyPlanVersion:
    """Save the victim's safety plan as its next version.

    ``version`` is the number of the version the form was filled from (0 for
    none). Saving what is already the current version writes nothing and
    returns it.
    """
    if not holds_victim_contact(actor, case, Permission.SAFETY_PLAN_EDIT):
        raise SafetyPlanError(
            "Only staff who hold the victim's location and contact details on "
            "this case can write the safety plan."
        )
    require_victim(case, victim, SafetyPlanError)
    values: dict[str, Any] = _checked_sections(sections)
    values["review_on"] = review_on
    values["victim_agreed"] = victim_agreed
    values["agreed_on"] = _checked_dates(
        review_on=review_on, victim_agreed=victim_agreed, agreed_on=agreed_on
    )
    # get_or_create recovers from a concurrent first save (the unique key
    # refuses the second plan) by reading the plan that won.
    plan, _ = SafetyPlan.objects.select_for_update().get_or_create(
        case=case, victim=victim
    )
    current = (
        plan.versions.filter(number=plan.current_number).first()
        if plan.current_number
        else None
    )
    if plan.current_number != version:
        raise StaleEditError(
            current=plan_current_values(current), current_version=plan.current_number
        )
    # Against a blank plan the first time: its filled-in fields are the news.
    previous = plan_current_values(current) or {
        **dict.fromkeys(SECTION_NAMES, ""),
        "victim_agreed": False,
    }
    changed = [name for name in PLAN_FIELDS if previous.get(name) != values[name]]
    if current is not None and not changed:
        return current
    created = SafetyPlanVersion.objects.create(
        plan=plan,
        number=plan.current_number + 1,
        recorded_by=actor.user,
        recorded_by_agency=actor.membership.agency,
        **values,
    )
    plan.current_number = created.number
    plan.save(update_fields=["current_number"])
    audit.record(
        EventType.SAFETY_PLAN_SAVED,
        actor=actor.audit,
        target_type="safety_plan",
        target_id=plan.public_id,
        case_reference=case.reference,
        changed_fields=changed,
    )
    return created
