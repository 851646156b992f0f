"""Panel minutes: read once issued (the coordinator previews the draft), per
case as the reader may see it, on screen and as PDF, every read audited; and
the pack's finer rules (health answers, escaping)."""

import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from masip.audit.models import AuditEvent
from masip.cases.models import CaseNote, ConsentStatus, LawfulBasis
from masip.cases.tests.factories import CaseFactory, CaseNoteFactory
from masip.panels.models import Action, AgendaItem, Attendance, DataCategory
from masip.panels.tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    InformationShareFactory,
    MeetingFactory,
    PanelFactory,
)
from masip.panels.tests.test_packs import pdf_text
from masip.people.tests.factories import actor_for
from masip.risk.instruments import registry
from masip.risk.services import assessment_record

pytestmark = pytest.mark.django_db

SUMMARY = "The panel reviewed the escalation since the last meeting."
VOICE = "She wants the messages to stop and to feel safe at work."
DECISIONS = "Refer the perpetrator to the stalking clinic."
NECESSITY = "Probation needed the threat history to set licence conditions."
CONSENT_REASON = "Asking would alert the perpetrator through a shared contact."
PRIVATE_SUMMARY = "Private discussion of a case Probation A does not reach."
PRIVATE_ACTION = "Install a camera doorbell at the address."


@pytest.fixture
def meeting(cast):
    panel = PanelFactory(
        site=cast.police_a.site,
        member_agencies=[cast.police_a, cast.probation_a, cast.nhs_a],
    )
    meeting = MeetingFactory(
        panel=panel,
        created_by=cast.panel_coordinator,
        status="held",
        held_on=timezone.localdate(),
    )
    item = AgendaItemFactory(
        meeting=meeting,
        case=cast.case,
        reason=AgendaItem.Reason.HIGH_RISK,
        discussed=True,
        agreed_risk_level="high",
        summary=SUMMARY,
        victim_voice=VOICE,
        decisions=DECISIONS,
        recorded_by=cast.panel_coordinator,
        recorded_at=timezone.now(),
    )
    InformationShareFactory(
        item=item,
        from_agency=cast.police_a,
        to_agencies=[cast.probation_a, cast.nhs_a],
        categories=[DataCategory.CRIMINAL_HISTORY.value, DataCategory.RISK.value],
        lawful_basis=LawfulBasis.CRIME_AND_DISORDER,
        condition="preventing_crime",
        consent=ConsentStatus.NOT_SOUGHT,
        consent_reason=CONSENT_REASON,
        necessity=NECESSITY,
        recorded_by=cast.panel_coordinator,
    )
    ActionFactory(
        case=cast.case,
        item=item,
        owner_agency=cast.probation_a,
        description="Add a no-contact condition to the licence.",
        created_by=cast.panel_coordinator,
    )
    ActionFactory(
        case=cast.case,
        item=item,
        owner_agency=cast.nhs_a,
        owner=cast.clinician,
        description="Offer the perpetrator a clinic assessment.",
        created_by=cast.panel_coordinator,
    )
    private = AgendaItemFactory(
        meeting=meeting,
        case=CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker),
        reason=AgendaItem.Reason.ESCALATION,
        discussed=True,
        summary=PRIVATE_SUMMARY,
    )
    ActionFactory(
        case=private.case,
        item=private,
        owner_agency=cast.police_a,
        description=PRIVATE_ACTION,
        created_by=cast.panel_coordinator,
    )
    AttendanceFactory(meeting=meeting, agency=cast.police_a, attendees="DS Test")
    AttendanceFactory(
        meeting=meeting,
        agency=cast.nhs_a,
        status=Attendance.Status.APOLOGIES,
        attendees="",
    )
    meeting.private_reference = private.case.reference
    return meeting


def _issue(meeting):
    meeting.minutes_issued_at = timezone.now()
    meeting.save(update_fields=["minutes_issued_at"])


def _url(name, meeting):
    return reverse(f"panel-packs:{name}", args=[meeting.public_id])


def test_members_cannot_read_minutes_before_they_are_issued(cast, client_for, meeting):
    client = client_for("partner_worker")

    page = client.get(_url("minutes", meeting))
    pdf = client.get(_url("minutes-pdf", meeting))

    assert page.status_code == 200
    assert "have not been issued yet" in page.content.decode()
    assert SUMMARY not in page.content.decode()
    assert pdf.status_code == 404
    assert not AuditEvent.objects.filter(event_type__startswith="panel.minutes")


def test_the_coordinator_previews_the_draft_minutes(
    cast, client_for, meeting, tmp_path
):
    client = client_for("panel_coordinator")

    page = client.get(_url("minutes", meeting)).content.decode()
    pdf = client.get(_url("minutes-pdf", meeting))
    text = pdf_text(pdf.content, tmp_path)

    assert "Draft minutes" in page
    assert SUMMARY in page
    assert "Draft: these minutes have not been issued." in text
    assert PRIVATE_SUMMARY in text  # the coordinator reaches every site case
    assert "draft-minutes" in pdf["Content-Disposition"]


def test_issued_minutes_show_each_case_in_reach_in_full(
    cast, client_for, meeting, tmp_path
):
    _issue(meeting)

    page = client_for("partner_worker").get(_url("minutes", meeting))
    html = page.content.decode()
    pdf = client_for("partner_worker").get(_url("minutes-pdf", meeting))
    text = pdf_text(pdf.content, tmp_path)

    assert page.status_code == 200
    for shown in (html.replace("&#x27;", "'"), text):
        assert "Police A" in shown
        assert "Sent apologies" in shown
        assert "High risk" in shown
        for recorded in (SUMMARY, VOICE, DECISIONS, NECESSITY, CONSENT_REASON):
            assert recorded in shown
        assert "Offending history and convictions" in shown
        assert "Crime and Disorder Act 1998 s115" in shown
        assert "Preventing or detecting unlawful acts" in shown
        assert "Not sought" in shown
        assert "Add a no-contact condition to the licence." in shown
        assert "Offer the perpetrator a clinic assessment." in shown


def test_a_case_out_of_reach_shows_only_its_reference_and_lead_agency(
    cast, client_for, meeting, tmp_path
):
    _issue(meeting)

    html = client_for("partner_worker").get(_url("minutes", meeting)).content.decode()
    pdf = client_for("partner_worker").get(_url("minutes-pdf", meeting))
    text = pdf_text(pdf.content, tmp_path)

    for shown in (html, text):
        assert meeting.private_reference in shown
        assert "Not shared with your agency: contact the lead agency" in shown
        assert PRIVATE_SUMMARY not in shown
        assert PRIVATE_ACTION not in shown
        assert "New breach or escalation" not in shown


def test_reading_and_downloading_minutes_are_audited(cast, client_for, meeting):
    _issue(meeting)
    client = client_for("clinician")

    client.get(_url("minutes", meeting))
    pdf = client.get(_url("minutes-pdf", meeting))

    digest = hashlib.sha256(pdf.content).hexdigest()
    viewed = AuditEvent.objects.get(event_type="panel.minutes_viewed")
    downloaded = AuditEvent.objects.get(event_type="panel.minutes_downloaded")
    assert (viewed.case_reference, viewed.target_id) == (
        cast.case.reference,
        str(meeting.public_id),
    )
    assert downloaded.target_id == f"{meeting.public_id}:{digest[:27]}"
    assert pdf["X-Content-SHA256"] == digest
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert "no-store" in pdf["Cache-Control"]


def test_an_action_without_an_agenda_item_is_not_in_the_minutes(
    cast, client_for, meeting
):
    _issue(meeting)
    ActionFactory(
        case=cast.case,
        owner_agency=cast.police_a,
        description="An action agreed outside the panel.",
        created_by=cast.lead_worker,
    )

    html = client_for("lead_worker").get(_url("minutes", meeting)).content.decode()

    assert "An action agreed outside the panel." not in html
    assert Action.objects.filter(item__meeting=meeting).count() == 3


# The pack's finer rules ---------------------------------------------------------


def _pack_text(client, meeting, tmp_path):
    return pdf_text(client.get(_url("pack-pdf", meeting)).content, tmp_path)


def test_an_agency_reads_the_health_answers_it_recorded_itself(
    cast, client_for, meeting, tmp_path
):
    # Probation does not see the health compartment, but recorded these.
    assessment_record(
        actor=actor_for(cast.partner_worker),
        case=cast.case,
        instrument=registry().get("structured-judgement"),
        answers={
            "instrument_used": "sam",
            "motivational_type": "resentful",
            "risk_violence": "moderate",
            "risk_persistence": "moderate",
            "risk_recurrence": "low",
            "risk_psychosocial_damage": "low",
            "formulation": "Probation's own synthetic formulation.",
            "scenarios": "Synthetic scenarios.",
            "next_review": "2027-03-01",
        },
    )

    own = _pack_text(client_for("partner_worker"), meeting, tmp_path)
    police = _pack_text(client_for("lead_worker"), meeting, tmp_path)

    assert "Probation's own synthetic formulation." in own
    assert "Probation's own synthetic formulation." not in police
    assert "[withheld: Health and clinical information]" in police


def test_text_that_looks_like_markup_is_drawn_as_typed(
    cast, client_for, meeting, tmp_path
):
    CaseNoteFactory(
        case=cast.case,
        kind=CaseNote.Kind.GENERAL,
        text='Wrote <b>"you & me"</b> on the car.\x07',
        author=cast.lead_worker,
        agency=cast.police_a,
    )

    text = _pack_text(client_for("partner_worker"), meeting, tmp_path)

    assert 'Wrote <b>"you & me"</b> on the car.' in text


def test_an_empty_agenda_still_makes_a_pack(cast, client_for, tmp_path):
    panel = PanelFactory(site=cast.police_a.site, member_agencies=[cast.police_a])
    meeting = MeetingFactory(panel=panel, created_by=cast.panel_coordinator)

    text = _pack_text(client_for("lead_worker"), meeting, tmp_path)

    assert "No cases are on the agenda yet." in text
    event = AuditEvent.objects.get(event_type="panel.pack_downloaded")
    assert event.case_reference == ""
