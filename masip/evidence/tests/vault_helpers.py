"""Helpers for the evidence vault's tests: a private store and synthetic files.

Test modules use ``pytestmark = pytest.mark.usefixtures("evidence_root")``
(importing the fixture) so that every stored file lands in the test's own
temporary folder, never under var/.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from masip.evidence import services
from masip.people.tests.factories import actor_for

EXIF_CANARY = "Canaryexif taken outside 41 Kestrel Row"


@pytest.fixture
def evidence_root(settings, tmp_path):
    root = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def jpeg_with_gps() -> bytes:
    """A small JPEG whose EXIF holds a description and a GPS position."""
    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.ImageDescription] = EXIF_CANARY
    exif[ExifTags.Base.Orientation] = 1
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 40.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 90, 200, 255)).save(out, format="PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
TEXT = b"12/02/2024, 21:14 - Sam Example: Synthetic message one\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def whatsapp_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("_chat.txt", TEXT)
        archive.writestr("IMG-20240212-WA0001.jpg", jpeg_with_gps())
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def upload(user, case, content: bytes, name: str = "file.bin", **kwargs):
    """Upload ``content`` to ``case`` as ``user`` through the service."""
    return services.evidence_upload(
        actor=actor_for(user),
        case=case,
        uploaded_file=SimpleUploadedFile(name, content),
        name=name,
        **kwargs,
    )
