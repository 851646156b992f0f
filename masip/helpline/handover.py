"""Handing a helpline contact over to a site's programme, with consent.

Nothing identifying leaves the helpline unless the caller consents, there and
then, to the handover: ``contact_hand_over`` refuses (``HandoverRefused``,
nothing written, nobody told) without ``consent="given"``. With it, the
contact becomes a referral through ``masip.referrals.services.referral_submit``
(source: the national helpline; consent given), carrying forward the caller's
account and the answers the helpline recorded (caller, relationship, how
long, force area, behaviours, FOUR, digital indicators, the risk screen and
its level, the advice given) so the programme never asks the victim again.

The caller's name and how to reach them safely are asked only on the
handover page and go only into the referral (sealed there): the contact
itself stays anonymous. The adviser's notes, the caller key and any
safeguarding reason are not carried.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.accounts.models import Site
from masip.audit.events import EventType
from masip.cases.models import ReferralSource
from masip.core.errors import DomainError
from masip.core.templatetags.govuk import govuk_day
from masip.helpline import counting
from masip.helpline.areas import BY_CODE, REGIONS
from masip.helpline.fields import BEHAVIOUR_NONE, SCREEN_CODE
from masip.helpline.models import (
    CallerType,
    Contact,
    ContactChannel,
    DigitalIndicator,
    DurationBand,
    ReferralMade,
    Relationship,
    ShareConsent,
)
from masip.helpline.services._common import audit_contact
from masip.incidents.models import Behaviour
from masip.referrals.models import CarriedSection, Referral, ReferralConsent, Urgency
from masip.referrals.services import ReferredPeople, referral_submit
from masip.risk.instruments import Instrument, registry

ANSWER_WORDS = {"yes": "Yes", "no": "No", "unknown": "Don't know"}
NOT_RECORDED = "Not recorded"
NOT_FINISHED = "Only a finished contact can be handed over. Finish the contact first."
NO_CONSENT = (
    "The caller has not consented to the handover, so nothing has been sent. "
    "Nothing that could identify them leaves the helpline."
)


class HandoverRefused(DomainError):
    """The caller did not consent: nothing was written or sent."""


def _label(choices: type, value: str) -> str:
    if not value:
        return NOT_RECORDED
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _labels(choices: type, values: Iterable[str]) -> str:
    words = [_label(choices, v) for v in values if v]
    return "\n".join(words) if words else "None reported"


def _behaviours(codes: Iterable[str]) -> str:
    """The statutory behaviours in words ("none", the adviser's "None
    reported", adds nothing)."""
    return _labels(Behaviour, [code for code in codes if code != BEHAVIOUR_NONE])


def _area_name(code: str) -> str:
    area = BY_CODE.get(code)
    return area.name if area else NOT_RECORDED


def _four(value: bool | None) -> str:
    return {True: "Yes", False: "No", None: "Not sure"}[value]


def _screen(contact: Contact) -> Instrument | None:
    try:
        return registry().get(contact.risk_instrument or SCREEN_CODE)
    except KeyError:
        return None


def _risk_rows(contact: Contact) -> tuple[tuple[str, str], ...]:
    level = contact.risk_level.capitalize() if contact.risk_level else NOT_RECORDED
    instrument = _screen(contact)
    rows = [("Risk level from the screen", level)]
    if instrument is not None:
        rows[0] = (f"Risk level ({instrument.title})", level)
        for item in instrument.items:
            answer = contact.risk_answers.get(item.id)
            if answer is not None and answer != "":
                rows.append(
                    (item.text or item.id, ANSWER_WORDS.get(str(answer), str(answer)))
                )
    return tuple(rows)


def carried_sections(contact: Contact) -> list[CarriedSection]:
    """What the handover shares, in words: shown to the adviser (to read to
    the caller before they consent) and kept on the referral."""
    advice = [topic.title for topic in contact.advice.all()]
    return [
        CarriedSection(
            "About the contact",
            (
                ("Contact on", govuk_day(timezone.localdate(contact.started_at))),
                ("How they got in touch", _label(ContactChannel, contact.channel)),
                ("Who got in touch", _label(CallerType, contact.caller_type)),
                ("Police force area", _area_name(contact.force_area)),
                (
                    "Who the person stalking is to them",
                    _label(Relationship, contact.relationship),
                ),
                (
                    "How long it has gone on",
                    _label(DurationBand, contact.duration_band),
                ),
            ),
        ),
        CarriedSection(
            "What is happening",
            (
                ("Behaviours reported", _behaviours(contact.behaviours)),
                ("Fixated", _four(contact.four_fixated)),
                ("Obsessive", _four(contact.four_obsessive)),
                ("Unwanted", _four(contact.four_unwanted)),
                ("Repeated", _four(contact.four_repeated)),
                (
                    "Digital and tracking indicators",
                    _labels(DigitalIndicator, contact.digital_indicators),
                ),
            ),
        ),
        CarriedSection("Risk screen on the helpline", _risk_rows(contact)),
        CarriedSection(
            "What the helpline did",
            (
                ("Advice given", "\n".join(advice) if advice else "None recorded"),
                ("Referrals made", _labels(ReferralMade, contact.referrals_made)),
            ),
        ),
    ]


def site_for_area(force_area: str, sites: Iterable[Site]) -> Site | None:
    """The site whose name matches the force area or its region (London for
    the Metropolitan Police, Hampshire for Hampshire and Isle of Wight), or
    ``None`` when no site matches or the area is not known."""
    area = BY_CODE.get(force_area)
    if area is None or area.region in ("outside", "unknown"):
        return None
    region = REGIONS[area.region].casefold()
    for site in sites:
        name = site.name.casefold()
        if name in area.name.casefold() or name == region:
            return site
    return None


def suggested_urgency(contact: Contact) -> str:
    """Urgent when the screen came out high, else routine."""
    return Urgency.URGENT if contact.risk_level == "high" else Urgency.ROUTINE


def _reason(contact: Contact) -> str:
    lines = [
        "Handed over by the national helpline with the caller's consent.",
        f"Who got in touch: {_label(CallerType, contact.caller_type)}.",
        f"Who the person stalking is to them: "
        f"{_label(Relationship, contact.relationship)}.",
        f"How long it has gone on: {_label(DurationBand, contact.duration_band)}.",
    ]
    if contact.risk_level:
        lines.append(f"Risk screen on the helpline: {contact.risk_level}.")
    lines.append("The caller's account and answers are below.")
    return "\n".join(lines)


def _actions_taken(contact: Contact) -> str:
    advice = [topic.title for topic in contact.advice.all()]
    made = [_label(ReferralMade, code) for code in contact.referrals_made]
    lines = ["Listened to the caller and screened the risk on the national helpline."]
    if advice:
        lines.append(f"Advice given: {'; '.join(advice)}.")
    if made:
        lines.append(f"Referrals made: {'; '.join(made)}.")
    return "\n".join(lines)


def _consent_reason(contact: Contact, site: Site, extra: str, now: dt.datetime) -> str:
    said = (
        f"The caller consented on the national helpline on "
        f"{govuk_day(timezone.localdate(now))} to share their account and answers "
        f"with the {site.name} programme."
    )
    extra = extra.strip()
    return f"{said}\n{extra}" if extra else said


def _require(actor: Actor, contact: Contact) -> None:
    permissions = actor.membership.role_def.permissions
    if (
        Permission.HELPLINE_CONTACT_LOG not in permissions
        or Permission.REFERRAL_MAKE not in permissions
        or actor.membership.agency_id != contact.agency_id
    ):
        raise PermissionDenied


def refusal_message(contact: Contact) -> str:
    """Why ``contact`` cannot be handed over now ('' if it can)."""
    if contact.status != Contact.Status.COMPLETE:
        return NOT_FINISHED
    if contact.referral_id is not None:
        return "This contact has already been handed over. Nothing was sent again."
    return ""


@transaction.atomic
def contact_hand_over(
    *,
    actor: Actor,
    contact: Contact,
    site: Site,
    consent: str,
    people: ReferredPeople,
    urgency: str,
    consent_reason: str = "",
    sites: Sequence[Site] | None = None,
    now: dt.datetime | None = None,
) -> Referral:
    """Hand a finished contact over to ``site``'s programme as a referral,
    only with the caller's consent (``consent="given"``) asked at handover.

    ``sites``, when given, are the sites that may receive it (the page's
    choices); ``site`` must be one of them. Refused (``HandoverRefused`` or
    ``DomainError``, nothing written, nobody told) without consent, for a
    draft, or for a contact already handed over.
    """
    _require(actor, contact)
    if consent != ShareConsent.GIVEN:
        raise HandoverRefused(NO_CONSENT)
    if sites is not None and site.pk not in {s.pk for s in sites}:
        raise DomainError("Select a programme from the list.")
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    problem = refusal_message(locked)
    if problem:
        raise DomainError(problem)
    now = now or timezone.now()
    referral = referral_submit(
        actor=actor,
        site=site,
        source=ReferralSource.HELPLINE,
        urgency=urgency,
        reason=_reason(locked),
        actions_taken=_actions_taken(locked),
        consent=ReferralConsent.GIVEN,
        consent_reason=_consent_reason(locked, site, consent_reason, now),
        people=people,
        helpline_narrative=locked.narrative,
        helpline_answers=carried_sections(locked),
    )
    locked.share_consent = ShareConsent.GIVEN
    locked.referral = referral
    locked.handed_over_at = now
    locked.version += 1
    locked.save(
        update_fields=[
            "share_consent",
            "referral",
            "handed_over_at",
            "version",
            "updated_at",
        ]
    )
    counting.count_handover(locked)
    audit_contact(
        EventType.HELPLINE_CONTACT_HANDED_OVER,
        actor=actor,
        contact=locked,
        changed_fields=["share_consent", "referral", "handed_over_at"],
    )
    return referral


@transaction.atomic
def handover_page_viewed(*, actor: Actor, contact: Contact) -> None:
    """Record that the handover page showed the contact's account."""
    audit_contact(EventType.HELPLINE_CONTACT_VIEWED, actor=actor, contact=contact)


__all__ = [
    "HandoverRefused",
    "carried_sections",
    "contact_hand_over",
    "handover_page_viewed",
    "refusal_message",
    "site_for_area",
    "suggested_urgency",
]
