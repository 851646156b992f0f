"""Panel packs: each reader's pack holds only what their agency may see, on
screen and in the PDF (read back with pdftotext), and every read is audited."""

import datetime as dt
import hashlib
import shutil
import subprocess  # nosec B404 - runs pdftotext on a file the test made
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masip.access.tests.factories import reveal_for
from masip.audit.models import AuditEvent
from masip.cases.models import CaseNote, ParticipantRole
from masip.cases.tests.factories import (
    CaseFactory,
    CaseNoteFactory,
    CaseParticipantFactory,
)
from masip.incidents.tests.factories import IncidentFactory
from masip.panels.models import AgendaItem
from masip.panels.tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    MeetingFactory,
    PanelFactory,
)
from masip.people.models import PersonIdentifier
from masip.people.tests.factories import (
    PersonFactory,
    PersonIdentifierFactory,
    actor_for,
)
from masip.risk.instruments import registry
from masip.risk.services import assessment_record

pytestmark = pytest.mark.django_db

HEALTH_NOTE = "Clinical note: sealed health text."
INTEL_NOTE = "Intelligence: sealed police text."
FORMULATION = "Synthetic formulation kept for the clinic."
GENERAL_NOTE = "Victim attended the advocacy appointment."
# The cast's victim: a restricted address, a phone, safe-contact rules; the
# incident's location is restricted (the default).
ADDRESS = "1 Sealed Street"
POSTCODE = "ZZ99 9ZZ"
TOWN = "Exampleton"
PHONE = "07700 900123"
EMAIL = "avery.testvictim@example.test"
SAFE_TIMES = "Weekdays 10am to 2pm"
CODE_WORD = "Bluebell"
INCIDENT_PLACE = "Outside the victim's workplace"
NEVER_IN_ANY_PACK = (ADDRESS, POSTCODE, TOWN, PHONE, EMAIL, SAFE_TIMES, CODE_WORD)
HEALTH_WITHHELD = "[withheld: Health and clinical information]"
LOCATION_WITHHELD = "[withheld: Victim location and contact details]"
INTEL_WITHHELD = "[withheld: Police intelligence]"


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The text of a PDF as poppler's pdftotext reads it."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is needed: apt-get install poppler-utils"
    assert content.startswith(b"%PDF-")
    source = tmp_path / "document.pdf"
    source.write_bytes(content)
    result = subprocess.run(  # noqa: S603  # nosec B603 - fixed tool, own file
        [tool, "-enc", "UTF-8", str(source), "-"],
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode().split())


def _spj(cast):
    answers = {
        "instrument_used": "srp",
        "motivational_type": "rejected",
        "risk_violence": "high",
        "risk_persistence": "moderate",
        "risk_recurrence": "low",
        "risk_psychosocial_damage": "low",
        "formulation": FORMULATION,
        "scenarios": "Synthetic scenarios.",
        "next_review": "2027-01-15",
    }
    return assessment_record(
        actor=actor_for(cast.clinician),
        case=cast.case,
        instrument=registry().get("structured-judgement"),
        answers=answers,
    )


@pytest.fixture
def panel(cast):
    return PanelFactory(
        site=cast.police_a.site,
        member_agencies=[cast.police_a, cast.probation_a, cast.nhs_a],
    )


@pytest.fixture
def meeting(cast, panel):
    """A planned meeting of site A's panel with the cast's case listed, and a
    second case Police A leads that is shared with no one."""
    meeting = MeetingFactory(panel=panel, created_by=cast.panel_coordinator)
    AgendaItemFactory(
        meeting=meeting,
        case=cast.case,
        reason=AgendaItem.Reason.HIGH_RISK,
        reason_detail="Threats made last week.",
    )
    PersonIdentifierFactory(
        person=cast.victim, kind=PersonIdentifier.Kind.EMAIL, value=EMAIL
    )
    CaseNoteFactory(
        case=cast.case,
        kind=CaseNote.Kind.GENERAL,
        text=GENERAL_NOTE,
        author=cast.advocate,
        agency=cast.advocacy_a,
    )
    _spj(cast)
    ActionFactory(
        case=cast.case,
        owner_agency=cast.probation_a,
        description="Check licence conditions with the offender manager.",
        created_by=cast.panel_coordinator,
    )
    return meeting


@pytest.fixture
def private_case(cast, meeting):
    case = CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)
    AgendaItemFactory(
        meeting=meeting,
        case=case,
        reason=AgendaItem.Reason.ESCALATION,
        reason_detail="Breach of bail at the victim's home.",
    )
    CaseParticipantFactory(
        case=case,
        person=PersonFactory(given_name="Quinn", family_name="Hiddenperson"),
        role=ParticipantRole.VICTIM,
        added_by=cast.lead_worker,
    )
    return case


def _url(name, meeting):
    return reverse(f"panel-packs:{name}", args=[meeting.public_id])


def _pack_pdf(client_for, persona, meeting, tmp_path):
    response = client_for(persona).get(_url("pack-pdf", meeting))
    assert response.status_code == 200
    return pdf_text(response.content, tmp_path)


# Done means: the partner's pack holds no health and no victim location --------


def test_pack_pdf_for_probation_holds_no_health_or_victim_location(
    cast, client_for, meeting, tmp_path
):
    text = _pack_pdf(client_for, "partner_worker", meeting, tmp_path)

    assert cast.case.reference in text
    assert "Blake Testperp" in text  # the case is in reach: its people are there
    assert "Check licence conditions" in text
    for sealed in (HEALTH_NOTE, FORMULATION, INCIDENT_PLACE, INTEL_NOTE):
        assert sealed not in text
    for detail in NEVER_IN_ANY_PACK:
        assert detail not in text
    assert HEALTH_WITHHELD in text
    assert LOCATION_WITHHELD in text
    assert INTEL_WITHHELD in text


def test_pack_pdf_for_the_clinician_holds_the_health_note_and_answers(
    cast, client_for, meeting, tmp_path
):
    text = _pack_pdf(client_for, "clinician", meeting, tmp_path)

    assert HEALTH_NOTE in text
    assert FORMULATION in text
    assert INCIDENT_PLACE not in text
    assert INTEL_NOTE not in text
    for detail in NEVER_IN_ANY_PACK:
        assert detail not in text


def test_pack_pdf_for_the_police_lead_holds_the_restricted_incident_location(
    cast, client_for, meeting, tmp_path
):
    reveal_for(cast.lead_worker, cast.case)

    text = _pack_pdf(client_for, "lead_worker", meeting, tmp_path)

    assert INCIDENT_PLACE in text
    assert INTEL_NOTE in text
    assert HEALTH_NOTE not in text
    assert FORMULATION not in text  # another agency's health answers
    assert HEALTH_WITHHELD in text
    for detail in NEVER_IN_ANY_PACK:
        assert detail not in text


def test_police_lead_who_has_not_revealed_sees_the_location_hidden(
    cast, client_for, meeting, tmp_path
):
    text = _pack_pdf(client_for, "lead_worker", meeting, tmp_path)
    page = client_for("lead_worker").get(_url("pack", meeting)).content.decode()

    assert INCIDENT_PLACE not in text
    assert "hidden until you reveal" in text
    assert INCIDENT_PLACE not in page
    assert reverse("cases:reveal", args=[cast.case.reference]) in page


def test_an_unrestricted_incident_location_is_shown_to_every_reader(
    cast, client_for, meeting, tmp_path
):
    IncidentFactory(
        case=cast.case,
        location="Car park of the leisure centre",
        location_confidentiality="standard",
        recorded_by=cast.lead_worker,
        recorded_by_agency=cast.police_a,
    )

    text = _pack_pdf(client_for, "partner_worker", meeting, tmp_path)

    assert "Car park of the leisure centre" in text


def test_the_on_screen_pack_withholds_what_the_pdf_withholds(cast, client_for, meeting):
    page = client_for("partner_worker").get(_url("pack", meeting))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Blake Testperp" in html
    assert GENERAL_NOTE in html
    for sealed in (HEALTH_NOTE, FORMULATION, INTEL_NOTE, *NEVER_IN_ANY_PACK):
        assert sealed not in html
    assert HEALTH_WITHHELD in html
    assert LOCATION_WITHHELD in html
    assert "Download the pack (PDF)" in html


# Reach: a case out of reach is named, never shown ------------------------------


def test_a_case_out_of_reach_shows_only_its_reference_lead_agency_and_reason(
    cast, client_for, meeting, private_case, tmp_path
):
    page = client_for("partner_worker").get(_url("pack", meeting)).content.decode()
    text = _pack_pdf(client_for, "partner_worker", meeting, tmp_path)

    for shown in (page, text):
        assert private_case.reference in shown
        assert "New breach or escalation" in shown
        assert "Not shared with your agency: contact the lead agency" in shown
        assert "Hiddenperson" not in shown
        assert "Breach of bail at the victim's home" not in shown
    lead = client_for("lead_worker").get(_url("pack", meeting)).content.decode()
    assert "Hiddenperson" in lead


def test_the_coordinator_reads_no_notes_and_no_compartment(
    cast, client_for, meeting, private_case, tmp_path
):
    text = _pack_pdf(client_for, "panel_coordinator", meeting, tmp_path)

    assert "Hiddenperson" in text  # the coordinator reaches the site's cases
    assert "Notes: not included" in text
    for sealed in (HEALTH_NOTE, INTEL_NOTE, GENERAL_NOTE, FORMULATION):
        assert sealed not in text
    assert LOCATION_WITHHELD in text


def test_only_incidents_and_notes_of_the_ninety_days_before_are_in_the_pack(
    cast, client_for, meeting, tmp_path
):
    long_ago = timezone.now() - dt.timedelta(days=120)
    IncidentFactory(
        case=cast.case,
        occurred_at=long_ago,
        behaviours=["watching"],
        recorded_by=cast.lead_worker,
        recorded_by_agency=cast.police_a,
    )
    reveal_for(cast.lead_worker, cast.case)

    text = _pack_pdf(client_for, "lead_worker", meeting, tmp_path)

    assert "Contacting, or attempting to contact" in text  # the recent one
    assert "Watching or spying" not in text
    assert f"{long_ago.day} {long_ago:%B %Y}" not in text


# Who reaches the meeting --------------------------------------------------------

ROUTES = ("pack", "pack-pdf", "minutes", "minutes-pdf")


@pytest.mark.parametrize("name", ROUTES)
def test_outsider_gets_404_for_another_sites_meeting(cast, client_for, meeting, name):
    response = client_for("outsider").get(_url(name, meeting))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ROUTES)
def test_an_agency_not_on_the_panel_gets_404(cast, client_for, meeting, name):
    # Advocacy A reaches the case but does not sit on the panel.
    response = client_for("advocate").get(_url(name, meeting))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ROUTES)
def test_a_missing_meeting_is_404(cast, client_for, meeting, name):
    url = _url(name, meeting).replace(
        str(meeting.public_id), str(cast.victim.public_id)
    )

    assert client_for("lead_worker").get(url).status_code == 404


@pytest.mark.parametrize("name", ROUTES)
def test_without_the_panel_verb_the_pages_are_forbidden(
    cast, client_for, meeting, name
):
    assert client_for("analyst").get(_url(name, meeting)).status_code == 403


# Audit ----------------------------------------------------------------------------


def test_viewing_the_pack_is_audited_on_each_case_in_reach(
    cast, client_for, meeting, private_case
):
    client_for("partner_worker").get(_url("pack", meeting))

    events = AuditEvent.objects.filter(event_type="panel.pack_viewed")
    assert [(e.case_reference, e.target_id) for e in events] == [
        (cast.case.reference, str(meeting.public_id))
    ]
    assert events.get().agency_id == cast.probation_a.pk


def test_downloading_the_pack_is_audited_with_the_files_hash(cast, client_for, meeting):
    response = client_for("clinician").get(_url("pack-pdf", meeting))

    digest = hashlib.sha256(response.content).hexdigest()
    event = AuditEvent.objects.get(event_type="panel.pack_downloaded")
    assert response["X-Content-SHA256"] == digest
    assert event.target_type == "meeting"
    assert event.target_id == f"{meeting.public_id}:{digest[:27]}"
    assert len(event.target_id) == 64
    assert event.case_reference == cast.case.reference
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]


def test_a_pack_with_no_case_in_reach_is_audited_against_the_meeting(
    cast, client_for, panel
):
    meeting = MeetingFactory(panel=panel, created_by=cast.panel_coordinator)
    AgendaItemFactory(
        meeting=meeting,
        case=CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker),
    )

    client_for("partner_worker").get(_url("pack", meeting))

    event = AuditEvent.objects.get(event_type="panel.pack_viewed")
    assert (event.case_reference, event.target_id) == ("", str(meeting.public_id))


# Cost -------------------------------------------------------------------------------


def _listed_case(cast, meeting):
    case = CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)
    AgendaItemFactory(meeting=meeting, case=case)
    CaseParticipantFactory(case=case, added_by=cast.lead_worker)
    CaseParticipantFactory(
        case=case, role=ParticipantRole.PERPETRATOR, added_by=cast.lead_worker
    )
    IncidentFactory(
        case=case, recorded_by=cast.lead_worker, recorded_by_agency=cast.police_a
    )
    CaseNoteFactory(case=case, author=cast.lead_worker, agency=cast.police_a)
    ActionFactory(case=case, created_by=cast.panel_coordinator)
    return case


def _pack_queries(client, meeting):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url("pack", meeting))
    assert response.status_code == 200
    return len(queries)


# Per case in reach: the policy's reach and shares and the reveal (3), and its
# own audit event (a savepoint, the chain head, the insert, the head update
# and the release: 5). The case records come in one query per kind whatever
# the number of cases.
PER_ITEM = 8


def test_the_pack_costs_a_small_constant_per_agenda_item(cast, client_for, panel):
    client = client_for("lead_worker")
    small = MeetingFactory(panel=panel, created_by=cast.panel_coordinator)
    large = MeetingFactory(panel=panel, created_by=cast.panel_coordinator)
    for _ in range(2):
        _listed_case(cast, small)
    for _ in range(6):
        _listed_case(cast, large)
    _pack_queries(client, small)  # warm the session and the caches

    two, six = _pack_queries(client, small), _pack_queries(client, large)

    assert six - two <= 4 * PER_ITEM, (two, six)


def test_the_same_pack_twice_is_the_same_file(client_for, meeting):
    """No creation time or random id in the PDF: the hash the audit trail
    keeps names the content."""
    client = client_for("partner_worker")

    first = client.get(_url("pack-pdf", meeting))
    second = client.get(_url("pack-pdf", meeting))

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
