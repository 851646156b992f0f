"""Information one member agency shared with others at panel, with its
lawful basis, condition and consent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.accounts.models import Agency
from masip.audit.events import EventType
from masip.cases.models import ConsentStatus, LawfulBasis
from masip.panels import selectors
from masip.panels.models import (
    AgendaItem,
    Condition,
    DataCategory,
    InformationShare,
    Meeting,
)
from masip.panels.services._common import (
    PanelInputError,
    ensure_started,
    item_of,
    open_meeting,
    record_event,
)

# Categories that need a further condition (special-category or
# law-enforcement data, or the victim's whereabouts).
NEEDS_CONDITION = (
    DataCategory.HEALTH,
    DataCategory.POLICE_INTEL,
    DataCategory.VICTIM_LOCATION,
)
CONSENT_REASON_MESSAGES = {
    ConsentStatus.GIVEN: "Enter how and when consent was given.",
    ConsentStatus.REFUSED: (
        "Enter why the information was shared although consent was refused."
    ),
    ConsentStatus.WITHDRAWN: (
        "Enter why the information was shared although consent was withdrawn."
    ),
    ConsentStatus.NOT_SOUGHT: "Enter why consent was not sought.",
}


def _agency_problems(
    member_ids: set[int], from_agency: Agency | None, to_agencies: Sequence[Agency]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if from_agency is None or from_agency.pk not in member_ids:
        errors["from_agency"] = "Select the agency that shared the information."
    to_ids = {a.pk for a in to_agencies}
    if not to_ids or not to_ids <= member_ids:
        errors["to_agencies"] = "Select the agencies the information was shared with."
    elif from_agency is not None and from_agency.pk in to_ids:
        errors["to_agencies"] = (
            "Select agencies other than the one that shared the information."
        )
    return errors


def _condition_problem(categories: Sequence[str], condition: str) -> str:
    if condition not in Condition.values:
        return "Select the condition for sharing."
    sensitive = [DataCategory(c) for c in NEEDS_CONDITION if c in categories]
    if sensitive and not condition:
        labels = ", ".join(str(c.label).lower() for c in sensitive)
        return (
            f"Select the condition for sharing {labels}: health, police "
            "intelligence and victim location details need a condition "
            "(UK GDPR Art 9 with DPA 2018 Sch 1, or DPA 2018 Sch 8)."
        )
    return ""


def share_problems(
    *,
    member_ids: set[int],
    from_agency: Agency | None,
    to_agencies: Sequence[Agency],
    categories: Sequence[str],
    lawful_basis: str,
    condition: str,
    consent: str,
    consent_reason: str,
    necessity: str,
) -> dict[str, str]:
    """What is wrong with an information-sharing record, by field."""
    errors = _agency_problems(member_ids, from_agency, to_agencies)
    if not categories or not set(categories) <= set(DataCategory.values):
        errors["categories"] = "Select what kinds of information were shared."
    if lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = "Select the lawful basis for sharing."
    problem = _condition_problem(categories, condition)
    if problem:
        errors["condition"] = problem
    if consent not in ConsentStatus.values:
        errors["consent"] = "Select whether the person consented to the sharing."
    elif not consent_reason.strip():
        errors["consent_reason"] = CONSENT_REASON_MESSAGES[ConsentStatus(consent)]
    if not necessity.strip():
        errors["necessity"] = (
            "Enter why sharing the information was necessary and proportionate."
        )
    return errors


@transaction.atomic
def information_share_record(
    *,
    actor: Actor,
    meeting: Meeting,
    item: AgendaItem,
    from_agency: Agency | None,
    to_agencies: Sequence[Agency],
    categories: Sequence[str],
    lawful_basis: str,
    condition: str,
    consent: str,
    consent_reason: str,
    necessity: str,
    today: dt.date | None = None,
) -> InformationShare:
    """Record information one member agency shared with others at panel."""
    locked = open_meeting(actor, meeting)
    ensure_started(locked, today or timezone.localdate())
    member_ids = {a.pk for a in selectors.member_agencies(locked.panel)}
    errors = share_problems(
        member_ids=member_ids,
        from_agency=from_agency,
        to_agencies=to_agencies,
        categories=categories,
        lawful_basis=lawful_basis,
        condition=condition,
        consent=consent,
        consent_reason=consent_reason,
        necessity=necessity,
    )
    if errors:
        raise PanelInputError(errors)
    assert from_agency is not None
    row = item_of(locked, item)
    share = InformationShare.objects.create(
        item=row,
        case_id=row.case_id,
        from_agency=from_agency,
        categories=[c for c in DataCategory.values if c in categories],
        lawful_basis=lawful_basis,
        condition=condition,
        consent=consent,
        consent_reason=consent_reason.strip(),
        necessity=necessity.strip(),
        recorded_by=actor.user,
    )
    share.to_agencies.set(list(to_agencies))
    record_event(
        EventType.INFORMATION_SHARE_RECORDED,
        actor=actor,
        target_type="information_share",
        target_id=share.public_id,
        case_reference=item.case.reference,
    )
    return share
