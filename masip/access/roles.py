"""Roles, declared as data. A role is held per agency membership.

docs/access-control.md is generated from this module (``masip access-doc``)
and a test fails when the two drift apart.
"""

from dataclasses import dataclass

from django.db import models

from masip.access.permissions import Compartment, Permission, Scope

P = Permission


class RoleName(models.TextChoices):
    CASE_WORKER = "case_worker", "Case worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    HELPLINE_ADVISER = "helpline_adviser", "Helpline adviser"
    HELPLINE_MANAGER = "helpline_manager", "Helpline manager"
    PANEL_COORDINATOR = "panel_coordinator", "Panel coordinator"
    ANALYST = "analyst", "Analyst"
    AUDITOR = "auditor", "Auditor"
    AGENCY_ADMIN = "agency_admin", "Agency administrator"
    PROFESSIONAL_STANDARDS = "professional_standards", "Professional standards"


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police force"
    PROBATION = "probation", "Probation service"
    NHS_MENTAL_HEALTH = "nhs_mental_health", "NHS mental health trust"
    ADVOCACY = "advocacy", "Stalking advocacy service"
    HELPLINE = "helpline", "National helpline"
    CPS = "cps", "Crown Prosecution Service"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    PROGRAMME_OFFICE = "programme_office", "Programme office"


@dataclass(frozen=True)
class Role:
    name: RoleName
    description: str
    scope: Scope
    permissions: frozenset[Permission]
    compartments: frozenset[Compartment] = frozenset()
    requires_purpose: bool = False
    # The kinds of agency in which the role means anything; empty: any kind.
    # A membership holding the role in another kind of agency grants nothing.
    agency_kinds: frozenset[AgencyKind] = frozenset()

    @property
    def label(self) -> str:
        return str(self.name.label)


_CASEWORK = frozenset(
    {
        P.CASE_VIEW,
        P.CASE_CREATE,
        P.CASE_EDIT,
        P.CASE_CHANGE_STATUS,
        P.CASE_CHANGE_RISK,
        P.PERSON_VIEW,
        P.PERSON_ADD,
        P.PERSON_EDIT,
        P.INCIDENT_VIEW,
        P.INCIDENT_RECORD,
        P.INCIDENT_EDIT,
        P.NOTE_VIEW,
        P.NOTE_ADD,
        P.EVIDENCE_VIEW,
        P.EVIDENCE_UPLOAD,
        P.EVIDENCE_DOWNLOAD,
        P.RISK_VIEW,
        P.RISK_ASSESS,
        P.REFERRAL_MAKE,
        P.PANEL_VIEW,
        P.ACTION_VIEW,
        P.ACTION_UPDATE,
        P.CASE_CLOSE_REQUEST,
        P.ORDER_VIEW,
        P.ORDER_RECORD,
        P.INTERVENTION_VIEW,
        P.INTERVENTION_RECORD,
        P.SAFETY_PLAN_VIEW,
        P.SAFETY_PLAN_EDIT,
        P.VICTIM_CONTACT_VIEW,
        P.VICTIM_CONTACT_LOG,
    }
)
_HELPLINE = frozenset(
    {
        P.CASE_VIEW,
        P.CASE_CREATE,
        P.PERSON_VIEW,
        P.PERSON_ADD,
        P.INCIDENT_VIEW,
        P.INCIDENT_RECORD,
        P.RISK_VIEW,
        P.RISK_ASSESS,
        P.REFERRAL_MAKE,
        P.HELPLINE_CONTACT_LOG,
    }
)
_ALL_COMPARTMENTS = frozenset(Compartment)

ROLES: dict[RoleName, Role] = {
    role.name: role
    for role in (
        Role(
            name=RoleName.CASE_WORKER,
            description=(
                "A practitioner (police officer, probation officer, clinician, "
                "advocate) working the cases their agency leads or that are "
                "shared with it: records people, incidents, notes and "
                "evidence files, orders and their breaches, interventions, the "
                "victim's safety plan and every contact with the victim (checked "
                "against the victim's safe-contact rules)."
            ),
            scope=Scope.AGENCY,
            permissions=_CASEWORK,
            compartments=_ALL_COMPARTMENTS,
        ),
        Role(
            name=RoleName.TEAM_MANAGER,
            description=(
                "Leads a team: everything a case worker does, plus allocating "
                "workers, sharing cases with other agencies, closing cases, "
                "reading a case's access log, breaking the glass in an "
                "emergency, handling security alerts about their agency's "
                "staff, and reviewing their agency's closed cases for "
                "retention or disposal; marks a case their agency leads as "
                "involving an agency's own staff, reads their team's declared "
                "conflicts of interest, prepares and reviews subject access "
                "disclosures for their agency (but cannot release one), and "
                "may export the case list (CSV, spreadsheet, PDF) with a fresh "
                "second factor and a stated purpose."
            ),
            scope=Scope.AGENCY,
            permissions=_CASEWORK
            | {
                P.CASE_ALLOCATE,
                P.CASE_SHARE,
                P.CASE_CLOSE,
                P.CASE_ACCESS_LOG_VIEW,
                P.CASE_BREAK_GLASS,
                P.RETENTION_REVIEW,
                P.ALERT_MANAGE,
                P.CASE_STAFF_INVOLVED_MARK,
                P.CONFLICT_VIEW_STAFF,
                P.SAR_MANAGE,
                P.EXPORT_CSV,
                P.EXPORT_XLSX,
                P.EXPORT_PDF,
            },
            compartments=_ALL_COMPARTMENTS,
        ),
        Role(
            name=RoleName.HELPLINE_ADVISER,
            description=(
                "Takes calls, emails and webchats on the national helpline: logs "
                "each contact (anonymous by default), screens risk, gives advice "
                "and, with the caller's consent, hands a contact over as a "
                "referral into a site's programme (or refers a new case); reads "
                "the helpline's contacts, never an agency's cases beyond the "
                "referrals they made, and without the sealed compartments."
            ),
            scope=Scope.OWN_REFERRALS,
            permissions=_HELPLINE,
        ),
        Role(
            name=RoleName.HELPLINE_MANAGER,
            description=(
                "Manages the national helpline: everything an adviser does, plus "
                "the helpline's statistics (with small numbers suppressed in "
                "exports) and the list of advice topics advisers choose from."
            ),
            scope=Scope.OWN_REFERRALS,
            permissions=_HELPLINE | {P.HELPLINE_STATS_VIEW, P.HELPLINE_ADVICE_MANAGE},
            agency_kinds=frozenset({AgencyKind.HELPLINE}),
        ),
        Role(
            name=RoleName.PANEL_COORDINATOR,
            description=(
                "Runs the multi-agency panels for a site: triages the referrals "
                "into the site's programme (accepting one opens or joins a case "
                "and involves the agencies), reads the cases led in that site "
                "to prepare agendas, and their risk pictures, without sealed "
                "compartments; runs the meetings (agenda, attendance, "
                "information-sharing records, decisions, actions, minutes); "
                "reads the orders, interventions, the victim-update log and "
                "whether a safety plan is agreed (not its content); must state "
                "a purpose before opening a case; may print the case list as a "
                "PDF for a panel pack."
            ),
            scope=Scope.SITE,
            permissions=frozenset(
                {
                    P.CASE_VIEW,
                    P.PERSON_VIEW,
                    P.INCIDENT_VIEW,
                    P.RISK_VIEW,
                    P.EXPORT_PDF,
                    P.REFERRAL_TRIAGE,
                    P.PANEL_VIEW,
                    P.PANEL_MANAGE,
                    P.ACTION_VIEW,
                    P.ORDER_VIEW,
                    P.INTERVENTION_VIEW,
                    P.SAFETY_PLAN_VIEW,
                    P.VICTIM_CONTACT_VIEW,
                }
            ),
            requires_purpose=True,
        ),
        Role(
            name=RoleName.ANALYST,
            description=(
                "Evaluates the programme from aggregate figures with small "
                "numbers suppressed; reads no case records."
            ),
            scope=Scope.NONE,
            permissions=frozenset({P.REPORT_VIEW_AGGREGATE}),
        ),
        Role(
            name=RoleName.AUDITOR,
            description=(
                "Information governance: reads any case and its access log to "
                "investigate a concern, never the sealed compartments; must state "
                "a purpose before opening a case; changes nothing."
            ),
            scope=Scope.ALL,
            permissions=frozenset(
                {
                    P.CASE_VIEW,
                    P.PERSON_VIEW,
                    P.INCIDENT_VIEW,
                    P.CASE_ACCESS_LOG_VIEW,
                    P.AUDIT_VIEW,
                }
            ),
            requires_purpose=True,
        ),
        Role(
            name=RoleName.AGENCY_ADMIN,
            description=(
                "Manages the staff and roles of one agency, handles security "
                "alerts about them, and is the agency's information-rights "
                "function: handles subject access requests and releases the "
                "reviewed disclosure (never one they drafted). Reads no case "
                "records otherwise."
            ),
            scope=Scope.NONE,
            permissions=frozenset(
                {P.MEMBERSHIP_MANAGE, P.ALERT_MANAGE, P.SAR_MANAGE, P.SAR_RELEASE}
            ),
        ),
        Role(
            name=RoleName.PROFESSIONAL_STANDARDS,
            description=(
                "The professional standards (counter-corruption) function of a "
                "police force, probation service or NHS trust: the only people "
                "in their agency who may open a case marked as involving their "
                "agency's own staff, and then only those cases, read only, "
                "without the victim's location, after stating a purpose. May "
                "mark a case as involving another agency's staff, clear their "
                "own agency's mark, and read their staff's declared conflicts "
                "of interest."
            ),
            scope=Scope.STAFF_INVOLVED,
            permissions=frozenset(
                {
                    P.CASE_VIEW,
                    P.PERSON_VIEW,
                    P.INCIDENT_VIEW,
                    P.NOTE_VIEW,
                    P.CASE_ACCESS_LOG_VIEW,
                    P.CASE_STAFF_INVOLVED_MARK,
                    P.CONFLICT_VIEW_STAFF,
                }
            ),
            compartments=frozenset({Compartment.POLICE_INTEL}),
            requires_purpose=True,
            agency_kinds=frozenset(
                {
                    AgencyKind.POLICE,
                    AgencyKind.PROBATION,
                    AgencyKind.NHS_MENTAL_HEALTH,
                }
            ),
        ),
    )
}

# What each kind of agency may ever see inside a case, whatever the role.
AGENCY_COMPARTMENTS: dict[AgencyKind, frozenset[Compartment]] = {
    AgencyKind.POLICE: frozenset(
        {Compartment.VICTIM_CONTACT, Compartment.POLICE_INTEL}
    ),
    AgencyKind.PROBATION: frozenset(),
    AgencyKind.NHS_MENTAL_HEALTH: frozenset({Compartment.HEALTH}),
    AgencyKind.ADVOCACY: frozenset({Compartment.VICTIM_CONTACT}),
    AgencyKind.HELPLINE: frozenset(),
    AgencyKind.CPS: frozenset(),
    AgencyKind.LOCAL_AUTHORITY: frozenset(),
    AgencyKind.PROGRAMME_OFFICE: frozenset(),
}
