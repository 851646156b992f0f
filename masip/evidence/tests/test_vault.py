"""Receiving evidence: type from content, hash on arrival, sealed, audited."""

import hashlib
import io

import pytest
from django.db import connection
from PIL import Image

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.core.errors import DomainError
from masip.evidence.content_types import Family, RefusedType, detect
from masip.evidence.models import EvidenceItem
from masip.evidence.services import EvidenceRefused, clean_name
from masip.evidence.storage import evidence_store
from masip.evidence.tests.vault_helpers import (
    EXE,
    EXIF_CANARY,
    PDF,
    TEXT,
    docx,
    jpeg_with_gps,
    png,
    upload,
    whatsapp_zip,
)
from masip.incidents.tests.factories import IncidentFactory

pytestmark = pytest.mark.usefixtures("evidence_root")


@pytest.mark.parametrize(
    ("content", "content_type", "family"),
    [
        (png(), "image/png", Family.IMAGE),
        (jpeg_with_gps(), "image/jpeg", Family.IMAGE),
        (PDF, "application/pdf", Family.PDF),
        (TEXT, "text/plain", Family.TEXT),
        (b"date,from,to\n2024-01-01,a,b\n2024-01-02,b,a\n", "text/csv", Family.TEXT),
        (whatsapp_zip(), "application/zip", Family.ARCHIVE),
        (
            b"<?xml version='1.0'?>\n<smses count=\"0\"></smses>",
            "application/xml",
            Family.XML,
        ),
        (
            b"Received: from x\nMessage-ID: <a@example.test>\n"
            b"From: a@example.test\n\nHi",
            "message/rfc822",
            Family.EMAIL,
        ),
        (
            b"From MAILER-DAEMON Thu Jan  1 00:00:00 2024\nFrom: a@example.test\n\nx\n",
            "application/mbox",
            Family.EMAIL,
        ),
        (
            b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x10\x00\x00\x00" + b"\x00" * 24,
            "audio/wav",
            Family.AUDIO,
        ),
        (
            b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 40,
            "video/mp4",
            Family.VIDEO,
        ),
    ],
)
def test_detect_tells_accepted_types_from_content(content, content_type, family):
    detected = detect(content[:65536], io.BytesIO(content))

    assert (detected.content_type, detected.family) == (content_type, family)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (EXE, "program"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "program"),
        (b"#!/bin/sh\necho synthetic\n", "program"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "web page"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "web page"),
        (docx(), "Word, Excel or PowerPoint"),
        (bytes(range(256)) * 4, "cannot tell what kind of file"),
        (b"PK\x03\x04 not really a zip", "damaged"),
        (b"", "empty"),
    ],
)
def test_detect_refuses_dangerous_and_unknown_files_with_a_reason(content, reason):
    with pytest.raises(RefusedType, match=reason):
        detect(content[:65536], io.BytesIO(content))


@pytest.mark.parametrize(
    "content",
    [
        "12/02/2024, 21:04 - Ama: caf\u00e9 at 9\n".encode("cp1252") * 20,
        b"Time;From;Text\n" + b"12/02/2024 21:04;Ama;see you \xff\n" * 40,
    ],
    ids=["windows-1252-chat", "csv-with-a-bad-byte"],
)
def test_detect_takes_text_with_a_few_bad_bytes_as_text(content):
    detected = detect(content[:65536], io.BytesIO(content))

    assert detected.family == Family.TEXT


def test_upload_hashes_seals_stores_and_audits(cast, evidence_root):
    item = upload(
        cast.lead_worker,
        cast.case,
        PDF,
        "statement.pdf",
        description="Sent by the victim",
    )

    raw_files = [p.read_bytes() for p in evidence_root.rglob("*") if p.is_file()]
    event = AuditEvent.objects.get(event_type=EventType.EVIDENCE_UPLOADED)
    assert item.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (item.size, item.content_type, item.family) == (
        len(PDF),
        "application/pdf",
        "pdf",
    )
    assert item.storage_key.endswith(item.sha256)
    assert item.encryption_key_id == evidence_store().header(item.storage_key).key_id
    assert len(raw_files) == 1
    assert b"Catalog" not in raw_files[0]
    assert evidence_store().read_all(item.storage_key) == PDF
    assert (event.target_type, event.target_id) == ("evidence", str(item.public_id))
    assert event.case_reference == cast.case.reference


def test_upload_type_comes_from_content_not_name(cast):
    item = upload(cast.lead_worker, cast.case, png(), "notes.txt")

    assert item.content_type == "image/png"
    with pytest.raises(EvidenceRefused, match="program"):
        upload(cast.lead_worker, cast.case, EXE, "holiday.jpg")


def test_upload_refuses_a_file_over_the_limit_and_stores_nothing(
    cast, settings, evidence_root
):
    settings.MASIP_EVIDENCE_MAX_BYTES = 1024

    with pytest.raises(EvidenceRefused, match=r"must be smaller than 1\.0.KB"):
        upload(cast.lead_worker, cast.case, b"x" * 1025, "long.txt")

    assert not EvidenceItem.objects.exists()
    assert not any(p.is_file() for p in evidence_root.rglob("*"))


def test_upload_accepts_a_file_exactly_at_the_limit(cast, settings):
    settings.MASIP_EVIDENCE_MAX_BYTES = 1024

    item = upload(cast.lead_worker, cast.case, b"y" * 1024, "exact.txt")

    assert item.size == 1024


def test_upload_refuses_an_empty_file(cast):
    with pytest.raises(EvidenceRefused, match="empty"):
        upload(cast.lead_worker, cast.case, b"", "nothing.txt")


def test_upload_refuses_an_incident_of_another_case(cast):
    elsewhere = IncidentFactory(case=cast.other_case)

    with pytest.raises(DomainError, match="incident of this case"):
        upload(cast.lead_worker, cast.case, PDF, incident=elsewhere)


def test_upload_links_an_incident_of_the_case(cast):
    item = upload(cast.lead_worker, cast.case, PDF, incident=cast.incident)

    assert item.incident == cast.incident


def test_display_copy_of_an_image_has_no_metadata(cast):
    original = jpeg_with_gps()
    assert EXIF_CANARY.encode() in original

    item = upload(cast.lead_worker, cast.case, original, "IMG_0001.jpg")

    display = evidence_store().read_all(item.display_storage_key)
    reopened = Image.open(io.BytesIO(display))
    assert item.display_content_type == "image/jpeg"
    assert item.display_sha256 == hashlib.sha256(display).hexdigest()
    assert EXIF_CANARY.encode() not in display
    assert b"Exif" not in display
    assert not reopened.getexif()
    assert reopened.size == (32, 24)
    assert evidence_store().read_all(item.storage_key) == original


def test_no_display_copy_for_files_that_are_not_images(cast):
    item = upload(cast.lead_worker, cast.case, PDF)

    assert not item.has_display_copy


def test_original_name_and_description_are_sealed_at_rest(cast):
    item = upload(
        cast.lead_worker,
        cast.case,
        PDF,
        "Chat with Avery Testvictim.pdf",
        description="Canarydescription of the home",
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT original_name, description FROM evidence_evidenceitem"
            " WHERE id = %s",
            [item.pk],
        )
        stored = cursor.fetchone()
    reloaded = EvidenceItem.objects.get(pk=item.pk)
    assert all(value.startswith("v1.") for value in stored)
    assert "Testvictim" not in "".join(stored)
    assert reloaded.original_name == "Chat with Avery Testvictim.pdf"
    assert reloaded.description == "Canarydescription of the home"


def test_the_same_file_twice_shares_one_stored_object(cast, evidence_root):
    first = upload(cast.lead_worker, cast.case, PDF)
    second = upload(cast.lead_worker, cast.case, PDF)

    assert first.storage_key == second.storage_key
    assert sum(1 for p in evidence_root.rglob("*") if p.is_file()) == 1


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("C:\\Users\\someone\\photo.jpg", "photo.jpg"),
        ("../../etc/passwd", "passwd"),
        ("bad\x00name\x07.txt", "badname.txt"),
        ("", "Unnamed file"),
        ("a" * 300, "a" * 255),
    ],
)
def test_clean_name_keeps_only_a_printable_base_name(given, kept):
    assert clean_name(given) == kept
