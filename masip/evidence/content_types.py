"""What a file is, told from its bytes, never from its name.

``detect(head, file)`` reads the first bytes (``HEAD_BYTES``) through
puremagic (a pure-Python table of file signatures) and answers a
:class:`Detected` type from the list MASIP accepts as evidence, or raises
:class:`RefusedType` with a reason a user can act on. Programs, scripts, web
pages and SVG (which can carry script) are refused by name; anything MASIP
cannot recognise is refused too. Files with no signature are accepted as text
only when they read as text.
"""

from __future__ import annotations

import csv
import enum
import re
import zipfile
from dataclasses import dataclass
from typing import IO

import puremagic

HEAD_BYTES = 64 * 1024


class Family(enum.StrEnum):
    IMAGE = "image"
    PDF = "pdf"
    TEXT = "text"
    ARCHIVE = "archive"
    EMAIL = "email"
    XML = "xml"
    AUDIO = "audio"
    VIDEO = "video"


FAMILY_LABELS = {
    Family.IMAGE: "Image",
    Family.PDF: "PDF document",
    Family.TEXT: "Text",
    Family.ARCHIVE: "Zip archive",
    Family.EMAIL: "Email",
    Family.XML: "XML",
    Family.AUDIO: "Audio",
    Family.VIDEO: "Video",
}


@dataclass(frozen=True)
class Detected:
    content_type: str
    family: Family


class RefusedType(Exception):
    """The file is not accepted as evidence; ``str(error)`` is shown to the user."""


# puremagic's extension of a match -> what MASIP stores it as.
ACCEPTED: dict[str, Detected] = {
    ".jpg": Detected("image/jpeg", Family.IMAGE),
    ".jpeg": Detected("image/jpeg", Family.IMAGE),
    ".jfif": Detected("image/jpeg", Family.IMAGE),
    ".png": Detected("image/png", Family.IMAGE),
    ".gif": Detected("image/gif", Family.IMAGE),
    ".webp": Detected("image/webp", Family.IMAGE),
    ".tif": Detected("image/tiff", Family.IMAGE),
    ".tiff": Detected("image/tiff", Family.IMAGE),
    ".bmp": Detected("image/bmp", Family.IMAGE),
    ".heic": Detected("image/heic", Family.IMAGE),
    ".heif": Detected("image/heif", Family.IMAGE),
    ".pdf": Detected("application/pdf", Family.PDF),
    ".eml": Detected("message/rfc822", Family.EMAIL),
    ".mbox": Detected("application/mbox", Family.EMAIL),
    ".xml": Detected("application/xml", Family.XML),
    ".wav": Detected("audio/wav", Family.AUDIO),
    ".mp3": Detected("audio/mpeg", Family.AUDIO),
    ".m4a": Detected("audio/mp4", Family.AUDIO),
    ".f4a": Detected("audio/mp4", Family.AUDIO),
    ".aac": Detected("audio/aac", Family.AUDIO),
    ".amr": Detected("audio/amr", Family.AUDIO),
    ".flac": Detected("audio/flac", Family.AUDIO),
    ".ogg": Detected("audio/ogg", Family.AUDIO),
    ".oga": Detected("audio/ogg", Family.AUDIO),
    ".opus": Detected("audio/ogg", Family.AUDIO),
    ".mp4": Detected("video/mp4", Family.VIDEO),
    ".m4v": Detected("video/mp4", Family.VIDEO),
    ".mov": Detected("video/quicktime", Family.VIDEO),
    ".3gp": Detected("video/3gpp", Family.VIDEO),
    ".3g2": Detected("video/3gpp2", Family.VIDEO),
    ".webm": Detected("video/webm", Family.VIDEO),
    ".mkv": Detected("video/x-matroska", Family.VIDEO),
    ".avi": Detected("video/x-msvideo", Family.VIDEO),
}

_PROGRAM = (
    "This file is a program or script. Programs cannot be stored as evidence: "
    "take a screenshot of what matters instead."
)
_WEB_PAGE = (
    "This file is a web page or SVG drawing, which can run code when opened. "
    "Save it as a PDF or take a screenshot instead."
)
_OFFICE = (
    "This file is a Word, Excel or PowerPoint document, which can carry macros. "
    "Save it as a PDF and upload that instead."
)
_UNKNOWN = (
    "MASIP cannot tell what kind of file this is from its contents. Upload an "
    "image, PDF, text or CSV file, a zip export, XML, an email (.eml or .mbox), "
    "or common audio or video."
)

REFUSED_EXTENSIONS = {
    ".exe": _PROGRAM,
    ".dll": _PROGRAM,
    ".drv": _PROGRAM,
    ".msi": _PROGRAM,
    ".class": _PROGRAM,
    ".html": _WEB_PAGE,
    ".htm": _WEB_PAGE,
    ".xhtml": _WEB_PAGE,
    ".svg": _WEB_PAGE,
}
_PROGRAM_SIGNATURES = (
    b"MZ",  # Windows executables
    b"\x7fELF",  # Linux executables
    b"\xfe\xed\xfa\xce",  # Mach-O, both word sizes and byte orders
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal binaries and Java classes
    b"#!",  # scripts
)
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")


def detect(head: bytes, file: IO[bytes] | None = None) -> Detected:
    """The type of a file whose first bytes are ``head``.

    ``file`` (seekable, the whole file) lets a zip be looked inside, to tell
    an Office document from an export; it is left at an unknown position.
    """
    if not head:
        raise RefusedType("The selected file is empty.")
    if head.startswith(_PROGRAM_SIGNATURES):
        raise RefusedType(_PROGRAM)
    if head.startswith(_ZIP_SIGNATURES):
        return _zip(file)
    for match in _matches(head):
        extension = match.extension.lower()
        if extension in REFUSED_EXTENSIONS:
            raise RefusedType(REFUSED_EXTENSIONS[extension])
        if extension in ACCEPTED:
            found = ACCEPTED[extension]
            if found.family == Family.XML and _xml_root(head) in _MARKUP_ROOTS:
                raise RefusedType(_WEB_PAGE)
            return found
    if _looks_like_markup(head):
        raise RefusedType(_WEB_PAGE)
    text = _as_text(head)
    if text is None:
        raise RefusedType(_UNKNOWN)
    return Detected("text/csv" if _is_csv(text) else "text/plain", Family.TEXT)


def _matches(head: bytes) -> list[puremagic.PureMagicWithConfidence]:
    try:
        return list(puremagic.magic_string(head))
    except puremagic.PureError:
        return []


def _zip(file: IO[bytes] | None) -> Detected:
    if file is not None:
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise RefusedType(
                "This zip file is damaged or incomplete. Export it again."
            ) from None
        if "[Content_Types].xml" in names:
            raise RefusedType(_OFFICE)
    return Detected("application/zip", Family.ARCHIVE)


_MARKUP_ROOTS = {"svg", "html"}
_FIRST_ELEMENT = re.compile(rb"<\s*([A-Za-z_][\w.:-]*)")


def _xml_root(head: bytes) -> str:
    """The name of the first element (without a namespace prefix), lower case."""
    body = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!.*?>", b"", head[:8192], flags=re.S)
    match = _FIRST_ELEMENT.search(body)
    if match is None:
        return ""
    return match.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].lower()


def _looks_like_markup(head: bytes) -> bool:
    start = head[:512].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html", b"<svg", b"<script"))


def _as_text(head: bytes) -> str | None:
    """``head`` as text if it reads as UTF-8 (or UTF-16 with a mark), else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
        if b"\x00" in head:
            return None
    # The head may end inside a character: allow up to three bytes cut off.
    for cut in range(4):
        try:
            text = head[: len(head) - cut].decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        # Real exports carry the odd bad byte (a cut emoji, a Windows-1252
        # character in a CSV): still text if such bytes are rare.
        text = head.decode(encoding, "replace")
        if text.count("\ufffd") > max(1, len(text) // 10):
            return None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    return None if controls > len(text) // 100 else text


def _is_csv(text: str) -> bool:
    """Two or more lines with the same number (at least two) of fields."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(lines) < 2:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:10]), delimiters=",;\t")
    except csv.Error:
        return False
    widths = {len(row) for row in csv.reader(lines[:-1], dialect)}
    return len(widths) == 1 and widths.pop() >= 2
