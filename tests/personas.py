"""The standard cast for tests: one case, and a person in every position around it.

``case`` is led by ``police_a`` (site A) and shared with ``probation_a`` (no
compartments), ``nhs_a`` (health) and ``advocacy_a`` (victim contact).
``other_case`` is led by ``police_b`` in site B. ``professional_standards``
works in ``police_a`` and reaches ``case`` only once it is marked as involving
Police A's staff. Every persona's password is
``TEST_PASSWORD``, and every persona has a confirmed authenticator app
(``authenticator_for``; ``totp_code`` gives its current code).
"""

from dataclasses import dataclass

from masip.access.roles import AgencyKind, RoleName
from masip.accounts.models import Agency, User
from masip.accounts.tests.factories import (
    AgencyFactory,
    MembershipFactory,
    SiteFactory,
    UserFactory,
    authenticator_for,
)
from masip.cases.models import Case, CaseNote, ParticipantRole
from masip.cases.tests.factories import (
    CaseAllocationFactory,
    CaseFactory,
    CaseNoteFactory,
    CaseParticipantFactory,
    CaseShareFactory,
)
from masip.incidents.models import Incident
from masip.incidents.tests.factories import IncidentFactory
from masip.people.models import Person
from masip.people.tests.factories import (
    AddressFactory,
    PersonFactory,
    PersonIdentifierFactory,
    SafeContactPreferenceFactory,
)

# Who should reach ``case`` (the rest get 404 on every case URL).
REACHES_CASE = {
    "lead_worker",
    "lead_manager",
    "partner_worker",
    "clinician",
    "advocate",
    "panel_coordinator",
    "auditor",
}
PERSONAS = (
    "lead_worker",
    "lead_manager",
    "partner_worker",
    "clinician",
    "advocate",
    "outsider",
    "outsider_manager",
    "helpline_adviser",
    "helpline_manager",
    "panel_coordinator",
    "analyst",
    "auditor",
    "agency_admin",
    "professional_standards",
)


@dataclass
class Cast:
    police_a: Agency
    probation_a: Agency
    nhs_a: Agency
    advocacy_a: Agency
    programme_a: Agency
    police_b: Agency
    helpline: Agency
    lead_worker: User
    lead_manager: User
    partner_worker: User
    clinician: User
    advocate: User
    outsider: User
    outsider_manager: User
    helpline_adviser: User
    helpline_manager: User
    panel_coordinator: User
    analyst: User
    auditor: User
    agency_admin: User
    professional_standards: User
    case: Case
    other_case: Case
    victim: Person
    perpetrator: Person
    incident: Incident

    def persona(self, name: str) -> User:
        return getattr(self, name)


def _member(agency: Agency, role: RoleName, name: str) -> User:
    user = UserFactory(
        email=f"{name}@example.test", full_name=name.replace("_", " ").title()
    )
    MembershipFactory(user=user, agency=agency, role=role)
    authenticator_for(user)
    return user


def build_cast() -> Cast:
    site_a = SiteFactory(name="Site A", slug="site-a")
    site_b = SiteFactory(name="Site B", slug="site-b")
    agencies = {
        "police_a": AgencyFactory(name="Police A", kind=AgencyKind.POLICE, site=site_a),
        "probation_a": AgencyFactory(
            name="Probation A", kind=AgencyKind.PROBATION, site=site_a
        ),
        "nhs_a": AgencyFactory(
            name="NHS Trust A", kind=AgencyKind.NHS_MENTAL_HEALTH, site=site_a
        ),
        "advocacy_a": AgencyFactory(
            name="Advocacy A", kind=AgencyKind.ADVOCACY, site=site_a
        ),
        "programme_a": AgencyFactory(
            name="Programme Office A", kind=AgencyKind.PROGRAMME_OFFICE, site=site_a
        ),
        "police_b": AgencyFactory(name="Police B", kind=AgencyKind.POLICE, site=site_b),
        "helpline": AgencyFactory(name="Helpline", kind=AgencyKind.HELPLINE, site=None),
    }
    R = RoleName
    users = {
        "lead_worker": _member(agencies["police_a"], R.CASE_WORKER, "lead_worker"),
        "lead_manager": _member(agencies["police_a"], R.TEAM_MANAGER, "lead_manager"),
        "partner_worker": _member(
            agencies["probation_a"], R.CASE_WORKER, "partner_worker"
        ),
        "clinician": _member(agencies["nhs_a"], R.CASE_WORKER, "clinician"),
        "advocate": _member(agencies["advocacy_a"], R.CASE_WORKER, "advocate"),
        "outsider": _member(agencies["police_b"], R.CASE_WORKER, "outsider"),
        "outsider_manager": _member(
            agencies["police_b"], R.TEAM_MANAGER, "outsider_manager"
        ),
        "helpline_manager": _member(
            agencies["helpline"], R.HELPLINE_MANAGER, "helpline_manager"
        ),
        "helpline_adviser": _member(
            agencies["helpline"], R.HELPLINE_ADVISER, "helpline_adviser"
        ),
        "panel_coordinator": _member(
            agencies["programme_a"], R.PANEL_COORDINATOR, "panel_coordinator"
        ),
        "analyst": _member(agencies["programme_a"], R.ANALYST, "analyst"),
        "auditor": _member(agencies["programme_a"], R.AUDITOR, "auditor"),
        "agency_admin": _member(agencies["police_a"], R.AGENCY_ADMIN, "agency_admin"),
        "professional_standards": _member(
            agencies["police_a"], R.PROFESSIONAL_STANDARDS, "professional_standards"
        ),
    }
    case = CaseFactory(
        lead_agency=agencies["police_a"], created_by=users["lead_worker"]
    )
    CaseAllocationFactory(
        case=case, user=users["lead_worker"], allocated_by=users["lead_manager"]
    )
    CaseShareFactory(
        case=case, agency=agencies["probation_a"], granted_by=users["lead_manager"]
    )
    CaseShareFactory(
        case=case,
        agency=agencies["nhs_a"],
        granted_by=users["lead_manager"],
        compartments=["health"],
    )
    CaseShareFactory(
        case=case,
        agency=agencies["advocacy_a"],
        granted_by=users["lead_manager"],
        compartments=["victim_contact"],
    )
    victim = PersonFactory(
        given_name="Avery",
        family_name="Testvictim",
        created_by=users["lead_worker"],
        created_by_agency=agencies["police_a"],
    )
    perpetrator = PersonFactory(
        given_name="Blake",
        family_name="Testperp",
        created_by=users["lead_worker"],
        created_by_agency=agencies["police_a"],
    )
    CaseParticipantFactory(
        case=case,
        person=victim,
        role=ParticipantRole.VICTIM,
        added_by=users["lead_worker"],
    )
    CaseParticipantFactory(
        case=case,
        person=perpetrator,
        role=ParticipantRole.PERPETRATOR,
        added_by=users["lead_worker"],
    )
    AddressFactory(person=victim, line_1="1 Sealed Street")
    PersonIdentifierFactory(person=victim, value="07700 900123")
    SafeContactPreferenceFactory(person=victim)
    incident = IncidentFactory(
        case=case,
        recorded_by=users["lead_worker"],
        recorded_by_agency=agencies["police_a"],
    )
    CaseNoteFactory(
        case=case,
        kind=CaseNote.Kind.HEALTH,
        text="Clinical note: sealed health text.",
        author=users["clinician"],
        agency=agencies["nhs_a"],
    )
    CaseNoteFactory(
        case=case,
        kind=CaseNote.Kind.POLICE_INTEL,
        text="Intelligence: sealed police text.",
        author=users["lead_worker"],
        agency=agencies["police_a"],
    )
    other_case = CaseFactory(
        lead_agency=agencies["police_b"], created_by=users["outsider"]
    )
    return Cast(
        **agencies,
        **users,
        case=case,
        other_case=other_case,
        victim=victim,
        perpetrator=perpetrator,
        incident=incident,
    )
