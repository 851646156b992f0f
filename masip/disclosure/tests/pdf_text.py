"""The text drawn in a PDF, read from its content streams (no poppler here).

reportlab writes text as ``(...) Tj`` strings inside page streams, compressed
with ``/ASCII85Decode /FlateDecode`` unless compression is off; both are read.
"""

import base64
import re
import zlib

_STREAM = re.compile(rb"<<(?P<dict>.*?)>>\s*stream\r?\n(?P<data>.*?)endstream", re.S)
_STRING = re.compile(rb"\((?P<s>(?:\\.|[^\\)])*)\)")


def _decoded(dictionary: bytes, data: bytes) -> bytes:
    if b"/ASCII85Decode" in dictionary:
        data = base64.a85decode(data.strip().removesuffix(b"~>"), adobe=False)
    if b"/FlateDecode" in dictionary:
        data = zlib.decompress(data)
    return data


def _unescape(raw: bytes) -> str:
    text = re.sub(rb"\\([()\\])", rb"\1", raw)
    return text.decode("latin-1")


def pdf_text(pdf: bytes) -> str:
    """Every string shown in the PDF's streams, joined by spaces."""
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    strings = []
    for match in _STREAM.finditer(pdf):
        content = _decoded(match["dict"], match["data"])
        strings += [_unescape(s["s"]) for s in _STRING.finditer(content)]
    return " ".join(strings)
