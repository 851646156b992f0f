"""The audit vocabulary: every kind of event, with the words shown to people."""

from django.db import models


class EventType(models.TextChoices):
    SIGN_IN_SUCCEEDED = "sign_in.succeeded", "Signed in"
    SIGN_IN_FAILED = "sign_in.failed", "Failed to sign in"
    SIGN_IN_LOCKED = "sign_in.locked", "Sign-in refused: account locked"
    SIGNED_OUT = "signed_out", "Signed out"
    MFA_VERIFIED = "mfa.verified", "Confirmed sign-in with a second factor"
    MFA_FAILED = "mfa.failed", "Entered a wrong sign-in code"
    MFA_ENROLLED = "mfa.enrolled", "Set up an authenticator app"
    RECOVERY_CODE_USED = "mfa.recovery_code_used", "Signed in with a recovery code"
    CASE_CREATED = "case.created", "Created the case"
    CASE_VIEWED = "case.viewed", "Viewed the case"
    CASE_PAGE_OPENED = "case.page_opened", "Opened a page of the case"
    CASE_UPDATED = "case.updated", "Changed the case details"
    CASE_STATUS_CHANGED = "case.status_changed", "Changed the status"
    CASE_RISK_CHANGED = "case.risk_changed", "Changed the risk level"
    CASE_ALLOCATED = "case.allocated", "Allocated a worker"
    CASE_DEALLOCATED = "case.deallocated", "Removed a worker"
    CASE_SHARED = "case.shared", "Shared the case with an agency"
    CASE_SHARE_REVOKED = "case.share_revoked", "Stopped sharing the case"
    CASE_BREAK_GLASS = "case.break_glass", "Broke the glass to open the case"
    CASE_PURPOSE_GIVEN = "case.purpose_given", "Gave a purpose for opening the case"
    CASE_ACCESS_LOG_VIEWED = "case.access_log_viewed", "Viewed the access log"
    CASE_LIST_VIEWED = "case.list_viewed", "Viewed a list of cases"
    PERSON_ADDED = "person.added", "Added a person"
    PERSON_VIEWED = "person.viewed", "Viewed a person"
    PERSON_UPDATED = "person.updated", "Changed a person's details"
    PERSON_CONTACT_ADDED = "person.contact_added", "Added an address or identifier"
    PERSON_SAFE_CONTACT_UPDATED = (
        "person.safe_contact_updated",
        "Changed safe-contact preferences",
    )
    INCIDENT_RECORDED = "incident.recorded", "Recorded an incident"
    INCIDENT_VIEWED = "incident.viewed", "Viewed an incident"
    INCIDENT_UPDATED = "incident.updated", "Changed an incident"
    NOTE_ADDED = "note.added", "Added a note"
    REPORT_VIEWED = "report.viewed", "Viewed aggregate reports"
    AUDIT_LOG_VIEWED = "audit.viewed", "Viewed the audit trail"
    MEMBERSHIP_CHANGED = "membership.changed", "Changed a staff membership"
    USER_CREATED = "user.created", "Created a user account"
    CASE_BREAK_GLASS_NOT_FOUND = (
        "case.break_glass_not_found",
        "Tried to break the glass: no case has that reference",
    )
    # Step-up: a fresh second factor before a sensitive action.
    STEP_UP_VERIFIED = (
        "step_up.verified",
        "Confirmed a second factor for a sensitive action",
    )
    STEP_UP_FAILED = "step_up.failed", "Entered a wrong code for a sensitive action"
    SEALED_REVEALED = "sealed.revealed", "Revealed victim location or contact details"
    SEALED_REVEAL_ENDED = (
        "sealed.reveal_ended",
        "Ended a reveal of victim location or contact details",
    )
    EXPORT_CREATED = "export.created", "Exported records"
    # Conflicts of interest and cases that involve an agency's own staff.
    CONFLICT_DECLARED = "conflict.declared", "Declared a conflict of interest"
    CONFLICT_ACCESS_BLOCKED = (
        "conflict.access_blocked",
        "Refused access: a declared conflict of interest",
    )
    CASE_STAFF_INVOLVED_SET = (
        "case.staff_involved_set",
        "Marked the case as involving an agency's staff",
    )
    STAFF_INVOLVED_ACCESS_BLOCKED = (
        "case.staff_involved_blocked",
        "Refused access: the case involves the user's own agency's staff",
    )
    # Insider detection.
    ALERT_RAISED = "alert.raised", "Raised a security alert"
    ALERT_ACKNOWLEDGED = "alert.acknowledged", "Acknowledged a security alert"
    ALERT_CLOSED = "alert.closed", "Closed a security alert with an outcome"
    # Subject access requests.
    SAR_RECORDED = "sar.recorded", "Recorded a subject access request"
    SAR_IDENTITY_VERIFIED = "sar.identity_verified", "Verified the requester's identity"
    SAR_DRAFT_BUILT = "sar.draft_built", "Built the draft disclosure"
    SAR_ITEM_REVIEWED = "sar.item_reviewed", "Reviewed an item of a disclosure"
    SAR_RELEASED = "sar.released", "Released a subject access disclosure"
    # Keys and second factors.
    KEYS_ROTATED = "keys.rotated", "Re-encrypted sealed fields under a new key"
    WEBAUTHN_REGISTERED = "mfa.webauthn_registered", "Registered a security key"
    WEBAUTHN_REMOVED = "mfa.webauthn_removed", "Removed a security key"
    # Retention review and disposal.
    RETENTION_REVIEWED = "retention.reviewed", "Recorded a retention decision"
    CASE_DISPOSED = "case.disposed", "Disposed of the case after review"
    WEBAUTHN_SIGN_COUNT_REJECTED = (
        "mfa.webauthn_sign_count_rejected",
        "Refused a security key: its signature counter went backwards",
    )
    # Staff-involved marks cleared and conflicts withdrawn (reopen access).
    CASE_STAFF_INVOLVED_CLEARED = (
        "case.staff_involved_cleared",
        "Cleared the mark that the case involves an agency's staff",
    )
    CONFLICT_WITHDRAWN = "conflict.withdrawn", "Withdrew a conflict of interest"
    CONFLICT_LIST_VIEWED = (
        "conflict.list_viewed",
        "Viewed the declared conflicts of interest of their staff",
    )
    MFA_RESET = "mfa.reset", "Reset a user's second factors (they set one up again)"
    SAR_SUBJECTS_LINKED = "sar.subjects_linked", "Linked the requester to records"
    SAR_EXTENDED = "sar.extended", "Extended the deadline of a subject access request"
    SAR_ITEM_VIEWED = "sar.item_viewed", "Opened an item of a disclosure for review"
    SAR_RELEASE_REFUSED = "sar.release_refused", "Refused to release a disclosure"
    SAR_DOCUMENT_DOWNLOADED = (
        "sar.document_downloaded",
        "Downloaded a released subject access disclosure",
    )
    STAFF_HOME_ADDRESS_SET = (
        "staff.home_address_set",
        "Recorded a member of staff's home address (for conflict checks)",
    )
    STAFF_HOME_ADDRESS_REMOVED = (
        "staff.home_address_removed",
        "Removed a member of staff's home address",
    )
    # The evidence vault: its chain of custody (ADR 0022).
    EVIDENCE_UPLOADED = "evidence.uploaded", "Uploaded evidence"
    EVIDENCE_VIEWED = "evidence.viewed", "Viewed evidence"
    EVIDENCE_DISPLAY_VIEWED = (
        "evidence.display_viewed",
        "Viewed the display copy of evidence (metadata removed)",
    )
    EVIDENCE_DOWNLOADED = "evidence.downloaded", "Downloaded the original evidence file"
    EVIDENCE_EXPORTED = "evidence.exported", "Exported evidence"
    EVIDENCE_VERIFIED = "evidence.verified", "Re-checked evidence: it matches its hash"
    EVIDENCE_VERIFY_FAILED = (
        "evidence.verify_failed",
        "Re-checked evidence: it does not match its hash",
    )
    EVIDENCE_IMPORT_STARTED = (
        "evidence.import_started",
        "Started importing evidence into the timeline",
    )
    EVIDENCE_IMPORTED = (
        "evidence.imported",
        "Imported evidence into the timeline",
    )
    EVIDENCE_IMPORT_FAILED = (
        "evidence.import_failed",
        "Could not import evidence into the timeline",
    )
    TIMELINE_PERPETRATOR_SET = (
        "evidence.timeline_perpetrator_set",
        "Named the perpetrator among an import's participants",
    )
    TIMELINE_VIEWED = "evidence.timeline_viewed", "Viewed the evidence timeline"
    CONDUCT_VIEWED = (
        "evidence.conduct_viewed",
        "Viewed the course-of-conduct figures of the evidence",
    )
    RISK_ASSESSED = "risk.assessed", "Recorded a risk assessment"
    RISK_ASSESSMENT_VIEWED = (
        "risk.assessment_viewed",
        "Viewed the answers of a risk assessment",
    )
    RISK_PICTURE_VIEWED = "risk.picture_viewed", "Viewed the case's risk picture"
    RISK_REVIEW_FLAGGED = "risk.review_flagged", "Marked a case for a risk review"
    RISK_PANEL_QUEUED = "risk.panel_queued", "Queued a case for the next panel"
    REFERRAL_SUBMITTED = "referral.submitted", "Made a referral to a programme"
    REFERRAL_VIEWED = "referral.viewed", "Viewed a referral"
    REFERRAL_UPDATED = "referral.updated", "Added information to a referral"
    REFERRAL_ACCEPTED = "referral.accepted", "Accepted a referral"
    REFERRAL_DECLINED = "referral.declined", "Declined a referral"
    REFERRAL_INFO_REQUESTED = (
        "referral.info_requested",
        "Asked the referrer for more information",
    )
    REFERRAL_MATCHES_SHOWN = (
        "referral.matches_shown",
        "Was shown possible matches for a referral's people",
    )
    PANEL_UPDATED = "panel.updated", "Changed a panel's member agencies"
    MEETING_SCHEDULED = "panel.meeting_scheduled", "Scheduled a panel meeting"
    MEETING_UPDATED = "panel.meeting_updated", "Changed a panel meeting"
    MEETING_VIEWED = "panel.meeting_viewed", "Viewed a panel meeting"
    AGENDA_CHANGED = "panel.agenda_changed", "Changed a meeting's agenda"
    ATTENDANCE_RECORDED = "panel.attendance_recorded", "Recorded attendance"
    DISCUSSION_RECORDED = (
        "panel.discussion_recorded",
        "Recorded the panel's discussion of a case",
    )
    INFORMATION_SHARE_RECORDED = (
        "panel.information_shared",
        "Recorded information shared at panel",
    )
    PANEL_PACK_DOWNLOADED = "panel.pack_downloaded", "Downloaded a panel pack"
    PANEL_PACK_VIEWED = "panel.pack_viewed", "Viewed a panel pack"
    MINUTES_DOWNLOADED = "panel.minutes_downloaded", "Downloaded panel minutes"
    MINUTES_VIEWED = "panel.minutes_viewed", "Viewed panel minutes"
    ACTION_CREATED = "action.created", "Agreed an action"
    ACTION_UPDATED = "action.updated", "Changed an action"
    ACTION_COMPLETED = "action.completed", "Completed an action"
    CASE_CLOSURE_REQUESTED = "case.closure_requested", "Asked for the case to close"
    CASE_CLOSURE_APPROVED = "case.closure_approved", "Approved closing the case"
    CASE_CLOSURE_REFUSED = "case.closure_refused", "Refused closing the case"
    CASE_REOPENED = "case.reopened", "Reopened the case"
    FOLLOW_UP_RECORDED = "case.follow_up_recorded", "Recorded an outcome follow-up"
    CASE_CLOSURE_WITHDRAWN = (
        "case.closure_withdrawn",
        "Withdrew a request to close the case",
    )
    NOTIFICATION_EMAILED = "notification.emailed", "Sent a notification by email"
    ACTION_VIEWED = "action.viewed", "Viewed an action"
    ACTION_CANCELLED = "action.cancelled", "Cancelled an action"
    REFERRAL_LIST_VIEWED = "referral.list_viewed", "Viewed a list of referrals"
    ORDER_RECORDED = "order.recorded", "Recorded an order"
    ORDER_VIEWED = "order.viewed", "Viewed an order"
    ORDER_CHANGED = (
        "order.changed",
        "Recorded a change to an order (service, variation, renewal or discharge)",
    )
    ORDER_CONDITION_ADDED = "order.condition_added", "Added a condition to an order"
    ORDER_NOTIFICATION_RECORDED = (
        "order.notification_recorded",
        "Recorded a notification under an order's notification requirements",
    )
    BREACH_RECORDED = "order.breach_recorded", "Recorded a breach of an order"
    BREACH_UPDATED = "order.breach_updated", "Updated a breach's response or outcome"
    BREACH_REVIEW_OPENED = (
        "order.breach_review_opened",
        "Opened a review of an incident that may breach an order",
    )
    BREACH_REVIEW_DECIDED = (
        "order.breach_review_decided",
        "Decided whether an incident breached an order",
    )
    INTERVENTION_RECORDED = "intervention.recorded", "Recorded an intervention"
    INTERVENTION_UPDATED = "intervention.updated", "Changed an intervention"
    INTERVENTION_VIEWED = "intervention.viewed", "Viewed an intervention"
    INTERVENTION_SESSION_RECORDED = (
        "intervention.session_recorded",
        "Recorded an intervention session",
    )
    CUSTODY_RECORDED = "custody.recorded", "Recorded a period in custody"
    CUSTODY_UPDATED = "custody.updated", "Changed a period in custody"
    RELEASE_ALERT_SENT = (
        "custody.release_alert_sent",
        "Alerted the victim's advocate to a coming release",
    )
    SAFETY_PLAN_SAVED = "safety.plan_saved", "Saved a version of the safety plan"
    SAFETY_PLAN_VIEWED = "safety.plan_viewed", "Viewed the safety plan"
    VICTIM_CONTACT_LOGGED = "safety.contact_logged", "Logged a contact with the victim"
    VICTIM_CONTACT_SCHEDULED = (
        "safety.contact_scheduled",
        "Scheduled a contact with the victim",
    )
    VICTIM_CONTACT_UPDATED = (
        "safety.contact_updated",
        "Completed or cancelled a scheduled contact with the victim",
    )
    VICTIM_CONTACT_REFUSED = (
        "safety.contact_refused",
        "Was stopped from a contact the victim's safe-contact rules forbid",
    )
    VICTIM_UPDATES_VIEWED = "safety.updates_viewed", "Viewed the victim-update log"
    PROTECTION_DASHBOARD_VIEWED = (
        "protection.dashboard_viewed",
        "Viewed the orders and safety dashboard",
    )
    HELPLINE_CONTACT_STARTED = "helpline.contact_started", "Started a helpline contact"
    HELPLINE_CONTACT_COMPLETED = (
        "helpline.contact_completed",
        "Completed a helpline contact",
    )
    HELPLINE_CONTACT_REOPENED = (
        "helpline.contact_reopened",
        "Reopened a completed helpline contact to correct it",
    )
    HELPLINE_CONTACT_VIEWED = "helpline.contact_viewed", "Viewed a helpline contact"
    HELPLINE_CONTACT_DISCARDED = (
        "helpline.contact_discarded",
        "Discarded a draft helpline contact",
    )
    HELPLINE_CONTACT_HANDED_OVER = (
        "helpline.contact_handed_over",
        "Handed a helpline contact over as a referral, with the caller's consent",
    )
    HELPLINE_SAFEGUARDING_OVERRIDE = (
        "helpline.safeguarding_override",
        "Recorded a safeguarding override of a caller's confidentiality",
    )
    HELPLINE_CALLER_LINKED = (
        "helpline.caller_linked",
        "Linked a helpline contact to the caller's earlier contacts",
    )
    HELPLINE_STATS_VIEWED = "helpline.stats_viewed", "Viewed the helpline statistics"
    HELPLINE_STATS_EXPORTED = (
        "helpline.stats_exported",
        "Exported the helpline statistics (small numbers suppressed)",
    )
    HELPLINE_ADVICE_CHANGED = (
        "helpline.advice_changed",
        "Changed the helpline's list of advice topics",
    )
