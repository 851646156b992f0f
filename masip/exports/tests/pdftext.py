"""Text drawn on the pages of a reportlab PDF, for tests (no PDF library needed).

Reads every content stream (undoing reportlab's ASCII85 and Flate filters)
and collects the string operands of the text-showing operators ``Tj``, ``'``,
``"`` and ``TJ``, undoing PDF string escapes. Enough for reportlab's standard
fonts, which write text as literal strings; a line is one string, so a value
searched for is found whole unless it wraps.
"""

import base64
import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\s*endstream", re.DOTALL)
_STRING = re.compile(rb"\((?:\\.|[^\\)])*\)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(literal):
        char = literal[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        nxt = literal[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", literal[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(), 8) & 0xFF)
            i += 1 + len(octal.group())
        else:
            out += _ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def _decode(raw: bytes) -> bytes:
    """A stream's content: ASCII85 (as reportlab writes it) and Flate undone."""
    data = raw.strip()
    if data.endswith(b"~>"):
        data = base64.a85decode(data[:-2])
    try:
        return zlib.decompress(data)
    except zlib.error:
        return data


def _streams(pdf: bytes) -> list[bytes]:
    return [_decode(raw) for raw in _STREAM.findall(pdf)]


def pdf_text(pdf: bytes) -> str:
    """The text shown on the PDF's pages, one drawn string per line."""
    lines = []
    for stream in _streams(pdf):
        for literal in _STRING.findall(stream):
            lines.append(_unescape(literal[1:-1]).decode("cp1252", "replace"))
    return "\n".join(lines)
