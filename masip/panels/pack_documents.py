"""The PDFs of a panel pack and of the minutes, drawn with reportlab.

Each is drawn from the objects ``masip.panels.packs`` built for one reader,
the same the pages show, so a PDF holds nothing the reader's page does not.
A pack never holds a victim's address, phone number, email or safe-contact
arrangements (``packs`` never loads them). Every page is marked
OFFICIAL-SENSITIVE with the agencies it was prepared for; the metadata names
no person.
"""

import html
import re
from collections.abc import Iterable
from io import BytesIO
from typing import Any

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer  # type: ignore[import-untyped]

from masip.core.templatetags.govuk import govuk_date, govuk_day
from masip.panels.packs import (
    NEVER_IN_A_PACK,
    NOT_SHARED,
    CaseDetail,
    Minutes,
    MinutesItem,
    Pack,
    PackItem,
    meeting_when,
)

MARKING = "OFFICIAL-SENSITIVE"
# Characters a PDF string (and reportlab's paragraph markup) cannot carry.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    """Plain text for a paragraph: markup escaped, line breaks kept."""
    clean = _CONTROL.sub("\ufffd", value)
    return html.escape(clean, quote=False).replace("\n", "<br/>")


class _Story:
    """The flowables of a document, added as plain text."""

    def __init__(self) -> None:
        sheet = getSampleStyleSheet()
        self.styles = {
            "title": sheet["Title"],
            "h2": sheet["Heading2"],
            "h3": sheet["Heading4"],
            "body": sheet["BodyText"],
            "small": ParagraphStyle(
                "small", parent=sheet["BodyText"], fontSize=8, leading=10
            ),
        }
        self.flowables: list[Any] = []

    def add(self, text: str, style: str = "body") -> None:
        self.flowables.append(Paragraph(_text(text), self.styles[style]))

    def lines(self, lines: Iterable[str], style: str = "body") -> None:
        for line in lines:
            self.add(line, style)

    def space(self, height: float = 3) -> None:
        self.flowables.append(Spacer(1, height * mm))


def _build(story: _Story, *, title: str, agencies: list[str]) -> bytes:
    footer = f"{MARKING}. Prepared for {', '.join(agencies)}."

    def mark_page(canvas: Canvas, document: SimpleDocTemplate) -> None:
        width, height = document.pagesize
        canvas.saveState()
        canvas.setFont("Helvetica-Bold", 9)
        canvas.drawCentredString(width / 2, height - 10 * mm, MARKING)
        canvas.setFont("Helvetica", 8)
        canvas.drawString(20 * mm, 8 * mm, _CONTROL.sub("", footer)[:120])
        canvas.drawRightString(width - 20 * mm, 8 * mm, f"Page {document.page}")
        canvas.restoreState()

    buffer = BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        subject=MARKING,
        creator="MASIP",
        # No creation time or random document id: the same content gives the
        # same bytes, so the SHA-256 in the audit trail names the content.
        invariant=True,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=16 * mm,
    )
    pdf.build(story.flowables, onFirstPage=mark_page, onLaterPages=mark_page)
    return buffer.getvalue()


def _meeting_lines(meeting: Any) -> list[str]:
    lines = [
        f"Meeting: {meeting_when(meeting)} ({meeting.get_kind_display().lower()}, "
        f"{meeting.get_status_display().lower()})"
    ]
    if meeting.location:
        lines.append(f"Where: {meeting.location}")
    return lines


# The pack ------------------------------------------------------------------------


def render_pack(pack: Pack) -> bytes:
    """The pack as a PDF: the meeting, then each agenda item as the reader
    may see it."""
    story = _Story()
    story.add(f"Panel pack: {pack.panel}", "title")
    story.lines(_meeting_lines(pack.meeting))
    story.lines(
        [
            f"Prepared for: {pack.reader}, {', '.join(pack.agencies)}",
            f"Prepared on: {govuk_date(pack.prepared_at)}",
        ]
    )
    story.space()
    story.add(
        f"This pack holds only what {', '.join(pack.agencies)} may see of the "
        f"cases on the agenda. {NEVER_IN_A_PACK} Keep it on an approved system "
        "and destroy printed copies after the meeting.",
        "small",
    )
    if not pack.items:
        story.add("No cases are on the agenda yet.")
    for item in pack.items:
        _pack_item(story, item, pack)
    return _build(story, title=f"Panel pack ({MARKING})", agencies=pack.agencies)


def _pack_item(story: _Story, item: PackItem, pack: Pack) -> None:
    story.add(f"{item.position}. {item.reference}", "h2")
    reason = item.reason + (f": {item.reason_detail}" if item.reason_detail else "")
    story.lines([f"Lead agency: {item.lead_agency}", f"On the agenda: {reason}"])
    if item.detail is None:
        story.add(NOT_SHARED)
        return
    _facts(story, item.detail)
    since = govuk_day(pack.window_from)
    _people(story, item.detail)
    _assessments(story, item.detail)
    _incidents(story, item.detail, since)
    _actions(story, item.detail)
    _notes(story, item.detail, since)


def _facts(story: _Story, detail: CaseDetail) -> None:
    facts = detail.facts
    risk = facts.risk_level
    if facts.risk_set_by:
        risk += f" (set by {facts.risk_set_by} on {govuk_date(facts.risk_set_at)})"
    story.lines(
        [
            f"Status: {facts.status}",
            f"Risk level: {risk}",
            f"Relationship: {facts.relationship}",
            f"Recorded as: {facts.recorded_as}",
            f"Referred on: {govuk_day(facts.referred_on)}",
        ]
    )


def _not_included(story: _Story, what: str) -> None:
    story.add(f"{what}: not included (your role does not read them on this case).")


def _people(story: _Story, detail: CaseDetail) -> None:
    if detail.people is None:
        return _not_included(story, "People")
    story.add("People", "h3")
    story.lines(f"{p.role}: {p.name}, born {p.born}" for p in detail.people)
    if not detail.people:
        story.add("No people recorded.")
    story.add(NEVER_IN_A_PACK, "small")
    return None


def _assessments(story: _Story, detail: CaseDetail) -> None:
    if detail.assessments is None:
        return _not_included(story, "Risk assessments")
    story.add("Latest risk assessments", "h3")
    if not detail.assessments:
        story.add("No risk assessment recorded.")
    for a in detail.assessments:
        story.add(
            f"{a.title}, {a.agency} ({a.perspective} view): {a.level}. "
            f"{govuk_date(a.completed_at)} by {a.completed_by}."
        )
        if a.judgement:
            story.add(a.judgement)
        if a.answers_withheld:
            story.add(f"Answers: {a.answers_withheld}")
        story.lines((f"{q}: {answer}" for q, answer in a.answers), "small")
    return None


def _incidents(story: _Story, detail: CaseDetail, since: str) -> None:
    if detail.incidents is None:
        return _not_included(story, "Incidents")
    story.add(f"Incidents since {since}", "h3")
    if not detail.incidents:
        story.add("No incidents recorded in this time.")
    for i in detail.incidents:
        story.add(
            f"{i.when}: {'; '.join(i.behaviours) or 'No behaviour recorded'}. "
            f"How: {', '.join(i.channels) or 'Not recorded'}. "
            f"Where: {i.location}"
        )
    return None


def _actions(story: _Story, detail: CaseDetail) -> None:
    if detail.actions is None:
        return _not_included(story, "Actions")
    story.add("Outstanding actions", "h3")
    if not detail.actions:
        story.add("No outstanding actions.")
    for a in detail.actions:
        owner = a.owner_agency + (f", {a.owner}" if a.owner else "")
        overdue = " (overdue)" if a.overdue else ""
        story.add(
            f"{a.description} Owner: {owner}. Due {govuk_day(a.due_on)}{overdue}. "
            f"{a.status}."
        )
    return None


def _notes(story: _Story, detail: CaseDetail, since: str) -> None:
    if detail.notes is None:
        return _not_included(story, "Notes")
    story.add(f"Notes since {since}", "h3")
    if not detail.notes:
        story.add("No notes you may read in this time.")
    for n in detail.notes:
        story.add(
            f"{n.kind} note, {govuk_date(n.created_at)}, {n.author} ({n.agency}):"
        )
        story.add(n.text)
    story.lines(detail.notes_withheld)
    return None


# The minutes ---------------------------------------------------------------------


def render_minutes(minutes: Minutes) -> bytes:
    """The minutes as a PDF: the meeting and attendance, then each case as
    the reader may see it."""
    story = _Story()
    heading = "Draft minutes" if minutes.draft else "Minutes"
    story.add(f"{heading}: {minutes.panel}", "title")
    story.lines(_meeting_lines(minutes.meeting))
    if minutes.draft:
        story.add("Draft: these minutes have not been issued.")
    else:
        story.add(f"Issued: {govuk_date(minutes.meeting.minutes_issued_at)}")
    story.add(f"Prepared for: {', '.join(minutes.agencies)}")
    story.add("Attendance", "h2")
    if not minutes.attendance:
        story.add("No attendance recorded.")
    for a in minutes.attendance:
        story.add(
            f"{a.agency}: {a.status}" + (f" ({a.attendees})" if a.attendees else "")
        )
    if not minutes.items:
        story.add("No cases were on the agenda.")
    for item in minutes.items:
        _minutes_item(story, item)
    return _build(story, title=f"Panel minutes ({MARKING})", agencies=minutes.agencies)


def _minutes_item(story: _Story, item: MinutesItem) -> None:
    story.add(f"{item.position}. {item.reference}", "h2")
    story.add(f"Lead agency: {item.lead_agency}")
    record = item.record
    if record is None:
        story.add(NOT_SHARED)
        return
    story.lines(
        [
            f"On the agenda: {item.reason}",
            f"Discussed: {'Yes' if record.discussed else 'No'}",
            f"Agreed risk level: {record.agreed_risk_level}",
        ]
    )
    for label, text in (
        ("Summary", record.summary),
        ("The victim's voice", record.victim_voice),
        ("Decisions", record.decisions),
    ):
        story.add(label, "h3")
        story.add(text or "None recorded.")
    story.add("Information shared", "h3")
    if not record.shares:
        story.add("None recorded.")
    for s in record.shares:
        story.add(
            f"From {s.from_agency} to {', '.join(s.to_agencies) or 'no agency'}: "
            f"{', '.join(s.categories)}."
        )
        story.add(
            f"Lawful basis: {s.lawful_basis}. Condition: {s.condition}. "
            f"Consent: {s.consent} ({s.consent_reason}). Why necessary: {s.necessity}",
            "small",
        )
    story.add("Actions", "h3")
    if not record.actions:
        story.add("None agreed.")
    for a in record.actions:
        owner = a.owner_agency + (f", {a.owner}" if a.owner else "")
        story.add(
            f"{a.description} Owner: {owner}. Due {govuk_day(a.due_on)}. {a.status}."
        )
