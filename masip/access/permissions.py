"""The verbs of MASIP, the reach of a role, and the compartments inside a case."""

from enum import StrEnum


class Permission(StrEnum):
    """What a role may do. Named ``<OBJECT>_<VERB>``."""

    CASE_VIEW = "case_view"
    CASE_CREATE = "case_create"
    CASE_EDIT = "case_edit"
    CASE_CHANGE_STATUS = "case_change_status"
    CASE_CHANGE_RISK = "case_change_risk"
    CASE_CLOSE = "case_close"
    CASE_ALLOCATE = "case_allocate"
    CASE_SHARE = "case_share"
    CASE_ACCESS_LOG_VIEW = "case_access_log_view"
    CASE_BREAK_GLASS = "case_break_glass"
    PERSON_VIEW = "person_view"
    PERSON_ADD = "person_add"
    PERSON_EDIT = "person_edit"
    INCIDENT_VIEW = "incident_view"
    INCIDENT_RECORD = "incident_record"
    INCIDENT_EDIT = "incident_edit"
    NOTE_VIEW = "note_view"
    NOTE_ADD = "note_add"
    REPORT_VIEW_AGGREGATE = "report_view_aggregate"
    AUDIT_VIEW = "audit_view"
    MEMBERSHIP_MANAGE = "membership_manage"
    RETENTION_REVIEW = "retention_review"
    ALERT_MANAGE = "alert_manage"
    CASE_STAFF_INVOLVED_MARK = "case_staff_involved_mark"
    CONFLICT_VIEW_STAFF = "conflict_view_staff"
    # Subject access requests (ADR 0016): record, verify, draft and review;
    # releasing is a separate verb so that it can sit with designated roles.
    SAR_MANAGE = "sar_manage"
    SAR_RELEASE = "sar_release"
    # Exporting the case list: one grant per format (a spreadsheet travels
    # further than a printed list), each behind step-up and a stated purpose.
    EXPORT_CSV = "export_csv"
    EXPORT_XLSX = "export_xlsx"
    EXPORT_PDF = "export_pdf"
    # The evidence vault (ADR 0022): the list, item pages and display copies
    # (metadata removed); adding files; downloading the original as it
    # arrived, metadata and all.
    EVIDENCE_VIEW = "evidence_view"
    EVIDENCE_UPLOAD = "evidence_upload"
    EVIDENCE_DOWNLOAD = "evidence_download"
    # Risk (issue 5): the case's risk picture and assessments (answers held in
    # a compartment need it too, unless the reader's agency recorded them);
    # recording a new assessment.
    RISK_VIEW = "risk_view"
    RISK_ASSESS = "risk_assess"
    # Referrals into a site's programme (issue 6): making one; triaging the
    # site's queue (accept into a case, decline, ask for more).
    REFERRAL_MAKE = "referral_make"
    REFERRAL_TRIAGE = "referral_triage"
    # Multi-agency panels: reading the meetings of panels one's agency sits on
    # and one's agency's pack; running meetings (agenda, attendance, records,
    # minutes) as the site's coordinator.
    PANEL_VIEW = "panel_view"
    PANEL_MANAGE = "panel_manage"
    # Actions agreed at panel: reading them; updating and completing those
    # one's own agency owns.
    ACTION_VIEW = "action_view"
    ACTION_UPDATE = "action_update"
    # Closing a case: asking for closure (checklist and reason) is casework;
    # approving it is CASE_CLOSE (a manager, never the one who asked).
    CASE_CLOSE_REQUEST = "case_close_request"
    # Orders and their conditions, notification requirements and breaches
    # (issue 7): reading them; recording orders, variations, breaches and
    # deciding the possible breaches the system suggests.
    ORDER_VIEW = "order_view"
    ORDER_RECORD = "order_record"
    # Perpetrator interventions (supervision, treatment, programmes, police
    # disruption) and custody: reading them; recording them and their sessions.
    INTERVENTION_VIEW = "intervention_view"
    INTERVENTION_RECORD = "intervention_record"
    # The victim's safety plan (its content sits in the victim location and
    # contact compartment as well): reading it; writing a new version.
    SAFETY_PLAN_VIEW = "safety_plan_view"
    SAFETY_PLAN_EDIT = "safety_plan_edit"
    # The one victim-update log across agencies: reading what the victim was
    # told; logging or scheduling a contact (checked against the victim's
    # safe-contact rules, and needing the victim contact compartment).
    VICTIM_CONTACT_VIEW = "victim_contact_view"
    VICTIM_CONTACT_LOG = "victim_contact_log"
    # The national helpline (issue 8): taking contacts (logging a live call,
    # resuming a draft, reading the helpline's contacts, handing one over with
    # consent); the helpline's statistics; keeping the list of advice topics.
    HELPLINE_CONTACT_LOG = "helpline_contact_log"
    HELPLINE_STATS_VIEW = "helpline_stats_view"
    HELPLINE_ADVICE_MANAGE = "helpline_advice_manage"


class Scope(StrEnum):
    """Which cases a role reaches (before any share or break-the-glass grant)."""

    NONE = "none"
    OWN_REFERRALS = "own_referrals"
    AGENCY = "agency"
    SITE = "site"
    ALL = "all"
    STAFF_INVOLVED = "staff_involved"


class Compartment(StrEnum):
    """Sensitive parts of a case that a role sees only where granted."""

    VICTIM_CONTACT = "victim_contact"
    HEALTH = "health"
    POLICE_INTEL = "police_intel"

    @property
    def label(self) -> str:
        return COMPARTMENT_LABELS[self]


COMPARTMENT_LABELS = {
    Compartment.VICTIM_CONTACT: "Victim location and contact details",
    Compartment.HEALTH: "Health and clinical information",
    Compartment.POLICE_INTEL: "Police intelligence",
}

SCOPE_DESCRIPTIONS = {
    Scope.NONE: "No case records.",
    Scope.OWN_REFERRALS: "Cases the person referred themselves.",
    Scope.AGENCY: (
        "Cases their agency leads, and cases shared with their agency "
        "(until the share expires or is revoked)."
    ),
    Scope.SITE: "Cases led by any agency in their site, read only.",
    Scope.ALL: "Every case, read only.",
    Scope.STAFF_INVOLVED: (
        "Cases marked as involving a member of their own agency's staff, read only."
    ),
}
