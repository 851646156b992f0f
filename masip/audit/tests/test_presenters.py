"""Audit events read as plain English in access logs."""

from masip.audit.events import EventType
from masip.audit.presenters import present
from masip.audit.services import AuditActor, record

ACTOR = AuditActor(
    user_id=7,
    label="Ada Example <ada@example.test>",
    agency_label="Police A",
    role="case_worker",
)


def test_changed_fields_are_named_without_values(db):
    event = record(
        EventType.CASE_UPDATED, actor=ACTOR, changed_fields=["review_due_on", "summary"]
    )

    row = present(event)

    assert row.what == "Changed the case details"
    assert row.detail == "Changed: review due on, summary"
    assert row.role == "Case worker"


def test_page_opened_names_the_page(db):
    event = record(
        EventType.CASE_PAGE_OPENED, actor=ACTOR, target_type="incidents:incident-list"
    )

    assert present(event).detail == "Page: incident list"


def test_unknown_event_type_and_role_are_shown_as_stored(db):
    event = record(EventType.CASE_VIEWED, actor=ACTOR, target_type="person")
    event.event_type, event.role = "legacy.event", "retired_role"

    row = present(event)

    assert (row.what, row.role, row.detail) == (
        "legacy.event",
        "retired_role",
        "Person",
    )
