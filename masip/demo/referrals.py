"""Demo referrals waiting in each site's triage queue: an urgent one past
its triage target, a routine one within it, and one where the coordinator
asked the referrer for more. Idempotent: a site with referrals is left alone.
"""

import datetime as dt

from masip.access.roles import RoleName
from masip.accounts.models import Agency, Site, User
from masip.cases.models import ReferralSource
from masip.demo.structure import Structure
from masip.referrals.models import (
    Referral,
    ReferralConsent,
    ReferralQuestion,
    ReferralStatus,
    Urgency,
)

# (referring agency suffix, source, urgency, hours ago, status, victim, perpetrator)
REFERRALS: tuple[tuple[str, str, str, int, str, str, str], ...] = (
    (
        "police",
        ReferralSource.POLICE,
        Urgency.URGENT,
        30,
        ReferralStatus.WAITING,
        "Ottilie Brambleshaw",
        "Cassius Wrenfold",
    ),
    (
        "advocacy",
        ReferralSource.ADVOCACY,
        Urgency.ROUTINE,
        20,
        ReferralStatus.WAITING,
        "Marisol Quenby",
        "Lucan Hartlebury",
    ),
    (
        "probation",
        ReferralSource.PROBATION,
        Urgency.ROUTINE,
        60,
        ReferralStatus.MORE_INFO,
        "Henrietta Foxmoor",
        "Bastian Crowle",
    ),
)
REASON = (
    "Demo referral: repeated unwanted messages and visits to her workplace "
    "over four months; written for the demonstration, about no real person."
)
DONE_ALREADY = "Demo: crime recorded, victim given safety advice, S-DASH completed."
CONSENT_REASON = "Demo: the victim agreed to the referral on the phone."
QUESTION = "Demo: is there a current bail condition? Please add its terms."


def ensure_referrals(structure: Structure, *, now: dt.datetime) -> int:
    """Each demo site's waiting referrals; the number made."""
    made = 0
    for slug, site in structure.sites.items():
        if Referral.objects.filter(site=site).exists():
            continue
        coordinators = structure.staff(f"{slug}-programme", RoleName.PANEL_COORDINATOR)
        for suffix, source, urgency, hours, status, victim, perp in REFERRALS:
            agency = structure.site_agency(slug, suffix)
            referral = _referral(
                site, agency, structure.worker(agency.slug), source, urgency, status
            )
            referral.received_at = now - dt.timedelta(hours=hours)
            _name(referral, victim, perp)
            referral.save()
            if status == ReferralStatus.MORE_INFO and coordinators:
                ReferralQuestion.objects.create(
                    referral=referral,
                    question=QUESTION,
                    asked_by=coordinators[0],
                    asked_at=now - dt.timedelta(hours=hours // 2),
                )
            made += 1
    return made


def _referral(
    site: Site,
    agency: Agency,
    worker: User,
    source: str,
    urgency: str,
    status: str,
) -> Referral:
    return Referral(
        site=site,
        referring_agency=agency,
        referred_by=worker,
        source=source,
        urgency=urgency,
        status=status,
        reason=REASON,
        actions_taken=DONE_ALREADY,
        consent=ReferralConsent.GIVEN,
        consent_reason=CONSENT_REASON,
    )


def _name(referral: Referral, victim: str, perpetrator: str) -> None:
    referral.victim_given_name, referral.victim_family_name = victim.split()
    given, family = perpetrator.split()
    referral.perpetrator_given_name = given
    referral.perpetrator_family_name = family
