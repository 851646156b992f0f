"""The demo's national helpline: a few dozen completed contacts over the last
months (varied channels, areas, behaviours; counted in the monthly
statistics), one draft the demo adviser can resume, and one contact handed
over to London with the caller's consent, waiting in London's triage queue.

Everything is synthetic: the accounts are invented, the caller's name is
invented, the phone number is in Ofcom's drama range. Drawn from a random
stream of its own, so adding it changes nothing else in the demo.
Idempotent: a helpline that already has contacts is left as it is.

Wire it in after ``ensure_referrals`` (which leaves a site with referrals
alone, so London must get its demo referrals first).
"""

import datetime as dt
import random

from masip.access.actors import Actor
from masip.accounts.models import Agency, Membership, User
from masip.demo.structure import Structure
from masip.demo.synth import aware
from masip.helpline import counting, handover
from masip.helpline.models import (
    AdviceTopic,
    CallerType,
    Contact,
    ContactChannel,
    DigitalIndicator,
    DurationBand,
    ReferralMade,
    Relationship,
    ShareConsent,
)
from masip.incidents.models import Behaviour
from masip.referrals.models import Urgency
from masip.referrals.services import ReferredPeople
from masip.risk.instruments import registry
from masip.risk.scoring import score

HELPLINE = "national-helpline"
ADVISER = "helpline.adviser@national.demo.example.org"
ADVISER2 = "helpline.adviser2@national.demo.example.org"
SEED = 20260808
COMPLETED = 36
DAYS_BACK = 180
SCREEN = "masip-stalking-screen"

AREAS = (
    "metropolitan_police",
    "metropolitan_police",
    "hampshire_isle_of_wight",
    "cheshire",
    "greater_manchester",
    "west_midlands",
    "thames_valley",
    "kent",
    "west_yorkshire",
    "avon_somerset",
    "south_wales",
    "unknown",
)
# Two thirds of callers have been stalked for over six months.
DURATIONS = (
    DurationBand.UNDER_1_MONTH,
    DurationBand.UNDER_6_MONTHS,
    DurationBand.UNDER_1_YEAR,
    DurationBand.UNDER_1_YEAR,
    DurationBand.UNDER_2_YEARS,
    DurationBand.OVER_2_YEARS,
)
CHANNELS = (
    ContactChannel.PHONE,
    ContactChannel.PHONE,
    ContactChannel.PHONE,
    ContactChannel.EMAIL,
    ContactChannel.WEBCHAT,
    ContactChannel.CALLBACK,
)
CALLERS = (
    CallerType.VICTIM,
    CallerType.VICTIM,
    CallerType.VICTIM,
    CallerType.FAMILY_FRIEND,
    CallerType.PROFESSIONAL,
)
RELATIONSHIPS = (
    Relationship.EX_PARTNER,
    Relationship.EX_PARTNER,
    Relationship.EX_PARTNER,
    Relationship.FRIEND_ACQUAINTANCE,
    Relationship.COLLEAGUE,
    Relationship.NEIGHBOUR,
    Relationship.ONLINE_ONLY,
    Relationship.STRANGER,
)
BEHAVIOURS = tuple(b for b in Behaviour.values if b != Behaviour.OTHER)
NARRATIVES = (
    "Demo: since the relationship ended he sends dozens of messages a day and "
    "turns up outside her flat; written for the demonstration, about no one real.",
    "Demo: a former colleague follows her on the way home and comments on what "
    "she wore; invented for the demonstration.",
    "Demo: a neighbour watches the house and photographs visitors; the caller's "
    "mother rang on her behalf. Invented.",
    "Demo: someone she met online keeps making new accounts after being blocked "
    "and knows where she goes; invented for the demonstration.",
    "Demo: a support worker rang about a client whose ex-partner tracks her car; "
    "invented for the demonstration.",
)
HANDOVER_NARRATIVE = (
    "Demo: she left him in the spring; since then he messages her every day, waits "
    "by her work and last week said he would kill her if she saw anyone else. She "
    "found a tracker under her car. Written for the demonstration, about no one real."
)
HANDOVER_VICTIM = ("Rosalind", "Ambervale")
HANDOVER_SAFE_CONTACT = "Demo: 07700 900417, weekday mornings; do not leave messages."
DRAFT_NARRATIVE = "Demo: the caller is describing messages from an ex-partner..."


def ensure_helpline(structure: Structure, *, anchor: dt.date) -> int:
    """The demo helpline's contacts the first time; the number made."""
    agency = structure.agencies.get(HELPLINE)
    if agency is None or Contact.objects.filter(agency=agency).exists():
        return 0
    rng = random.Random(SEED)
    advisers = [structure.users[ADVISER], structure.users[ADVISER2]]
    topics = list(AdviceTopic.objects.filter(active=True))
    made = 0
    for number in range(COMPLETED):
        day = anchor - dt.timedelta(days=rng.randint(1, DAYS_BACK))
        contact = _completed(rng, agency, advisers[number % 2], day, topics)
        counting.count_contact(contact, sign=1)
        made += 1
    made += _handed_over(structure, agency, anchor, topics)
    Contact.objects.create(
        agency=agency,
        adviser=advisers[0],
        started_at=aware(anchor, 9, 40),
        channel=ContactChannel.PHONE,
        caller_type=CallerType.VICTIM,
        force_area="cheshire",
        relationship=Relationship.EX_PARTNER,
        behaviours=[Behaviour.CONTACTING.value],
        narrative=DRAFT_NARRATIVE,
    )
    return made + 1


def _risk(rng: random.Random, *, high: bool = False) -> tuple[dict[str, str], str]:
    instrument = registry().get(SCREEN)
    answers = {
        item.id: rng.choice(("yes", "no", "no", "unknown"))
        for item in instrument.items[: rng.randint(4, len(instrument.items))]
    }
    if high:
        answers.update(threats_to_kill="yes", following_or_tracking="yes")
    return answers, score(instrument, answers).level or ""


def _completed(
    rng: random.Random,
    agency: Agency,
    adviser: User,
    day: dt.date,
    topics: list[AdviceTopic],
) -> Contact:
    start = aware(day, rng.randint(9, 19), rng.choice((0, 10, 20, 30, 40, 50)))
    seconds = rng.randint(6, 45) * 60 + rng.randint(0, 59)
    answers, level = _risk(rng)
    contact = Contact.objects.create(
        agency=agency,
        adviser=adviser,
        status=Contact.Status.COMPLETE,
        started_at=start,
        ended_at=start + dt.timedelta(seconds=seconds),
        handling_seconds=seconds,
        channel=rng.choice(CHANNELS),
        caller_type=rng.choice(CALLERS),
        force_area=rng.choice(AREAS),
        relationship=rng.choice(RELATIONSHIPS),
        duration_band=rng.choice(DURATIONS),
        behaviours=sorted(rng.sample(BEHAVIOURS, rng.randint(1, 3))),
        four_fixated=rng.choice((True, True, None)),
        four_obsessive=rng.choice((True, False, None)),
        four_unwanted=True,
        four_repeated=True,
        digital_indicators=sorted(
            rng.sample(DigitalIndicator.values, rng.choice((0, 0, 1, 2)))
        ),
        risk_instrument=SCREEN,
        risk_answers=answers,
        risk_level=level,
        referrals_made=sorted(
            rng.sample(ReferralMade.values, rng.choice((0, 1, 1, 2)))
        ),
        narrative=rng.choice(NARRATIVES),
        share_consent=ShareConsent.NOT_ASKED,
    )
    if topics:
        contact.advice.set(rng.sample(topics, min(len(topics), rng.randint(1, 3))))
    return contact


def _handed_over(
    structure: Structure,
    agency: Agency,
    anchor: dt.date,
    topics: list[AdviceTopic],
) -> int:
    """A high-risk call from the Metropolitan Police area, handed over to
    London with the caller's consent (a referral waiting for triage)."""
    site = structure.sites.get("london")
    adviser = structure.users[ADVISER]
    if site is None:
        return 0
    answers, level = _risk(random.Random(SEED + 1), high=True)
    start = aware(anchor - dt.timedelta(days=1), 11, 5)
    contact = Contact.objects.create(
        agency=agency,
        adviser=adviser,
        status=Contact.Status.COMPLETE,
        started_at=start,
        ended_at=start + dt.timedelta(minutes=24),
        handling_seconds=24 * 60,
        channel=ContactChannel.PHONE,
        caller_type=CallerType.VICTIM,
        force_area="metropolitan_police",
        relationship=Relationship.EX_PARTNER,
        duration_band=DurationBand.UNDER_1_YEAR,
        behaviours=[
            Behaviour.CONTACTING.value,
            Behaviour.LOITERING.value,
            Behaviour.MONITORING.value,
        ],
        four_fixated=True,
        four_obsessive=True,
        four_unwanted=True,
        four_repeated=True,
        digital_indicators=[DigitalIndicator.TRACKER.value],
        risk_instrument=SCREEN,
        risk_answers=answers,
        risk_level=level,
        referrals_made=[ReferralMade.PROGRAMME.value],
        narrative=HANDOVER_NARRATIVE,
    )
    if topics:
        contact.advice.set(topics[:3])
    counting.count_contact(contact, sign=1)
    membership = Membership.objects.select_related("agency").get(
        user=adviser, agency=agency
    )
    handover.contact_hand_over(
        actor=Actor(user=adviser, membership=membership),
        contact=contact,
        site=site,
        consent=ShareConsent.GIVEN,
        people=ReferredPeople(
            victim_given_name=HANDOVER_VICTIM[0],
            victim_family_name=HANDOVER_VICTIM[1],
            victim_safe_contact=HANDOVER_SAFE_CONTACT,
        ),
        urgency=Urgency.URGENT,
        consent_reason="Demo: she asked for the London programme to call her.",
        now=start + dt.timedelta(minutes=23),
    )
    return 1
