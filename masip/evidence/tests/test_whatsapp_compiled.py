"""The compiled WhatsApp scanner gives exactly what the Python one gives.

``whatsapp._python_entries`` is the reference (ADR 0025). Every fixture, and
exports generated in every layout with the awkward parts (multi-line
messages, markers, attachments, invisible marks, bytes that are not UTF-8,
impossible dates, lines that look like headers, repeats in one minute,
clock changes, times around midnight, CRLF), are read both ways, in pieces
small enough that messages straddle them, and must give the same entries,
digests, problems and notes.
"""

import io
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masip.evidence.parsers import whatsapp
from masip.evidence.parsers.base import ParseError, ParseReport, entry_digest

FIXTURES = Path(__file__).parent / "fixtures" / "whatsapp"
LONDON = ZoneInfo("Europe/London")


def read_both_ways(data, *, tz=LONDON, chunk=None, **kwargs):
    """(compiled result, Python result); each is (pairs, report) or the
    ParseError raised."""
    return tuple(
        _read(data, compiled=flag, tz=tz, chunk=chunk, **kwargs)
        for flag in (True, False)
    )


def _read(data, *, compiled, tz, chunk, **kwargs):
    with ExitStack() as stack:
        if not compiled:
            stack.enter_context(patch.object(whatsapp, "compiled", None))
        if chunk:
            stack.enter_context(patch.object(whatsapp, "CHUNK", chunk))
            stack.enter_context(patch.object(whatsapp, "BATCH", 3))
        report = ParseReport()
        try:
            pairs = list(
                whatsapp.parse_digested(
                    io.BytesIO(data), report=report, tz=tz, **kwargs
                )
            )
        except ParseError as error:
            return type(error), str(error)
        return pairs, report


def assert_same(compiled, python):
    if isinstance(python[0], type):  # both refused the file
        assert compiled == python
        return
    (pairs, report), (expected_pairs, expected_report) = compiled, python
    assert [entry for _, entry in pairs] == [entry for _, entry in expected_pairs]
    assert [digest for digest, _ in pairs] == [d for d, _ in expected_pairs]
    assert all(digest == entry_digest(entry) for digest, entry in pairs)
    assert report == expected_report


def test_the_compiled_scanner_is_built():
    # `make deps` builds it (setup.py); without it imports fall back to the
    # Python scanner, which is correct but four times slower.
    assert whatsapp.compiled is not None


@pytest.mark.parametrize(
    "name", sorted(p.name for p in FIXTURES.iterdir() if p.suffix == ".txt")
)
@pytest.mark.parametrize("chunk", [None, 97])
def test_every_fixture_reads_the_same_both_ways(name, chunk):
    data = (FIXTURES / name).read_bytes()
    order = "dmy" if name == "ambiguous.txt" else None

    compiled, python = read_both_ways(data, chunk=chunk, date_order=order)

    assert_same(compiled, python)
    assert compiled[1].items_read or name == "malformed.txt"


def test_the_zip_export_reads_the_same_both_ways():
    compiled, python = read_both_ways((FIXTURES / "ios_export.zip").read_bytes())

    assert_same(compiled, python)


# --- generated exports ----------------------------------------------------------

LAYOUTS = {
    # name: header of (local datetime) -> str
    "android_uk": lambda t: f"{t:%d/%m/%Y, %H:%M} - ",
    "us_12h": lambda t: f"{t.month}/{t.day}/{t:%y}, {_h12(t)}:{t:%M}\u202f{t:%p} - ",
    "ios_uk": lambda t: f"[{t:%d/%m/%Y, %H:%M:%S}] ",
    "ios_us": lambda t: f"[{t.month}/{t.day}/{t:%y}, {_h12(t)}:{t:%M:%S}\u202f{t:%p}] ",
    "fi_klo": lambda t: f"{t.day}.{t.month}.{t.year} klo {t.hour}.{t:%M} - ",
    "de": lambda t: f"{t:%d.%m.%y}, {t:%H:%M} - ",
    "year_first": lambda t: f"{t:%Y-%m-%d %H:%M} - ",
    "es_ampm": lambda t: (
        f"{t.day}/{t.month}/{t:%y}, {_h12(t)}:{t:%M} "
        f"{'a. m.' if t.hour < 12 else 'p. m.'} - "
    ),
    "colon": lambda t: f"{t:%d/%m/%Y, %H:%M}: ",
}


def _h12(t):
    return t.hour % 12 or 12


SENDERS = ["Ama Nwosu", "Bryn Talfryn", "+44 7700 900123", "Dara Quill 🌻", "Ēlo"]
TEXTS = [
    "ok",
    "where are you",
    "<Media omitted>",
    "image omitted",
    "\u200eimage omitted",
    "This message was deleted",
    "You deleted this message.",
    "<attached: 00000012-PHOTO-2024-02-12-21-04-33.jpg>",
    "\u200e<attached: 00000013-AUDIO.opus>",
    "IMG-20240212-WA0001.jpg (file attached)",
    "\u200eEve added Finn",
    "\u200f\u0645\u0631\u062d\u0628\u0627",  # right-to-left text
    "I saw you at 12/02/2024, 21:04 - again",
    "line one\nline two",
    "first\n12/02/2024, 21:04 not a header\nlast",
    "emoji 😀 and café",
    "x: y",
    "",
]
SYSTEM = ["Messages and calls are end-to-end encrypted.", "Ama Nwosu left", "X added Y"]


def wall(*fields):
    """A phone's wall-clock time: exports carry no zone."""
    return datetime(*fields)  # noqa: DTZ001


START = wall(2024, 3, 30, 22, 0)  # the clocks go forward on 31 March
EDGES = [
    wall(2024, 3, 31, 0, 59),
    wall(2024, 3, 31, 1, 30),  # does not exist in London
    wall(2024, 10, 27, 1, 30),  # happens twice in London
    wall(2024, 12, 31, 23, 59),
    wall(2025, 1, 1, 0, 0),
    wall(2024, 2, 29, 0, 30),
]


@st.composite
def exports(draw):
    layout = draw(st.sampled_from(sorted(LAYOUTS)))
    header = LAYOUTS[layout]
    times = sorted(
        draw(
            st.lists(
                st.one_of(
                    st.sampled_from(EDGES),
                    st.integers(0, 400 * 24 * 60).map(
                        lambda m: START + timedelta(minutes=m)
                    ),
                ),
                min_size=1,
                max_size=25,
            )
        )
    )
    lines = []
    if draw(st.booleans()):
        lines.append(b"exported by a phone")
    for when in times:
        for _ in range(draw(st.integers(1, 3))):  # repeats in one minute
            lines.append(draw(_message(header, when)))
    newline = b"\r\n" if draw(st.booleans()) else b"\n"
    data = newline.join(lines) + (newline if draw(st.booleans()) else b"")
    if draw(st.booleans()):
        data = whatsapp.BOM + data
    return data


@st.composite
def _message(draw, header, when):
    head = header(when).encode()
    if draw(st.integers(0, 9)) == 0:
        head = "\u200e".encode() + head
    choice = draw(st.integers(0, 19))
    if choice == 0:
        return head + draw(st.sampled_from(SYSTEM)).encode()
    if choice == 1:  # a date that cannot be
        return (
            head.replace(f"{when.year}".encode(), b"2024", 1).replace(
                f"{when:%M}".encode(), b"61", 1
            )
            + b"Ama Nwosu: odd"
        )
    if choice == 2:
        return head + b"Ama Nwosu: caf\xe9 in Latin-1"
    if choice == 3:  # an iPhone group event
        return head + "Family: \u200eEve added Finn".encode()
    if choice == 4:  # colons that do not make a sender
        return head + draw(st.sampled_from([b": no name", b"Ama:no space", b"Ama :x"]))
    sender = draw(st.sampled_from(SENDERS))
    text = draw(st.sampled_from(TEXTS))
    return head + f"{sender}: {text}".encode()


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    data=exports(),
    chunk=st.sampled_from([None, 41, 256]),
    order=st.sampled_from([None, "dmy", "mdy"]),
    tz=st.sampled_from(["Europe/London", "America/New_York", "Australia/Lord_Howe"]),
)
def test_generated_exports_read_the_same_both_ways(data, chunk, order, tz):
    compiled, python = read_both_ways(
        data, tz=ZoneInfo(tz), chunk=chunk, date_order=order
    )

    assert_same(compiled, python)


def test_layouts_the_compiled_matcher_cannot_follow_go_to_python():
    layout = whatsapp.Layout(
        bracket=False,
        date_sep=b"/",
        year_first=False,
        time_sep=b":",
        twelve_hour=False,
        separator=" - ",
        crlf=False,
        mid=b"",
    )

    assert not whatsapp.compiled.supports(layout)
    assert whatsapp.compiled.supports(
        whatsapp.Layout(**{**vars_of(layout), "mid": b", "})
    )


def vars_of(layout):
    return {name: getattr(layout, name) for name in layout.__dataclass_fields__}


# Bytes that are mostly not an export: headers cut short anywhere, stray
# marks, digits and separators, lone line breaks. Both scanners must agree
# (the compiled one reads the buffer by pointer; a read past the end would
# show here as a difference or a crash).
FRAGMENTS = [
    b"12/02/2024, 21:04 - ",
    b"[12/02/2024, 21:04:33] ",
    b"2/12/24, 9:04\xe2\x80\xafPM - ",
    b"12.2.2024 klo 21.04 - ",
    b"Ama: ",
    b"\xe2\x80\x8e",
    b"\xe2\x80",
    b"\n",
    b"\r\n",
    b"13/",
    b"31/12/",
    b"9",
    b":",
    b" - ",
    b"]",
    b"\xc2",
    b"\xff",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.binary(max_size=6))),
    chunk=st.sampled_from([None, 7, 64]),
)
def test_garbage_reads_the_same_both_ways(parts, chunk):
    data = b"12/02/2024, 21:04 - Ama: start\n" + b"".join(parts)

    compiled, python = read_both_ways(data, chunk=chunk, date_order="dmy")

    assert_same(compiled, python)
