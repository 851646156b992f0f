"""The evidence bundle: its contents, what it withholds, its audit and page."""

import hashlib
import json

import pytest
from django.urls import reverse

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.evidence import imports, tasks
from masip.evidence.models import EvidenceImport, ImportStatus
from masip.evidence.tests.vault_helpers import upload
from masip.exports.tests.conftest import csv_rows, make_fresh
from masip.exports.tests.pdftext import pdf_text
from masip.people.models import Confidentiality
from masip.people.tests.factories import AddressFactory, actor_for

pytestmark = pytest.mark.usefixtures("evidence_root")

# Synthetic: the perpetrator names the victim's restricted address, once with
# the postcode's space and once without, and sends a formula.
CHAT = "\n".join(
    [
        "03/03/2024, 09:15 - Rowan Quill: Morning, did you get home ok?",
        "03/03/2024, 09:16 - Tamsin Vale: Please stop messaging me.",
        "03/03/2024, 23:40 - Rowan Quill: I know you live at 14 larkspur close ZZ1 4QX",
        "04/03/2024, 02:05 - Rowan Quill: I know where you live. zz14qx",
        "05/03/2024, 08:00 - Tamsin Vale: I've blocked you. Leave me alone.",
        "05/03/2024, 21:00 - Rowan Quill: Your new number 07700-900-123 is no secret",
        '06/03/2024, 07:45 - Rowan Quill: =HYPERLINK("http://example.invalid")',
        "",
    ]
).encode()
LINE = "14 Larkspur Close"
LOCATION = "Bramble Leisure Centre car park"
NARRATIVE = "He waited outside 14 Larkspur Close after dark."
PURPOSE = "Court hearing on the restraining order"


def _url(case):
    return reverse("evidence:bundle", kwargs={"reference": case.reference})


@pytest.fixture
def bundle_case(cast):
    AddressFactory(
        person=cast.victim,
        line_1=LINE,
        postcode="ZZ1 4QX",
        confidentiality=Confidentiality.RESTRICTED,
    )
    cast.incident.location = LOCATION
    cast.incident.narrative = NARRATIVE
    cast.incident.save()
    item = upload(cast.lead_worker, cast.case, CHAT, "chat.txt")
    imports.evidence_import_start(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        evidence=item,
        perpetrator_participant="Rowan Quill",
        date_order="dmy",
    )
    for run in EvidenceImport.objects.filter(status=ImportStatus.QUEUED):
        tasks.run_evidence_import.call(run.pk)
    return item


def _post(client, case, fmt, **extra):
    return client.post(_url(case), {"format": fmt, "purpose": PURPOSE, **extra})


def _assert_withheld(text):
    assert "[withheld]" in text
    assert LINE.lower() not in text.lower()
    assert "zz1 4qx" not in text.lower()
    assert "zz14qx" not in text.lower()
    assert LOCATION not in text
    assert "900-123" not in text  # the cast victim's restricted phone


def test_bundle_pdf_holds_the_chronology_figures_and_manifest(
    cast, client_for, bundle_case
):
    client = make_fresh(client_for("lead_worker"))

    response = _post(client, cast.case, "pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{cast.case.reference}-evidence-bundle.pdf"'
    )
    text = pdf_text(response.content)
    assert "Morning, did you get home ok?" in text
    assert "He waited outside [withheld] after dark." in text
    assert "Course of conduct in plain words" in text
    assert "flagged for review" in text
    assert "Contacts from the perpetrator each day" in text  # the charts' tables
    assert "Contacts from the perpetrator by day of the week" in text
    assert "Your new number [withheld] is no secret" in text
    assert bundle_case.sha256 in text
    _assert_withheld(text)


def test_bundle_audit_holds_the_bundles_own_hash(cast, client_for, bundle_case):
    client = make_fresh(client_for("lead_worker"))

    response = _post(client, cast.case, "pdf")

    digest = hashlib.sha256(response.content).hexdigest()
    assert response["X-Content-SHA256"] == digest
    event = AuditEvent.objects.get(event_type=EventType.EVIDENCE_EXPORTED)
    assert (event.target_type, event.target_id) == ("evidence_bundle", digest)
    assert event.case_reference == cast.case.reference
    assert event.changed_fields == ["bundle", "pdf"]


def test_bundle_csv_withholds_and_neutralises_formulas(cast, client_for, bundle_case):
    client = make_fresh(client_for("lead_worker"))

    response = _post(client, cast.case, "csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response.content)
    texts = [row[6] for row in rows if len(row) > 6]
    assert "I know you live at [withheld] [withheld]" in texts
    assert "I know where you live. [withheld]" in texts
    assert '\'=HYPERLINK("http://example.invalid")' in texts
    assert "He waited outside [withheld] after dark." in texts
    times = [row[1] for row in rows if len(row) > 6 and row[0] == "message"]
    assert times[0] == "2024-03-03T09:15:00+00:00"
    _assert_withheld(response.content.decode("utf-8-sig"))


def test_bundle_json_withholds_and_lists_the_manifest(cast, client_for, bundle_case):
    client = make_fresh(client_for("lead_worker"))

    response = _post(client, cast.case, "json", perpetrator_only="on")

    data = json.loads(response.content)
    assert data["perpetrator_only"] is True
    senders = {
        row["sender"] for row in data["chronology"] if row["record"] == "message"
    }
    assert senders == {"Rowan Quill"}
    assert data["manifest"][0]["sha256"] == bundle_case.sha256
    assert data["manifest"][0]["size"] == len(CHAT)
    assert data["figures"]
    incident = next(r for r in data["chronology"] if r["record"] == "incident")
    assert incident["location"] == "[withheld]"
    _assert_withheld(response.content.decode())


def test_bundle_with_a_stale_factor_asks_for_the_step_up(cast, client_for, bundle_case):
    client = client_for("lead_worker")

    page = client.get(_url(cast.case))
    response = _post(client, cast.case, "pdf")

    assert 'name="step_up_code"' in page.text
    assert response["Content-Type"].startswith("text/html")
    assert "Enter the code from your authenticator app." in response.text
    assert not AuditEvent.objects.filter(
        event_type=EventType.EVIDENCE_EXPORTED
    ).exists()


def test_bundle_form_without_a_format_says_so(cast, client_for, bundle_case):
    response = make_fresh(client_for("lead_worker")).post(
        _url(cast.case), {"purpose": PURPOSE}
    )

    assert response.status_code == 200
    assert "Select a format." in response.text


def test_bundle_is_linked_from_the_evidence_and_conduct_pages(cast, client_for):
    client = client_for("lead_worker")
    url = _url(cast.case)

    listing = client.get(reverse("evidence:evidence-list", args=[cast.case.reference]))
    conduct = client.get(reverse("evidence:conduct", args=[cast.case.reference]))

    assert url in listing.text
    assert url in conduct.text


def test_bundle_is_not_found_for_an_outsider(cast, client_for, bundle_case):
    client = make_fresh(client_for("outsider"))

    assert client.get(_url(cast.case)).status_code == 404
    assert _post(client, cast.case, "pdf").status_code == 404
