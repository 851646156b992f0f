"""The writes of a subject access request, each audited in its transaction.

record → verify identity → link the requester to person records → build the
draft → a reviewer decides every item → release (another person, with a
fresh second factor) → the PDF of the released items.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.accounts.models import Agency
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.errors import DomainError
from masip.core.references import random_reference
from masip.disclosure import deadlines, document, selectors
from masip.disclosure.models import (
    Decision,
    DefaultDecision,
    DisclosureItem,
    Exemption,
    Regime,
    RequestStatus,
    RequestSubject,
    SubjectAccessRequest,
)
from masip.people.models import Person

TARGET = "subject_access_request"
ITEM_TARGET = "disclosure_item"


def _record(
    event: EventType,
    actor: Actor,
    sar: SubjectAccessRequest,
    *,
    changed_fields: Iterable[str] = (),
    case_reference: str = "",
) -> None:
    audit.record(
        event,
        actor=actor.audit,
        target_type=TARGET,
        target_id=sar.reference,
        case_reference=case_reference,
        changed_fields=changed_fields,
    )


def _locked(sar: SubjectAccessRequest) -> SubjectAccessRequest:
    """The request re-read under a row lock, refused once released."""
    locked = (
        SubjectAccessRequest.objects.select_for_update()
        .defer("document")
        .get(pk=sar.pk)
    )
    if locked.is_released:
        raise DomainError("This request has been released and can no longer change.")
    return locked


def _check_acting_for(actor: Actor, sar: SubjectAccessRequest) -> None:
    # Views resolve the membership in the request's agency; this holds them to it.
    if actor.membership.agency_id != sar.agency_id:
        raise DomainError("Only the agency that received the request can handle it.")


# Recording ---------------------------------------------------------------------


@transaction.atomic
def sar_record(
    *,
    actor: Actor,
    agency: Agency,
    regime: str,
    requester_given_name: str,
    requester_family_name: str,
    requester_date_of_birth: dt.date | None,
    received_on: dt.date,
    requester_other_names: str = "",
    requester_email: str = "",
    correspondence_address: str = "",
    request_details: str = "",
) -> SubjectAccessRequest:
    if actor.membership.agency_id != agency.pk:
        raise DomainError("Record the request in the name of your own agency.")
    if received_on > timezone.localdate():
        raise DomainError("The date received must be today or in the past.")
    sar = SubjectAccessRequest.objects.create(
        reference=random_reference("SAR"),
        agency=agency,
        regime=Regime(regime),
        requester_given_name=requester_given_name,
        requester_family_name=requester_family_name,
        requester_date_of_birth=requester_date_of_birth,
        requester_other_names=requester_other_names,
        requester_email=requester_email,
        correspondence_address=correspondence_address,
        request_details=request_details,
        received_on=received_on,
        clock_started_on=received_on,
        due_on=deadlines.due_date(received_on),
        recorded_by=actor.user,
    )
    _record(
        EventType.SAR_RECORDED,
        actor,
        sar,
        changed_fields=["regime", "requester", "received_on", "due_on"],
    )
    return sar


@transaction.atomic
def sar_extend(
    *, actor: Actor, sar: SubjectAccessRequest, reason: str
) -> SubjectAccessRequest:
    """Two further months under UK GDPR Art 12(3); refused under Part 3."""
    _check_acting_for(actor, sar)
    sar = _locked(sar)
    if sar.regime != Regime.UK_GDPR:
        raise DomainError(
            "A request under DPA 2018 Part 3 cannot be extended: answer it by "
            "the due date."
        )
    if sar.is_extended:
        raise DomainError("The deadline has already been extended.")
    if timezone.localdate() > sar.due_on:
        raise DomainError(
            "The deadline can only be extended before it passes, and the "
            "requester must be told why within the first month."
        )
    sar.due_on = deadlines.due_date(sar.clock_started_on, extended=True)
    sar.extended_at = timezone.now()
    sar.extended_by = actor.user
    sar.extension_reason = reason
    sar.version += 1
    sar.save()
    _record(EventType.SAR_EXTENDED, actor, sar, changed_fields=["due_on", "extension"])
    return sar


@transaction.atomic
def sar_verify_identity(
    *,
    actor: Actor,
    sar: SubjectAccessRequest,
    method: str,
    evidence: str,
    evidence_received_on: dt.date | None = None,
) -> SubjectAccessRequest:
    """Record who checked the requester's identity, how, and on what evidence.

    When the evidence arrived after the request (it was asked for because of
    reasonable doubt, UK GDPR Art 12(6)), the clock starts on that day.
    """
    _check_acting_for(actor, sar)
    sar = _locked(sar)
    if sar.identity_verified:
        raise DomainError("The requester's identity has already been verified.")
    if evidence_received_on is not None:
        if evidence_received_on > timezone.localdate():
            raise DomainError(
                "The date the evidence arrived must not be in the future."
            )
        if evidence_received_on < sar.received_on:
            raise DomainError(
                "The date the evidence arrived must be on or after the date "
                "the request was received."
            )
    changed = ["identity_method", "identity_evidence", "identity_verified"]
    if evidence_received_on is not None and evidence_received_on > sar.received_on:
        sar.clock_started_on = evidence_received_on
        sar.due_on = deadlines.due_date(evidence_received_on, extended=sar.is_extended)
        changed += ["clock_started_on", "due_on"]
    sar.identity_method = method
    sar.identity_evidence = evidence
    sar.identity_verified_by = actor.user
    sar.identity_verified_at = timezone.now()
    sar.status = RequestStatus.IDENTITY_VERIFIED
    sar.version += 1
    sar.save()
    _record(EventType.SAR_IDENTITY_VERIFIED, actor, sar, changed_fields=changed)
    return sar


@transaction.atomic
def sar_link_subjects(
    *, actor: Actor, sar: SubjectAccessRequest, person_ids: Iterable[int]
) -> list[Person]:
    """Confirm that these person records are the requester."""
    _check_acting_for(actor, sar)
    sar = _locked(sar)
    if sar.draft_built_at is not None:
        raise DomainError(
            "The draft has been built: the records it is about can no longer change."
        )
    people = selectors.linkable_people(sar, person_ids)
    if not people:
        raise DomainError("Select the records that are about the requester.")
    for person in people:
        RequestSubject.objects.get_or_create(
            request=sar, person=person, defaults={"linked_by": actor.user}
        )
    _record(EventType.SAR_SUBJECTS_LINKED, actor, sar, changed_fields=["subjects"])
    return people


# The draft -----------------------------------------------------------------------


@transaction.atomic
def sar_draft_build(*, actor: Actor, sar: SubjectAccessRequest) -> int:
    """Gather every record about the requester into items with default decisions.

    Refused before the identity is verified. Building again (before release)
    starts the review afresh.
    """
    _check_acting_for(actor, sar)
    sar = _locked(sar)
    if not sar.identity_verified:
        raise DomainError("Verify the requester's identity before building the draft.")
    if not RequestSubject.objects.filter(request=sar).exists():
        raise DomainError("Link the requester to their records first.")
    drafts = selectors.draft_items(sar)
    DisclosureItem.objects.filter(request=sar).delete()
    DisclosureItem.objects.bulk_create(
        DisclosureItem(
            request=sar,
            position=position,
            case_reference=draft.case_reference,
            source_type=draft.source_type,
            source_id=draft.source_id,
            field=draft.field,
            label=draft.label,
            recorded_by_agency=draft.recorded_by_agency,
            subject=draft.subject,
            subject_role=draft.subject_role,
            category=draft.category,
            default_decision=draft.default_decision,
            text=draft.text,
        )
        for position, draft in enumerate(drafts, start=1)
    )
    sar.draft_built_by = actor.user
    sar.draft_built_at = timezone.now()
    sar.status = RequestStatus.IN_REVIEW
    sar.version += 1
    sar.save()
    _record(EventType.SAR_DRAFT_BUILT, actor, sar, changed_fields=["items"])
    return len(drafts)


def _check_reviewer(actor: Actor, sar: SubjectAccessRequest) -> None:
    if sar.draft_built_by_id == actor.user.pk:
        raise DomainError(
            "You built this draft, so someone else must review its items."
        )


@transaction.atomic
def item_decide(
    *,
    actor: Actor,
    item: DisclosureItem,
    decision: str,
    redacted_text: str = "",
    exemption: str = "",
    note: str = "",
) -> DisclosureItem:
    """A reviewer's decision on one item (never the person who built the draft).

    "Include" takes the recorded content as it stands now, and only where the
    reviewer could see it; "include with redactions" releases the text the
    reviewer wrote; "withhold" needs an exemption and keeps no content.
    """
    sar = item.request
    _check_acting_for(actor, sar)
    sar = _locked(sar)
    _check_reviewer(actor, sar)
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk, request=sar)
    item.request = sar
    match Decision(decision):
        case Decision.INCLUDE:
            content = selectors.item_content(item)
            if content is None:
                raise DomainError(
                    "This item's content is not shown, so it cannot be included "
                    "as recorded: write the text to release, or withhold it."
                )
            if not content.strip():
                raise DomainError("There is nothing recorded to include: withhold it.")
            item.text, item.exemption = content, ""
        case Decision.INCLUDE_REDACTED:
            if not redacted_text.strip():
                raise DomainError(
                    "Enter the text to release, with the redactions made."
                )
            item.text, item.exemption = redacted_text.strip(), ""
        case Decision.WITHHOLD:
            if exemption not in Exemption.values:
                raise DomainError("Select the reason for withholding the item.")
            if exemption == Exemption.OTHER and not note.strip():
                raise DomainError("Explain the exemption in the note.")
            item.text, item.exemption = "", exemption
    item.decision = decision
    item.note = note.strip()
    item.decided_by = actor.user
    item.decided_at = timezone.now()
    item.save()
    _record(
        EventType.SAR_ITEM_REVIEWED,
        actor,
        sar,
        changed_fields=["decision", "text" if item.text else "exemption"],
        case_reference=item.case_reference,
    )
    return item


@transaction.atomic
def items_accept_defaults(*, actor: Actor, sar: SubjectAccessRequest) -> int:
    """Decide every undecided item that has a clear default, in one go.

    Items included by default are included as recorded; items excluded by
    default are withheld as another person's information (identities) or to
    protect others (locations). Free text awaiting redaction review is left
    for the reviewer to read one by one.
    """
    _check_acting_for(actor, sar)
    sar = _locked(sar)
    _check_reviewer(actor, sar)
    now = timezone.now()
    count = 0
    items = (
        DisclosureItem.objects.select_for_update()
        .filter(request=sar, decision="")
        .exclude(default_decision=DefaultDecision.REVIEW)
    )
    for item in items:
        if item.default_decision == DefaultDecision.INCLUDE and item.text:
            item.decision, item.exemption = Decision.INCLUDE, ""
        else:
            item.decision, item.text = Decision.WITHHOLD, ""
            item.exemption = (
                Exemption.THIRD_PARTY
                if item.category == "identity"
                else Exemption.PROTECT_OTHERS
            )
        item.decided_by, item.decided_at = actor.user, now
        item.save()
        count += 1
    if count:
        _record(
            EventType.SAR_ITEM_REVIEWED,
            actor,
            sar,
            changed_fields=["decision"],
        )
    return count


# Release ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Blocker:
    code: str
    message: str


def release_blockers(
    *, sar: SubjectAccessRequest, user_id: int, factor_fresh: bool
) -> list[Blocker]:
    """What stands between this request and its release by this user."""
    blockers: list[Blocker] = []
    if sar.is_released:
        return [Blocker("released", "This request has already been released.")]
    if sar.draft_built_at is None:
        blockers.append(Blocker("no_draft", "Build the draft first."))
    else:
        counts = selectors.item_counts(sar)
        if counts.undecided:
            blockers.append(
                Blocker(
                    "undecided_items",
                    f"Decide every item: {counts.undecided} of {counts.total} "
                    "still to review.",
                )
            )
        if sar.draft_built_by_id == user_id:
            blockers.append(
                Blocker(
                    "four_eyes",
                    "You built this draft, so someone else must release it.",
                )
            )
    if not factor_fresh:
        blockers.append(
            Blocker(
                "step_up",
                "Confirm it is you with your security key or authenticator app.",
            )
        )
    return blockers


class ReleaseRefused(DomainError):
    def __init__(self, blockers: list[Blocker]) -> None:
        super().__init__(" ".join(b.message for b in blockers))
        self.blockers = blockers


def sar_release(
    *, actor: Actor, sar: SubjectAccessRequest, factor_fresh: bool
) -> SubjectAccessRequest:
    """Release the reviewed disclosure and keep its PDF.

    Needs every item decided, a releaser other than the person who built the
    draft, and a second factor proved within the step-up window. A refusal is
    audited too (outside the refused transaction, so it stays).
    """
    try:
        return _release(actor=actor, sar=sar, factor_fresh=factor_fresh)
    except ReleaseRefused as refusal:
        _record(
            EventType.SAR_RELEASE_REFUSED,
            actor,
            sar,
            changed_fields=[b.code for b in refusal.blockers],
        )
        raise


@transaction.atomic
def _release(
    *, actor: Actor, sar: SubjectAccessRequest, factor_fresh: bool
) -> SubjectAccessRequest:
    _check_acting_for(actor, sar)
    locked = (
        SubjectAccessRequest.objects.select_for_update()
        .select_related("agency")
        .defer("document")
        .get(pk=sar.pk)
    )
    blockers = release_blockers(
        sar=locked, user_id=actor.user.pk, factor_fresh=factor_fresh
    )
    if blockers:
        raise ReleaseRefused(blockers)
    now = timezone.now()
    pdf = document.render(locked, selectors.released_items(locked), released_at=now)
    locked.document = pdf
    locked.document_sha256 = hashlib.sha256(pdf).hexdigest()
    locked.released_by = actor.user
    locked.released_at = now
    locked.status = RequestStatus.RELEASED
    locked.version += 1
    locked.save()
    _record(
        EventType.SAR_RELEASED,
        actor,
        locked,
        changed_fields=["status", "document"],
    )
    return locked


def document_download(*, actor: Actor, sar: SubjectAccessRequest) -> bytes:
    """The released PDF; every download is audited."""
    _check_acting_for(actor, sar)
    if not sar.is_released:
        raise DomainError("The disclosure has not been released.")
    with transaction.atomic():
        _record(EventType.SAR_DOCUMENT_DOWNLOADED, actor, sar)
        return selectors.document_bytes(sar)


def item_view_record(*, actor: Actor, item: DisclosureItem) -> None:
    """Audit that a reviewer opened an item's recorded content."""
    _record(
        EventType.SAR_ITEM_VIEWED,
        actor,
        item.request,
        changed_fields=[item.field],
        case_reference=item.case_reference,
    )
