"""The fixed vocabulary of the demo: organisations, staff and invented text.

Everything here is synthetic. Organisation names end in "(demo)"; staff and
case names pair ordinary given names with invented surnames; addresses use
invented streets and ``ZZ99`` postcodes; phone numbers come from Ofcom's
drama range (07700 900000 to 900999); emails are at example.org.
"""

from dataclasses import dataclass

from masip.access.roles import AgencyKind, RoleName
from masip.cases.models import ClosureReason, LawfulBasis, RelationshipType
from masip.incidents.models import Behaviour
from masip.people.models import Channel

# The demo's one published password (it is a demo), unless the environment says.
DEFAULT_DEMO_PASSWORD = "stalking-demo-2026"  # noqa: S105
PASSWORD_ENV = "MASIP_DEMO_PASSWORD"  # noqa: S105
DEMO_RANDOM_SEED = 20260101
DEMO_CASE_COUNT = 60
# The user the README tells people to sign in as first.
START_EMAIL = "police.worker@london.demo.example.org"
SECOND_LONDON_WORKER = "police.worker2@london.demo.example.org"


@dataclass(frozen=True)
class SiteSpec:
    name: str
    slug: str
    code: str  # three letters, used in crime references
    towns: tuple[str, ...]


@dataclass(frozen=True)
class AgencySpec:
    key: str  # "london-police": also the slug
    name: str
    kind: AgencyKind
    site: str | None  # site slug; None for national agencies
    teams: tuple[str, ...]


@dataclass(frozen=True)
class StaffSpec:
    email: str
    full_name: str
    agency: str  # agency slug
    role: RoleName
    team: str = ""


SITES: tuple[SiteSpec, ...] = (
    SiteSpec("London", "london", "LDN", ("London",)),
    SiteSpec(
        "Hampshire", "hampshire", "HAM", ("Southampton", "Portsmouth", "Winchester")
    ),
    SiteSpec("Cheshire", "cheshire", "CHE", ("Chester", "Crewe", "Warrington")),
)

# One of each per site. Panel coordinators need a programme office *in* their
# site (their reach is the site's cases), so each site has its own office; the
# analyst and the auditor work for a national programme office.
_SITE_AGENCIES: tuple[tuple[str, str, AgencyKind, tuple[str, ...]], ...] = (
    (
        "police",
        "{site} Police (demo)",
        AgencyKind.POLICE,
        ("Stalking Investigation Team", "Public Protection Unit"),
    ),
    (
        "probation",
        "{site} Probation (demo)",
        AgencyKind.PROBATION,
        ("Stalking Specialist Team",),
    ),
    (
        "mental-health",
        "{site} Mental Health NHS Trust (demo)",
        AgencyKind.NHS_MENTAL_HEALTH,
        ("Stalking Clinic",),
    ),
    (
        "advocacy",
        "{site} Stalking Advocacy (demo)",
        AgencyKind.ADVOCACY,
        ("Advocacy Team",),
    ),
    (
        "programme",
        "{site} Programme Office (demo)",
        AgencyKind.PROGRAMME_OFFICE,
        ("Panel Office",),
    ),
)

AGENCIES: tuple[AgencySpec, ...] = (
    *(
        AgencySpec(
            f"{site.slug}-{suffix}", name.format(site=site.name), kind, site.slug, teams
        )
        for site in SITES
        for suffix, name, kind, teams in _SITE_AGENCIES
    ),
    AgencySpec(
        "national-helpline",
        "National Stalking Helpline (demo)",
        AgencyKind.HELPLINE,
        None,
        ("Helpline Advisers",),
    ),
    AgencySpec(
        "national-programme",
        "National Programme Office (demo)",
        AgencyKind.PROGRAMME_OFFICE,
        None,
        ("Evaluation and Governance",),
    ),
)


# One line per demo account: site, mailbox, agency, role, team, full name.
# The email is <mailbox>@<site>.demo.example.org; the agency's slug is
# <site>-<agency>. London has a worker and a manager in every partner agency
# (so sharing between them shows); Hampshire and Cheshire have a police
# manager and a worker in every agency.
_STAFF_TABLE = """
london    police.worker     police        case_worker       sit    Morgan Brackenwhistle
london    police.worker2    police        case_worker       ppu    Priya Cinderquill
london    police.manager    police        team_manager      sit    Dominic Fennelby
london    police.admin      police        agency_admin      -      Harriet Lanternmoor
london    police.standards  police        professional_standards - Wilfred Brambleton
london    probation.worker  probation     case_worker       sst    Tobias Quillstead
london    probation.manager probation     team_manager      sst    Nadia Gorsewick
london    nhs.worker        mental-health case_worker       clinic Imogen Yarrowfold
london    nhs.manager       mental-health team_manager      clinic Felix Marrowcombe
london    advocacy.worker   advocacy      case_worker       adv    Grace Pebblethorn
london    advocacy.manager  advocacy      team_manager      adv    Samir Thimbleridge
london    panel.coordinator programme     panel_coordinator panel  Eleanor Kettlebrook
hampshire police.worker     police        case_worker       sit    Callum Heatherwick
hampshire police.manager    police        team_manager      sit    Rosa Inkleby
hampshire probation.worker  probation     case_worker       sst    Owen Saffronhatch
hampshire nhs.worker        mental-health case_worker       clinic Leah Umberfold
hampshire advocacy.worker   advocacy      case_worker       adv    Maya Willowquill
hampshire panel.coordinator programme     panel_coordinator panel  Theo Jasperridge
cheshire  police.worker     police        case_worker       sit    Aisha Nutmegstead
cheshire  police.manager    police        team_manager      sit    Gareth Otterwhistle
cheshire  probation.worker  probation     case_worker       sst    Bethan Rowancombe
cheshire  nhs.worker        mental-health case_worker       clinic Kwame Velvetthorn
cheshire  advocacy.worker   advocacy      case_worker       adv    Chloe Zephyrbrook
cheshire  panel.coordinator programme     panel_coordinator panel  Isaac Dapplemoor
national  helpline.adviser  helpline      helpline_adviser  help   Ruth Emberly
national  helpline.adviser2 helpline      helpline_adviser  help   Elliot Brindlecombe
national  helpline.manager  helpline      helpline_manager  help   Josephine Amberwick
national  analyst           programme     analyst           eval   Jonah Glimmerstead
national  auditor           programme     auditor           eval   Fatima Hollowquill
"""
_TEAMS = {
    "sit": "Stalking Investigation Team",
    "ppu": "Public Protection Unit",
    "sst": "Stalking Specialist Team",
    "clinic": "Stalking Clinic",
    "adv": "Advocacy Team",
    "panel": "Panel Office",
    "help": "Helpline Advisers",
    "eval": "Evaluation and Governance",
    "-": "",
}


def _staff_from(line: str) -> StaffSpec:
    site, mailbox, agency, role, team, full_name = line.split(maxsplit=5)
    return StaffSpec(
        email=f"{mailbox}@{site}.demo.example.org",
        full_name=full_name,
        agency=f"{site}-{agency}",
        role=RoleName(role),
        team=_TEAMS[team],
    )


STAFF: tuple[StaffSpec, ...] = tuple(
    _staff_from(line) for line in _STAFF_TABLE.strip().splitlines()
)

# --- People ------------------------------------------------------------------

GIVEN_FEMALE = (
    "Amelia",
    "Bethany",
    "Chloe",
    "Daisy",
    "Ella",
    "Freya",
    "Georgia",
    "Hannah",
    "Isla",
    "Jasmine",
    "Katie",
    "Lucy",
    "Megan",
    "Niamh",
    "Olivia",
    "Poppy",
    "Rebecca",
    "Sophie",
    "Tia",
    "Zara",
    "Aaliyah",
    "Leah",
    "Anjali",
    "Mei",
)
GIVEN_MALE = (
    "Aaron",
    "Ben",
    "Connor",
    "Daniel",
    "Ethan",
    "Finley",
    "George",
    "Harry",
    "Isaac",
    "Jack",
    "Kieran",
    "Liam",
    "Mason",
    "Nathan",
    "Oliver",
    "Reece",
    "Samuel",
    "Tyler",
    "Zain",
    "Kofi",
    "Ravi",
    "Tomasz",
)
GIVEN_NEUTRAL = ("Alex", "Charlie", "Jordan", "Robin", "Sam", "Jesse")

# Invented surnames are built from these halves ("Thimblewhistle").
SURNAME_HEADS = (
    "Bracken",
    "Cinder",
    "Dapple",
    "Ember",
    "Fennel",
    "Gorse",
    "Heather",
    "Inkle",
    "Jasper",
    "Kettle",
    "Lantern",
    "Marrow",
    "Nutmeg",
    "Otter",
    "Pebble",
    "Quill",
    "Rowan",
    "Saffron",
    "Thimble",
    "Umber",
    "Velvet",
    "Willow",
    "Yarrow",
    "Zephyr",
)
SURNAME_TAILS = (
    "whistle",
    "quill",
    "thorn",
    "wick",
    "moor",
    "hatch",
    "bottom",
    "fold",
    "combe",
    "ridge",
    "brook",
    "stead",
    "more",
    "by",
    "dale",
    "ford",
)
NICKNAMES = ("Dazza", "Big T", "Smudge", "Ace", "Buzz", "Sparky", "Red", "Tiny")
STREET_NAMES = (
    "Quillfeather",
    "Larkspire",
    "Brambleton",
    "Mossgate",
    "Tinderbox",
    "Copperkettle",
    "Foxglove",
    "Hazelnut",
    "Marigold",
    "Cobblestone",
    "Periwinkle",
    "Juniper",
    "Pipistrelle",
    "Wrenfield",
    "Ottermead",
)
STREET_KINDS = ("Road", "Lane", "Close", "Gardens", "Mews", "Way", "Crescent", "Street")
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
INTERPRETER_LANGUAGES = (
    "Polish",
    "Romanian",
    "Urdu",
    "Portuguese",
    "Arabic",
    "Tigrinya",
)
CODE_WORDS = (
    "Bluebell",
    "Kingfisher",
    "Lighthouse",
    "Marmalade",
    "Saltmarsh",
    "Tangerine",
    "Snowdrop",
    "Harbour",
    "Paperclip",
    "Meadowlark",
)
SAFE_TIMES = (
    "Weekdays 9am to 12pm",
    "Weekdays 10am to 2pm, while at work",
    "Tuesday and Thursday afternoons",
    "Any time after 7pm, when the children are in bed",
    "Weekday lunchtimes only",
)
SAFE_NOTES = (
    "Do not leave voicemail: the old phone contract is still in a shared account.",
    "Use the work mobile only; personal phone may be monitored.",
    "Email the new address only; the old email account was compromised.",
    "Introduce yourself as calling from the GP surgery if someone else answers.",
    "Text first and wait for a reply before calling.",
)
PLATFORMS = (
    "a photo-sharing app",
    "a social network",
    "a professional networking site",
    "a messaging app",
    "a video-sharing site",
)

# --- Cases -------------------------------------------------------------------

# Ex-partners first and most often, as in the published figures; then the rest.
RELATIONSHIP_WEIGHTS: tuple[tuple[str, int], ...] = (
    (RelationshipType.EX_PARTNER, 55),
    (RelationshipType.ACQUAINTANCE, 12),
    (RelationshipType.STRANGER, 10),
    (RelationshipType.COLLEAGUE, 8),
    (RelationshipType.FAMILY, 5),
    (RelationshipType.FRIEND, 4),
    (RelationshipType.PROFESSIONAL, 3),
    (RelationshipType.PUBLIC_FIGURE, 1),
    (RelationshipType.UNKNOWN, 2),
)

SUMMARIES: dict[str, str] = {
    RelationshipType.EX_PARTNER: (
        "{perp_full} has contacted, followed and watched {victim} since the "
        "relationship ended in {month}. Contact continued after a police warning."
    ),
    RelationshipType.PARTNER: (
        "{victim} reports that {perp_full} tracks their phone and turns up "
        "wherever they go, including at work."
    ),
    RelationshipType.ACQUAINTANCE: (
        "{perp_full}, who met {victim} through a local club, has sent unwanted "
        "messages and gifts and waits near their home since {month}."
    ),
    RelationshipType.STRANGER: (
        "A man later identified as {perp_full} has followed {victim} on their "
        "commute and begun to appear near their home since {month}."
    ),
    RelationshipType.COLLEAGUE: (
        "{perp_full}, a former colleague of {victim}, has sent repeated "
        "messages, made complaints to their employer and waited outside work "
        "since {month}."
    ),
    RelationshipType.FAMILY: (
        "{perp_full}, a relative of {victim}, has sent threatening letters and "
        "contacted friends and neighbours to find their new address since {month}."
    ),
    RelationshipType.FRIEND: (
        "{perp_full}, a former friend, has fixated on {victim} since a "
        "falling-out in {month}: messages, fake accounts and visits to the house."
    ),
    RelationshipType.PROFESSIONAL: (
        "{perp_full}, a former client of {victim}, has contacted them at work "
        "and at home and followed them from the office since {month}."
    ),
    RelationshipType.PUBLIC_FIGURE: (
        "{victim}, who presents a regional radio programme, has received letters "
        "and gifts from {perp_full} since {month}; recent letters name their street."
    ),
    RelationshipType.UNKNOWN: (
        "{victim} is receiving anonymous messages and deliveries since {month}; "
        "{perp_full} is the suspected sender."
    ),
}


@dataclass(frozen=True)
class IncidentTemplate:
    behaviours: tuple[Behaviour, ...]
    channels: tuple[Channel, ...]
    place: str  # "home", "work", "online", or a public place ("{town} station")
    narrative: str


B, C = Behaviour, Channel
INCIDENT_TEMPLATES: tuple[IncidentTemplate, ...] = (
    IncidentTemplate(
        (B.CONTACTING,),
        (C.TEXT,),
        "online",
        "Sent {n} messages overnight between 11pm and 4am, swinging from "
        "apologies to accusations. The last one read: \"You can't ignore "
        'me forever."',
    ),
    IncidentTemplate(
        (B.CONTACTING,),
        (C.PHONE,),
        "online",
        "Made {n} calls to {victim}'s mobile from a withheld number within "
        "an hour. {victim} did not answer; no voicemail was left.",
    ),
    IncidentTemplate(
        (B.CONTACTING,),
        (C.EMAIL,),
        "online",
        "Sent {n} emails to {victim}'s work address asking to meet \"just "
        'to talk". {victim} forwarded them to the officer in the case.',
    ),
    IncidentTemplate(
        (B.LOITERING, B.WATCHING),
        (C.IN_PERSON,),
        "home",
        "Seen parked outside {victim}'s home for about {minutes} minutes "
        "in the evening; drove off when a neighbour came out.",
    ),
    IncidentTemplate(
        (B.WATCHING,),
        (C.IN_PERSON,),
        "home",
        "A neighbour saw {perp} watching the house from the bus stop "
        "opposite on {k} evenings this week.",
    ),
    IncidentTemplate(
        (B.FOLLOWING,),
        (C.IN_PERSON,),
        "Supermarket car park, {street}",
        "Followed {victim} from the station to the supermarket, keeping "
        "about twenty metres behind, then waited by the exit.",
    ),
    IncidentTemplate(
        (B.PUBLISHING,),
        (C.SOCIAL_MEDIA,),
        "online",
        "Created a fake account in {victim}'s name on {platform} and posted "
        "photographs taken from their old profile.",
    ),
    IncidentTemplate(
        (B.PUBLISHING,),
        (C.SOCIAL_MEDIA,),
        "online",
        "Posted a long message on {platform} naming {victim} and accusing "
        "them of lying to the police; it was shared {n} times before it was "
        "taken down.",
    ),
    IncidentTemplate(
        (B.MONITORING,),
        (C.SPYWARE,),
        "online",
        "{victim} had an alert about a new sign-in to their email account "
        "from an unknown device; the recovery phone number had been changed.",
    ),
    IncidentTemplate(
        (B.MONITORING,),
        (C.TRACKING,),
        "home",
        "A Bluetooth tracker was found taped inside the rear wheel arch of "
        "{victim}'s car after a phone alert about an unknown tracker "
        "travelling with them.",
    ),
    IncidentTemplate(
        (B.PROPERTY,),
        (C.IN_PERSON,),
        "home",
        "Car tyres at {victim}'s home let down for the {nth} time; a message "
        "scratched into the driver's door.",
    ),
    IncidentTemplate(
        (B.CONTACTING,),
        (C.GIFTS,),
        "work",
        "Flowers and a card delivered to {victim}'s workplace: \"I'll always "
        'be here." The order had no sender name.',
    ),
    IncidentTemplate(
        (B.CONTACTING,),
        (C.THIRD_PARTY, C.SOCIAL_MEDIA),
        "online",
        "Contacted {victim}'s sister through {platform}, asking her to pass "
        "on a message and to say where {victim} is living now.",
    ),
    IncidentTemplate(
        (B.OTHER,),
        (C.ORDERS,),
        "home",
        "{n} parcels arrived in {victim}'s name for goods they did not "
        "order: takeaway food, a mattress and cleaning products.",
    ),
    IncidentTemplate(
        (B.OTHER,),
        (C.VEXATIOUS,),
        "work",
        "Made an anonymous complaint to {victim}'s employer alleging "
        "misconduct; the employer found nothing in it.",
    ),
    IncidentTemplate(
        (B.CONTACTING,),
        (C.LETTER,),
        "home",
        "Hand-written letter of {k} pages pushed through the letterbox "
        "overnight, describing {victim}'s new routine in detail.",
    ),
    IncidentTemplate(
        (B.CONTACTING,),
        (C.SOCIAL_MEDIA,),
        "online",
        "Sent {n} friend requests from newly made accounts; each new one "
        "appeared within minutes of the last being blocked.",
    ),
    IncidentTemplate(
        (B.LOITERING,),
        (C.IN_PERSON,),
        "work",
        "Waited outside {victim}'s workplace at the end of the shift and "
        "tried to walk with them to the car park.",
    ),
    IncidentTemplate(
        (B.CONTACTING,),
        (C.IN_PERSON,),
        "Leisure centre car park, {town}",
        "Approached {victim} in the gym car park saying they only wanted to "
        '"explain"; left when {victim} started filming on their phone.',
    ),
    IncidentTemplate(
        (B.MONITORING, B.WATCHING),
        (C.SOCIAL_MEDIA,),
        "online",
        "Commented on a friend's photo of {victim} within minutes of it "
        "being posted, naming the pub where it was taken.",
    ),
    IncidentTemplate(
        (B.FOLLOWING, B.WATCHING),
        (C.IN_PERSON,),
        "Train from {town} station",
        "On the same train carriage as {victim} every morning for {k} "
        "days, moving a little closer each time.",
    ),
    IncidentTemplate(
        (B.CONTACTING,),
        (C.TEXT,),
        "online",
        "Sent a photograph of {victim}'s front door taken that morning, with "
        'the message "Nice new curtains."',
    ),
)

IMPACTS = (
    "Could not sleep; kept getting up to check the window.",
    "{victim} has stopped going to the gym and changes their route to work daily.",
    "Felt physically sick reading the messages; took the day off work.",
    "{victim} says they feel watched all the time, even indoors.",
    "Afraid to be in the office car park alone; a colleague now walks with them.",
    "The children are asking why they cannot play in the front garden.",
    "Has closed their social media accounts and feels cut off from friends.",
    "Jumps every time the phone rings; has started to avoid answering.",
    "Has asked the landlord about moving; cannot afford to.",
    "Checks the car for trackers every morning before the school run.",
    "{victim} has told their manager and now works from a different office.",
    "Says they are exhausted from being on guard all the time.",
    "Has had a video doorbell and new locks fitted; still does not feel safe.",
    "",
)
WORKPLACES = (
    "the dental surgery",
    "the call centre",
    "the primary school",
    "the warehouse",
    "the council offices",
    "the café",
)

SHARE_REASONS = {
    AgencyKind.PROBATION: (
        (
            LawfulBasis.CRIME_AND_DISORDER,
            "{perp} is on licence; the supervising officer needs the incident "
            "history to review licence conditions.",
        ),
        (
            LawfulBasis.PUBLIC_TASK,
            "Joint management agreed at the {site} panel; probation to assess for the "
            "perpetrator programme.",
        ),
    ),
    AgencyKind.NHS_MENTAL_HEALTH: (
        (
            LawfulBasis.PUBLIC_TASK,
            "Referred to the stalking clinic for assessment and formulation, as agreed "
            "at the {site} panel.",
        ),
        (
            LawfulBasis.LAW_ENFORCEMENT,
            "Mental-health diversion being considered; the clinic needs the full "
            "picture of the conduct.",
        ),
    ),
    AgencyKind.POLICE: (
        (
            LawfulBasis.LAW_ENFORCEMENT,
            "{victim} has agreed to make a statement; police to investigate the "
            "conduct as stalking.",
        ),
    ),
    AgencyKind.ADVOCACY: (
        (
            LawfulBasis.CONSENT,
            "{victim} agreed to referral to the advocacy service for safety "
            "planning and support through the court process.",
        ),
    ),
}

STATUS_REASONS = {
    "screening": "Referral triaged; screening booked.",
    "accepted": "Screening complete; accepted for multi-agency management.",
    "active": "Discussed at panel; actions agreed for police, probation and health.",
    "monitoring": "No new incidents for six weeks; moved to monitoring.",
    "closed": "Closed after review at panel.",
}
RISK_REASONS = (
    "Stalking screening completed with the victim; several risk topics present.",
    "Professional judgement: escalation in frequency and a visit to the home address.",
    "Tracker found on the victim's car; risk raised pending review.",
    "Perpetrator engaging with the clinic and no contact for a month; risk lowered.",
)
CLOSURE_WEIGHTS: tuple[tuple[str, int], ...] = (
    (ClosureReason.RISK_REDUCED, 40),
    (ClosureReason.NO_CONTACT, 25),
    (ClosureReason.CUSTODY, 15),
    (ClosureReason.TRANSFERRED, 8),
    (ClosureReason.VICTIM_DECLINED, 8),
    (ClosureReason.INSUFFICIENT_INFO, 4),
)

GENERAL_NOTES = (
    "Spoke to {victim} at the agreed safe time; no new contact since the last review.",
    "Panel actions: probation to review licence conditions; advocate to update the "
    "safety plan; police to apply for an interim stalking protection order.",
    "{victim} informed of the charging decision and the next court date.",
    "Safety plan reviewed with {victim}: new locks fitted, route to work varied.",
    "Statement taken from the neighbour who saw {perp} outside the house.",
)
HEALTH_NOTES = (
    "Assessment attended. Formulation suggests a rejected-type presentation; "
    "engagement fair. Next session in two weeks.",
    "Missed the second appointment; GP contacted. Low mood reported at last contact.",
    "Engaging well with sessions; beginning to recognise the harm to the victim.",
)
INTEL_NOTES = (
    "Intelligence suggests {perp} obtained {victim}'s new work address from a mutual "
    "friend. Graded: reliable source, known indirectly.",
    "Vehicle linked to {perp} flagged by number-plate cameras near the victim's street "
    "three times this month.",
    "{perp} has asked associates about buying a tracking device.",
)
