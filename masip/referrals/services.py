"""Writing referrals: making one, answering a question, and the three triage
decisions (accept, decline, ask for more).

Every service runs in one transaction and records its audit event inside it.
A decision locks the referral row first (``select_for_update``) and refuses
unless the referral is still undecided, so when two coordinators decide at
once the second is told it was already decided, and nothing is done twice.

Accepting opens a case or joins one, involves agencies and adds the people.
The coordinator holds none of the case verbs that ``masip.cases.services``
and ``masip.people.services`` demand (CASE_CREATE, CASE_SHARE, PERSON_ADD), so
the writes are made here through the models, with the same audit events
(CASE_CREATED, CASE_STATUS_CHANGED, PERSON_ADDED, CASE_SHARED) and the same
notices as those services, in the name of REFERRAL_TRIAGE.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.accounts import notices
from masip.accounts.models import Agency, Notification, Site
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import (
    Case,
    CaseParticipant,
    CaseShare,
    CaseStatus,
    LawfulBasis,
    ParticipantRole,
    ReferralSource,
    RelationshipType,
    StatusChange,
)
from masip.cases.selectors import agency_team_managers
from masip.cases.services import case_reference_new
from masip.core.errors import DomainError
from masip.people.models import (
    Confidentiality,
    DatePrecision,
    Person,
    PersonAlias,
    PersonIdentifier,
)
from masip.referrals import selectors
from masip.referrals.models import (
    CarriedSection,
    IdentifierKind,
    Referral,
    ReferralConsent,
    ReferralIdentifier,
    ReferralQuestion,
    ReferralStatus,
    Urgency,
    carried_json,
)

UNKNOWN_NAME = "Not known"


@dataclass(frozen=True)
class ReferredPeople:
    """Who a referral is about, as the referrer typed it."""

    victim_given_name: str
    victim_family_name: str = ""
    victim_date_of_birth: dt.date | None = None
    perpetrator_given_name: str = ""
    perpetrator_family_name: str = ""
    perpetrator_date_of_birth: dt.date | None = None
    perpetrator_aliases: tuple[str, ...] = ()
    # (IdentifierKind value, the value as typed)
    identifiers: tuple[tuple[str, str], ...] = ()
    # How and when the victim may be contacted safely (optional).
    victim_safe_contact: str = ""

    @property
    def has_perpetrator(self) -> bool:
        return bool(
            self.perpetrator_given_name.strip()
            or self.perpetrator_family_name.strip()
            or self.perpetrator_date_of_birth
            or self.perpetrator_aliases
            or self.identifiers
        )


# Shared helpers -------------------------------------------------------------


def _record(
    event_type: EventType,
    *,
    actor: Actor,
    referral: Referral | None,
    case_reference: str = "",
    changed_fields: Iterable[str] = (),
    target_type: str = "referral",
) -> None:
    audit.record(
        event_type,
        actor=actor.audit,
        target_type=target_type,
        target_id=referral.public_id if referral is not None else "",
        case_reference=case_reference,
        changed_fields=changed_fields,
    )


def _require(actor: Actor, permission: Permission) -> None:
    if permission not in actor.membership.role_def.permissions:
        raise PermissionDenied


def _require_triage(actor: Actor, referral: Referral) -> None:
    """The acting membership may triage, in the referral's own site."""
    _require(actor, Permission.REFERRAL_TRIAGE)
    if actor.membership.agency.site_id != referral.site_id:
        raise PermissionDenied


def _text(value: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise DomainError(message)
    return value


def decided_message(referral: Referral) -> str:
    """Why a decision on ``referral`` is refused (it is already decided)."""
    if referral.status == ReferralStatus.ACCEPTED:
        return (
            f"This referral was already accepted (case {referral.case_reference}). "
            "Nothing was changed."
        )
    if referral.status == ReferralStatus.DECLINED:
        return "This referral was already declined. Nothing was changed."
    return "This referral has already been decided. Nothing was changed."


def _lock(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update()
        .select_related("site", "referring_agency", "referred_by")
        .get(pk=referral.pk)
    )


def _lock_open(referral: Referral) -> Referral:
    """The referral row locked, if no decision has been made on it yet."""
    locked = _lock(referral)
    if not locked.is_open:
        raise DomainError(decided_message(locked))
    return locked


def _triage_link(referral: Referral) -> str:
    return reverse("referrals:triage-detail", args=[referral.public_id])


def _referrer_link(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.public_id])


def _tell_coordinators(referral: Referral, message: str) -> None:
    notices.notify(
        selectors.site_coordinators(referral.site),
        kind=Notification.Kind.REFERRAL_WAITING,
        message=message,
        link=_triage_link(referral),
    )


def _tell_referrer(referral: Referral, message: str, case_reference: str = "") -> None:
    notices.notify(
        [referral.referred_by],
        kind=Notification.Kind.REFERRAL_DECIDED,
        message=message,
        case_reference=case_reference,
        link=_referrer_link(referral),
    )


def _urgency_word(referral: Referral) -> str:
    return str(Urgency(referral.urgency).label).lower()


# Making a referral -----------------------------------------------------------


@transaction.atomic
def referral_submit(
    *,
    actor: Actor,
    site: Site,
    source: str,
    urgency: str,
    reason: str,
    actions_taken: str,
    consent: str,
    consent_reason: str,
    people: ReferredPeople,
    helpline_narrative: str = "",
    helpline_answers: Sequence[CarriedSection] = (),
) -> Referral:
    """Send a referral to ``site``'s programme; its coordinators are told.

    A national helpline handover (``masip.helpline.handover``) also carries
    the caller's account and the answers already given, so the programme
    does not ask the victim again."""
    _require(actor, Permission.REFERRAL_MAKE)
    if source not in ReferralSource.values:
        raise DomainError("Select who is referring.")
    if urgency not in Urgency.values:
        raise DomainError("Select how urgent the referral is.")
    if consent not in ReferralConsent.values:
        raise DomainError("Select whether the victim consented to the referral.")
    kinds = set(IdentifierKind.values)
    if any(kind not in kinds for kind, _ in people.identifiers):
        raise ValueError("Unknown identifier kind.")
    referral = Referral.objects.create(
        site=site,
        referring_agency=actor.membership.agency,
        referred_by=actor.user,
        source=source,
        urgency=urgency,
        reason=_text(reason, "Enter why you are making the referral."),
        actions_taken=_text(actions_taken, "Enter what you have already done."),
        consent=consent,
        consent_reason=_text(
            consent_reason, "Enter the reason for the consent answer."
        ),
        victim_given_name=_text(
            people.victim_given_name, "Enter the victim's given name."
        ),
        victim_family_name=people.victim_family_name.strip(),
        victim_date_of_birth=people.victim_date_of_birth,
        perpetrator_given_name=people.perpetrator_given_name.strip(),
        perpetrator_family_name=people.perpetrator_family_name.strip(),
        perpetrator_date_of_birth=people.perpetrator_date_of_birth,
        perpetrator_aliases="\n".join(_clean_aliases(people.perpetrator_aliases)),
        victim_safe_contact=people.victim_safe_contact.strip(),
        helpline_narrative=helpline_narrative.strip(),
        helpline_answers=carried_json(helpline_answers) if helpline_answers else "",
    )
    for kind, value in people.identifiers:
        if value.strip():
            ReferralIdentifier.objects.create(
                referral=referral, kind=kind, value=value.strip()
            )
    _record(EventType.REFERRAL_SUBMITTED, actor=actor, referral=referral)
    _tell_coordinators(
        referral, f"A referral is waiting for triage ({_urgency_word(referral)})."
    )
    return referral


def _clean_aliases(aliases: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for alias in aliases:
        name = " ".join(alias.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


@transaction.atomic
def referral_answer(*, actor: Actor, referral: Referral, answer: str) -> Referral:
    """The referrer answers the coordinator's question; the referral goes back
    to the queue and the coordinators are told."""
    _require(actor, Permission.REFERRAL_MAKE)
    answer = _text(answer, "Enter your answer.")
    locked = _lock(referral)
    if locked.referred_by_id != actor.user.pk:
        raise PermissionDenied
    if locked.status != ReferralStatus.MORE_INFO:
        raise DomainError(
            "No question is waiting for your answer on this referral. "
            "Nothing was changed."
        )
    question = locked.questions.select_for_update().get(answered_at__isnull=True)
    question.answer = answer
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_at", "updated_at"])
    locked.status = ReferralStatus.WAITING
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    _record(
        EventType.REFERRAL_UPDATED,
        actor=actor,
        referral=locked,
        changed_fields=["info_response", "status"],
    )
    _tell_coordinators(
        locked,
        f"A referral is waiting for triage ({_urgency_word(locked)}): "
        "the referrer has answered your question.",
    )
    return locked


# Triage decisions --------------------------------------------------------------


@transaction.atomic
def referral_decline(*, actor: Actor, referral: Referral, reason: str) -> Referral:
    """Decline with a reason; the referrer is told."""
    _require_triage(actor, referral)
    reason = _text(reason, "Enter why the referral is declined.")
    locked = _lock_open(referral)
    locked.status = ReferralStatus.DECLINED
    locked.decision_reason = reason
    locked.triaged_by = actor.user
    locked.triaged_at = timezone.now()
    locked.version += 1
    locked.save()
    _record(
        EventType.REFERRAL_DECLINED,
        actor=actor,
        referral=locked,
        changed_fields=["status", "decision_reason"],
    )
    _tell_referrer(
        locked,
        f"Your referral {locked.short_reference} was declined. "
        "The reason is on the referral's page.",
    )
    return locked


@transaction.atomic
def referral_request_info(
    *, actor: Actor, referral: Referral, question: str
) -> ReferralQuestion:
    """Ask the referrer for more; the referral waits for their answer."""
    _require_triage(actor, referral)
    question = _text(question, "Enter what you need to know.")
    locked = _lock_open(referral)
    if locked.status == ReferralStatus.MORE_INFO:
        raise DomainError(
            "More information has already been asked for on this referral. "
            "Wait for the referrer's answer."
        )
    try:
        with transaction.atomic():
            asked = ReferralQuestion.objects.create(
                referral=locked, question=question, asked_by=actor.user
            )
    except IntegrityError as exc:  # an unanswered question exists after all
        raise DomainError(
            "More information has already been asked for on this referral."
        ) from exc
    locked.status = ReferralStatus.MORE_INFO
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    _record(
        EventType.REFERRAL_INFO_REQUESTED,
        actor=actor,
        referral=locked,
        changed_fields=["info_request", "status"],
    )
    _tell_referrer(
        locked,
        f"More information is needed on your referral {locked.short_reference}. "
        "Answer the question on the referral's page.",
    )
    return asked


@transaction.atomic
def referral_accept(
    *,
    actor: Actor,
    referral: Referral,
    lead_agency: Agency | None = None,
    case: Case | None = None,
    agencies: Sequence[Agency] = (),
    lawful_basis: str = "",
) -> Case:
    """Accept: open a new case led by ``lead_agency``, or join ``case`` (which
    the caller resolved through the access policy), and involve ``agencies``.

    The referrer and the lead agency's team managers are told; each involved
    agency's team managers are told of the share.
    """
    _require_triage(actor, referral)
    if (lead_agency is None) == (case is None):
        raise ValueError("Give either a lead agency or an existing case.")
    locked = _lock_open(referral)
    site = locked.site
    allowed = set(selectors.involve_agency_choices(site).values_list("pk", flat=True))
    if any(agency.pk not in allowed for agency in agencies):
        raise DomainError("Select agencies from the list.")
    if agencies and lawful_basis not in LawfulBasis.values:
        raise DomainError("Select the lawful basis for involving the agencies.")
    if lead_agency is not None:
        if not selectors.lead_agency_choices(site).filter(pk=lead_agency.pk).exists():
            raise DomainError("Select a lead agency from the list.")
        case = _open_case(actor, locked, lead_agency)
    else:
        assert case is not None
        case = (
            Case.objects.select_for_update()
            .select_related("lead_agency")
            .get(pk=case.pk)
        )
        if case.is_closed:
            raise DomainError(
                f"Case {case.reference} is closed. Reopen it first, or open a new case."
            )
    _involve(actor, locked, case, agencies, lawful_basis)
    locked.status = ReferralStatus.ACCEPTED
    locked.case_reference = case.reference
    locked.triaged_by = actor.user
    locked.triaged_at = timezone.now()
    locked.version += 1
    locked.save()
    _record(
        EventType.REFERRAL_ACCEPTED,
        actor=actor,
        referral=locked,
        case_reference=case.reference,
        changed_fields=["status", "case_reference"],
    )
    _tell_referrer(
        locked,
        f"Your referral {locked.short_reference} was accepted: case {case.reference}.",
        case_reference=case.reference,
    )
    notices.notify(
        agency_team_managers(case.lead_agency),
        kind=Notification.Kind.REFERRAL_DECIDED,
        message=(
            f"A referral was accepted at triage into case {case.reference}, "
            f"which {case.lead_agency.name} leads."
        ),
        case_reference=case.reference,
    )
    return case


def _triage_reason(referral: Referral) -> str:
    return f"Accepted at triage: {referral.short_reference}"


def _open_case(actor: Actor, referral: Referral, lead_agency: Agency) -> Case:
    """A new case, moved from referred through screening to accepted, with
    the referral's victim and perpetrator on it."""
    case = Case.objects.create(
        reference=case_reference_new(),
        lead_agency=lead_agency,
        summary=referral.reason,
        relationship_type=RelationshipType.UNKNOWN,
        referral_source=referral.source,
        referred_on=timezone.localdate(referral.received_at),
        status=CaseStatus.ACCEPTED,
        created_by=actor.user,
    )
    reason = _triage_reason(referral)
    steps = [
        ("", CaseStatus.REFERRED, ""),
        (CaseStatus.REFERRED, CaseStatus.SCREENING, reason),
        (CaseStatus.SCREENING, CaseStatus.ACCEPTED, reason),
    ]
    StatusChange.objects.bulk_create(
        StatusChange(
            case=case,
            from_status=before,
            to_status=after,
            reason=why,
            changed_by=actor.user,
        )
        for before, after, why in steps
    )
    for event_type, changed in (
        (EventType.CASE_CREATED, []),
        (EventType.CASE_STATUS_CHANGED, ["status"]),
    ):
        audit.record(
            event_type,
            actor=actor.audit,
            target_type="case",
            target_id=case.reference,
            case_reference=case.reference,
            changed_fields=changed,
        )
    _add_person(
        actor,
        case,
        ParticipantRole.VICTIM,
        given_name=referral.victim_given_name,
        family_name=referral.victim_family_name,
        born=referral.victim_date_of_birth,
    )
    identifiers = [(i.kind, i.value) for i in referral.identifiers.all()]
    if (
        referral.perpetrator_name
        or referral.perpetrator_date_of_birth
        or referral.alias_list
        or identifiers
    ):
        _add_person(
            actor,
            case,
            ParticipantRole.PERPETRATOR,
            given_name=referral.perpetrator_given_name,
            family_name=referral.perpetrator_family_name,
            born=referral.perpetrator_date_of_birth,
            aliases=referral.alias_list,
            identifiers=identifiers,
        )
    return case


def _add_person(
    actor: Actor,
    case: Case,
    role: str,
    *,
    given_name: str,
    family_name: str,
    born: dt.date | None,
    aliases: Sequence[str] = (),
    identifiers: Sequence[tuple[str, str]] = (),
) -> Person:
    """A new person on the case. The perpetrator's identifiers are recorded at
    the standard level: they are not the victim's location or contact."""
    person = Person.objects.create(
        given_name=given_name.strip() or UNKNOWN_NAME,
        family_name=family_name.strip(),
        date_of_birth=born,
        birth_date_precision=DatePrecision.EXACT if born else DatePrecision.UNKNOWN,
        created_by=actor.user,
        created_by_agency=actor.membership.agency,
    )
    PersonAlias.objects.bulk_create(
        PersonAlias(person=person, name=name) for name in _clean_aliases(aliases)
    )
    CaseParticipant.objects.create(
        case=case, person=person, role=role, added_by=actor.user
    )
    for kind, value in identifiers:
        PersonIdentifier.objects.create(
            person=person,
            kind=kind,
            value=value,
            confidentiality=Confidentiality.STANDARD,
        )
    audit.record(
        EventType.PERSON_ADDED,
        actor=actor.audit,
        target_type="person",
        target_id=person.public_id,
        case_reference=case.reference,
    )
    return person


def _share_expiry() -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=settings.MASIP_REFERRAL_SHARE_DAYS)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def _involve(
    actor: Actor,
    referral: Referral,
    case: Case,
    agencies: Sequence[Agency],
    lawful_basis: str,
) -> list[CaseShare]:
    """Share the case with each agency that neither leads it nor holds a share
    in force: no compartments (the lead agency widens them later)."""
    holding = set(
        CaseShare.objects.active().filter(case=case).values_list("agency_id", flat=True)
    )
    shares = []
    for agency in sorted(agencies, key=lambda a: a.name):
        if agency.pk == case.lead_agency_id or agency.pk in holding:
            continue
        share = CaseShare.objects.create(
            case=case,
            agency=agency,
            granted_by=actor.user,
            reason=_triage_reason(referral),
            lawful_basis=lawful_basis,
            compartments=[],
            expires_at=_share_expiry(),
        )
        holding.add(agency.pk)
        shares.append(share)
        notices.notify(
            agency_team_managers(agency),
            kind=Notification.Kind.SHARED,
            case_reference=case.reference,
            message=f"Case {case.reference} has been shared with {agency.name}.",
        )
        audit.record(
            EventType.CASE_SHARED,
            actor=actor.audit,
            target_type="share",
            target_id=share.pk,
            case_reference=case.reference,
        )
    return shares


# Reads worth recording -------------------------------------------------------------


@transaction.atomic
def referral_matches_shown(
    *, actor: Actor, referral: Referral | None, count: int
) -> None:
    """Record that possible matches were shown (for a draft: no referral yet)."""
    if count:
        _record(
            EventType.REFERRAL_MATCHES_SHOWN,
            actor=actor,
            referral=referral,
            target_type="referral" if referral is not None else "referral_draft",
        )


@transaction.atomic
def referral_viewed(*, actor: Actor, referral: Referral) -> None:
    _record(EventType.REFERRAL_VIEWED, actor=actor, referral=referral)


@transaction.atomic
def referral_list_viewed(*, actor: Actor, which: str) -> None:
    _record(
        EventType.REFERRAL_LIST_VIEWED, actor=actor, referral=None, target_type=which
    )
