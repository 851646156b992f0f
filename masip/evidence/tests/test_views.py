"""The evidence pages: list, upload, item, display copy and download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.evidence.models import EvidenceItem
from masip.evidence.tests.vault_helpers import (
    EXE,
    EXIF_CANARY,
    PDF,
    TEXT,
    jpeg_with_gps,
    upload,
)

pytestmark = pytest.mark.usefixtures("evidence_root")


def _url(name, case, item=None):
    kwargs = {"reference": case.reference}
    if item is not None:
        kwargs["public_id"] = item.public_id
    return reverse(f"evidence:{name}", kwargs=kwargs)


def _post_upload(client, case, content=PDF, name="statement.pdf", **data):
    return client.post(
        _url("evidence-upload", case),
        {"file": SimpleUploadedFile(name, content), "description": "", **data},
    )


def _errors(response) -> str:
    return response.content.decode()


def test_evidence_list_shows_items_and_the_sub_navigation(cast, client_for):
    item = upload(cast.lead_worker, cast.case, PDF, "statement.pdf")

    response = client_for("lead_worker").get(_url("evidence-list", cast.case))

    page = response.content.decode()
    assert response.status_code == 200
    assert "statement.pdf" in page
    assert item.sha256[:16] in page
    assert 'aria-current="page" href="' + _url("evidence-list", cast.case) in page
    assert "Upload evidence" in page


@pytest.mark.parametrize(
    ("name", "per_item"),
    [
        ("evidence-list", False),
        ("evidence-upload", False),
        ("evidence-detail", True),
        ("evidence-display", True),
        ("evidence-download", True),
    ],
)
def test_outsider_gets_404_for_every_evidence_page(cast, client_for, name, per_item):
    item = upload(cast.lead_worker, cast.case, jpeg_with_gps())
    url = _url(name, cast.case, item if per_item else None)

    client = client_for("outsider")

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_another_cases_item_answers_404(cast, client_for):
    theirs = upload(cast.outsider, cast.other_case, PDF)

    response = client_for("lead_worker").get(_url("evidence-detail", cast.case, theirs))

    assert response.status_code == 404


def test_roles_without_the_verb_get_403(cast, client_for):
    response = client_for("panel_coordinator").get(
        _url("evidence-list", cast.case), follow=False
    )

    # The panel coordinator reaches the case but holds no evidence verb.
    assert response.status_code == 403


def test_upload_stores_the_file_and_redirects_to_the_item(cast, client_for):
    client = client_for("lead_worker")

    response = _post_upload(
        client, cast.case, incident=str(cast.incident.public_id), description="From X"
    )

    item = EvidenceItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("evidence-detail", cast.case, item)
    assert (item.incident, item.description) == (cast.incident, "From X")
    assert "Evidence uploaded." in client.get(response["Location"]).content.decode()


def test_upload_over_the_limit_shows_a_form_error(cast, client_for, settings):
    settings.MASIP_EVIDENCE_MAX_BYTES = 100

    response = _post_upload(client_for("lead_worker"), cast.case, TEXT * 3, "chat.txt")

    assert response.status_code == 200
    assert "The selected file must be smaller than 100" in _errors(response)
    assert "govuk-error-summary" in _errors(response)
    assert not EvidenceItem.objects.exists()


def test_upload_of_an_empty_file_shows_a_form_error(cast, client_for):
    response = _post_upload(client_for("lead_worker"), cast.case, b"", "empty.txt")

    assert response.status_code == 200
    assert "The selected file is empty." in _errors(response)


def test_upload_of_a_program_shows_the_reason(cast, client_for):
    response = _post_upload(client_for("lead_worker"), cast.case, EXE, "photo.jpg")

    assert response.status_code == 200
    assert "Programs cannot be stored as evidence" in _errors(response)
    assert not EvidenceItem.objects.exists()


def test_upload_of_an_unknown_type_shows_the_reason(cast, client_for):
    response = _post_upload(
        client_for("lead_worker"), cast.case, bytes(range(256)) * 8, "x.dat"
    )

    assert response.status_code == 200
    assert "cannot tell what kind of file this is" in _errors(response)


def test_upload_without_a_file_asks_for_one(cast, client_for):
    response = client_for("lead_worker").post(
        _url("evidence-upload", cast.case), {"description": "No file"}
    )

    assert response.status_code == 200
    assert "Select a file to upload." in _errors(response)


def test_upload_with_another_cases_incident_is_refused(cast, client_for):
    from masip.incidents.tests.factories import IncidentFactory

    elsewhere = IncidentFactory(case=cast.other_case)

    response = _post_upload(
        client_for("lead_worker"), cast.case, incident=str(elsewhere.public_id)
    )

    assert response.status_code == 200
    assert "Select an incident of this case." in _errors(response)


def test_item_page_records_the_view_and_shows_the_chain_of_custody(cast, client_for):
    item = upload(cast.lead_worker, cast.case, PDF, "statement.pdf")

    response = client_for("lead_worker").get(_url("evidence-detail", cast.case, item))

    page = response.content.decode()
    assert response.status_code == 200
    assert item.sha256 in page
    assert "Uploaded evidence" in page
    assert "Viewed evidence" in page
    assert AuditEvent.objects.filter(
        event_type=EventType.EVIDENCE_VIEWED, target_id=str(item.public_id)
    ).exists()


def test_download_gives_the_original_as_an_attachment_and_is_audited(cast, client_for):
    item = upload(cast.lead_worker, cast.case, PDF, "statement.pdf")

    response = client_for("lead_worker").get(_url("evidence-download", cast.case, item))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="statement.pdf"'
    assert response["Content-Length"] == str(len(PDF))
    assert AuditEvent.objects.filter(
        event_type=EventType.EVIDENCE_DOWNLOADED, target_id=str(item.public_id)
    ).exists()


def test_display_copy_is_served_without_metadata(cast, client_for):
    item = upload(cast.lead_worker, cast.case, jpeg_with_gps(), "IMG_0001.jpg")

    response = client_for("partner_worker").get(
        _url("evidence-display", cast.case, item)
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert EXIF_CANARY.encode() not in response.content
    assert AuditEvent.objects.filter(
        event_type=EventType.EVIDENCE_DISPLAY_VIEWED
    ).exists()


def test_image_original_needs_the_victim_location_compartment(cast, client_for):
    image = upload(cast.lead_worker, cast.case, jpeg_with_gps(), "IMG_0001.jpg")
    pdf = upload(cast.lead_worker, cast.case, PDF)
    probation = client_for("partner_worker")

    denied = probation.get(_url("evidence-download", cast.case, image))
    allowed = probation.get(_url("evidence-download", cast.case, pdf))
    advocate = client_for("advocate").get(_url("evidence-download", cast.case, image))

    assert denied.status_code == 403
    assert allowed.status_code == 200
    assert advocate.status_code == 200
    assert EXIF_CANARY.encode() in b"".join(advocate.streaming_content)


def test_a_changed_stored_file_gives_a_page_not_a_500(cast, client_for, evidence_root):
    item = upload(cast.lead_worker, cast.case, PDF)
    path = evidence_root / item.storage_key
    raw = bytearray(path.read_bytes())
    raw[-3] ^= 0x01
    path.write_bytes(bytes(raw))

    response = client_for("lead_worker").get(_url("evidence-download", cast.case, item))

    assert response.status_code == 503
    assert "This evidence cannot be opened" in response.content.decode()


def test_display_of_an_item_without_one_answers_404(cast, client_for):
    item = upload(cast.lead_worker, cast.case, PDF)

    response = client_for("lead_worker").get(_url("evidence-display", cast.case, item))

    assert response.status_code == 404


def _list_queries(client, case) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("evidence-list", case)).status_code == 200
    return len(queries)


def test_evidence_list_runs_a_constant_number_of_queries(cast, client_for):
    client = client_for("lead_worker")
    for n in range(2):
        upload(cast.lead_worker, cast.case, TEXT + str(n).encode(), f"{n}.txt")
    few = _list_queries(client, cast.case)
    for n in range(2, 20):
        upload(cast.lead_worker, cast.case, TEXT + str(n).encode(), f"{n}.txt")

    many = _list_queries(client, cast.case)

    assert many == few
