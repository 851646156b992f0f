"""WhatsApp chat exports: the ``.txt`` a phone writes, or the ``.zip`` around it.

A message starts with a header line and runs until the next header::

    12/02/2024, 21:04 - Ama Nwosu: are you home?          (Android)
    [12/02/2024, 21:04:33] Ama Nwosu: are you home?        (iPhone)
    12.2.2024 klo 21.04 - Ama Nwosu: oletko kotona?        (Finnish)
    2/12/24, 9:04\u202fPM - Ama Nwosu: are you home?        (US, 12-hour)

How it is read
--------------

* **Layout.** The first lines that look like headers are read with one
  forgiving pattern, which tells the layout: brackets or not, the date
  separator (``/``, ``.`` or ``-``), whether the year comes first, the time
  separator (``:`` or ``.``, Finnish ``klo``), AM/PM or 24-hour, and the
  separator after the time (`` - ``, ``: `` or ``] ``). One pattern for that
  layout alone is then compiled and used for the whole file; other layouts
  are never tried per line. Seconds are optional in it; what stands between
  date and time (``", "``, ``" "``, ``" klo "``) is the first lines' own.
* **Date order.** Day first or month first is decided from the whole file in
  a pre-pass over the raw bytes: a header whose first field is over 12 proves
  day first, one whose second field is over 12 proves month first. If the
  file proves neither and ``date_order`` was not given,
  :class:`AmbiguousDateOrder` is raised with examples. If it proves both, the
  order more headers support is used and the others are reported as
  problems (their month is over 12). A given ``date_order`` is used as is.
  Two-digit years are 20xx (WhatsApp is younger than 2000).
* **Messages.** Lines that are not headers belong to the message above them
  and are kept byte for byte with their line breaks (``\\r\\n`` too); the line
  break that ends a message is not part of it. ``Name: text`` gives a sender;
  a header line without ``": "`` is a system message (encryption notice,
  "X added Y", "X left"), and so is an iPhone line whose text starts with
  U+200E that is not a media or deletion marker (the iPhone writes the
  group's name where a sender would be; a U+200F before right-to-left text
  is the writer's own and leaves a message a message). A system entry has no sender and
  its text is everything after the header's separator. Senders cannot
  contain a colon.
* **Invisible marks.** Phones put U+200E/U+200F at the start of some lines.
  The marks before a header belong to the header and are not message text;
  marks after ``Name: `` are kept in the text (byte for byte) but ignored
  when recognising markers. Before AM/PM a space, a no-break space (U+00A0)
  or a narrow no-break space (U+202F) are all accepted, as are ``PM``,
  ``pm``, ``p.m.`` and the Spanish ``p. m.``.
* **Markers.** ``<Media omitted>``, ``image omitted`` and the like are
  :attr:`EntryKind.MEDIA_OMITTED`; ``<attached: NAME>`` (iPhone) and
  ``NAME (file attached)`` (Android) are messages with ``NAME`` in
  ``attachments``; "This message was deleted" and "You deleted this
  message" are :attr:`EntryKind.DELETED`.
* **Times** are the phone's local time and are made aware with the ``tz``
  given. A time in the hour repeated when the clocks go back is read as its
  first occurrence (``fold=0``), a time in the hour skipped when they go
  forward as zoneinfo reads it (the offset before the change); both are
  noted in the report.
* **Encoding.** UTF-8, with or without a byte-order mark. Bytes that are not
  UTF-8 are decoded with ``surrogateescape``: the text holds U+DC80-U+DCFF
  for them, ``text.encode("utf-8", "surrogateescape")`` gives back the exact
  bytes, and the report notes the lines. Nothing is normalised.
* **Unreadable lines.** Lines before the first header, headers whose date or
  time is impossible (with the lines belonging to them), and lines inside a
  message that start like a header of this layout but are not one (kept in
  the message's text, since they may be what was typed, but reported) go to
  ``report.problem`` with their line number.
* **Identity.** ``source_line`` is the 1-based line of the header,
  ``source_offset`` the byte offset of that line in the ``.txt`` (the BOM
  counts). Identical messages in the same minute are numbered as
  :func:`number_repeats` numbers them, so a re-import gives the same digests.
  ``recipients`` stay empty: an export does not say who read a message.

Speed: the file is read in 4 MiB binary chunks and split into messages by
one regular expression in C (a header, then every following line that is not
a header); Python sees each message once, looks its timestamp string up in a
small cache (messages cluster in minutes), and decodes only the sender and
the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from types import ModuleType
from typing import IO, cast
from zoneinfo import ZoneInfo

from masip.evidence.parsers.archive import ZIP_MAGIC, Limits, SafeZip, is_zip
from masip.evidence.parsers.base import (
    AmbiguousDateOrder,
    Channel,
    Digested,
    Direction,
    EntryKind,
    ParsedEntry,
    ParseError,
    ParseReport,
    digested,
    entry_digest,
)

compiled: ModuleType | None
try:  # the compiled main pass (ADR 0025); the Python one below is the reference
    from masip.evidence.parsers import _whatsapp_scan as compiled
except ImportError:  # pragma: no cover - built by `make deps` on every machine
    compiled = None

FORMAT = "whatsapp"
_Item = ParsedEntry | Digested  # what the main pass yields, as asked
CHUNK = 4 * 1024 * 1024
# How many entries the compiled scanner hands over at a time.
BATCH = 512
SAMPLE_BYTES = 256 * 1024
# How many distinct header timestamps are remembered; exports are in time
# order, so forgetting old ones costs nothing but a re-parse.
TIME_CACHE = 4096
DATE_ORDERS = ("dmy", "mdy")

BOM = b"\xef\xbb\xbf"
# U+200E LEFT-TO-RIGHT MARK, U+200F RIGHT-TO-LEFT MARK, in UTF-8.
_MARKS = rb"(?:\xe2\x80[\x8e\x8f])*"
# A space, a narrow no-break space (U+202F) or a no-break space (U+00A0).
_SPACE = rb"(?:\x20|\xe2\x80\xaf|\xc2\xa0)"
_AMPM = _SPACE + rb"?[AaPp]\.?" + _SPACE + rb"?[Mm]\.?"
_MID = rb",?" + _SPACE + rb"?(?:klo" + _SPACE + rb")?"

# The forgiving pattern that tells the layout from the first lines.
_GENERIC = re.compile(
    rb"(?P<open>\[)?"
    rb"(?P<d1>\d{1,4})(?P<dsep>[./-])(?P<d2>\d{1,2})(?P=dsep)(?P<d3>\d{2,4})\.?"
    rb"(?P<mid>" + _MID + rb")"
    rb"(?P<h>\d{1,2})(?P<tsep>[:.])(?P<mi>\d\d)(?:(?P=tsep)\d\d)?"
    rb"(?P<ampm>" + _AMPM + rb")?"
    rb"(?P<sep>\]" + _SPACE + rb"| - |: )"
)
# The fields of one timestamp, for the (cached) conversion to a datetime.
_FIELDS = re.compile(
    rb"(\d+)[./-](\d+)[./-](\d+)\.?" + _MID + rb"(\d+)[:.](\d\d)(?:[:.](\d\d))?"
    rb"(?:" + _SPACE + rb"?([AaPp])\.?" + _SPACE + rb"?[Mm]\.?)?$"
)

_MEDIA = (
    "<Media omitted>",
    "<Médias omis>",
    "<Medien ausgeschlossen>",
    "<Multimedia omitido>",
    "image omitted",
    "video omitted",
    "audio omitted",
    "sticker omitted",
    "GIF omitted",
    "document omitted",
    "Contact card omitted",
)
_DELETED = (
    "This message was deleted",
    "This message was deleted.",
    "You deleted this message",
    "You deleted this message.",
)
MARKERS: dict[str, EntryKind] = {}
for _text in _MEDIA:
    MARKERS[_text] = MARKERS["\u200e" + _text] = EntryKind.MEDIA_OMITTED
for _text in _DELETED:
    MARKERS[_text] = MARKERS["\u200e" + _text] = EntryKind.DELETED
_ATTACHED = re.compile(r"[\u200e\u200f]*<attached: ([^>\n]+)>")
_FILE_ATTACHED = re.compile(r"[\u200e\u200f]*([^\n]+?) \(file attached\)")


@dataclass(frozen=True, slots=True)
class Layout:
    """One way of writing headers, as detected from the first lines."""

    bracket: bool
    date_sep: bytes
    year_first: bool
    time_sep: bytes
    twelve_hour: bool
    separator: str  # "bracket", " - " or ": "
    crlf: bool
    # What stands between date and time (", ", " ", " klo "...), as the
    # first lines have it; a literal is a fifth quicker than the choices.
    mid: bytes = b", "
    # Whether any line of the file starts with U+200E/U+200F; the pattern
    # only allows for them if so (they cost a third of its time).
    marks: bool = True

    def header(self, *, grouped: bool = True) -> bytes:
        """A header up to the sender; ``grouped`` captures the timestamp."""
        d = re.escape(self.date_sep)
        date = (
            rb"\d{4}" + d + rb"\d{1,2}" + d + rb"\d{1,2}"
            if self.year_first
            else rb"\d{1,2}" + d + rb"\d{1,2}" + d + rb"\d{2,4}\.?"
        )
        t = re.escape(self.time_sep)
        time = rb"\d{1,2}" + t + rb"\d\d(?:" + t + rb"\d\d)?"
        if self.twelve_hour:
            time += _AMPM
        stamp = date + re.escape(self.mid) + time
        stamp = (b"(" if grouped else b"(?:") + stamp + b")"
        marks = _MARKS if self.marks else b""
        if self.bracket:
            return marks + rb"\[" + stamp + rb"\]" + _SPACE
        sep = rb" - " if self.separator == " - " else rb": "
        return marks + stamp + sep

    def message_pattern(self) -> re.Pattern[bytes]:
        """A header (grouped whole, timestamp inside), its sender if it has
        one, then the text: the rest of the line and every following line
        that is not a header."""
        return re.compile(
            rb"^(" + self.header() + rb"(?:([^:\n]++): )?)"
            rb"([^\n]*+(?:\n(?!" + self.header(grouped=False) + rb")[^\n]*+)*+)",
            re.MULTILINE,
        )

    def suspect_pattern(self) -> re.Pattern[bytes]:
        """A line inside a message that starts like a header of this layout."""
        d = re.escape(self.date_sep)
        date = (
            rb"\d{4}" + d + rb"\d{1,2}" + d
            if self.year_first
            else rb"\d{1,2}" + d + rb"\d{1,2}" + d + rb"\d{2,4}"
        )
        return re.compile(
            rb"\n" + _MARKS + (rb"\[" if self.bracket else b"") + date + rb"\.?,? ?"
            rb"(?:klo )?\d{1,2}[:.]"
        )

    def proof_patterns(self) -> dict[str, re.Pattern[bytes]]:
        """Headers that prove day first, and headers that prove month first.

        Each starts with the line break before the header, a literal that
        lets the regex engine skip quickly to the next line.
        """
        d = re.escape(self.date_sep)
        big = rb"(?:1[3-9]|2\d|3[01])"
        small = rb"\d{1,2}"
        lead = rb"\n" + _MARKS + (rb"\[" if self.bracket else b"")
        tail = d + rb"\d{2,4}\.?" + _MID + rb"\d{1,2}[:.]\d\d"
        return {
            "dmy": re.compile(lead + big + d + small + tail),
            "mdy": re.compile(lead + small + d + big + tail),
        }


def parse(
    source: IO[bytes],
    *,
    report: ParseReport,
    tz: ZoneInfo,
    date_order: str | None = None,
    limits: Limits | None = None,
) -> Iterator[ParsedEntry]:
    """Read a WhatsApp export (``.txt``, or a ``.zip`` holding one).

    ``source`` must be seekable: the file is read twice (once for its layout
    and date order, once for its messages). Raises :class:`ParseError` before
    the first entry if the file is not a WhatsApp export, the archive is
    refused, or the date order cannot be told (:class:`AmbiguousDateOrder`).
    """
    items = _parse(source, report, tz, date_order, limits, digests=False)
    return cast(Iterator[ParsedEntry], items)


def parse_digested(
    source: IO[bytes],
    *,
    report: ParseReport,
    tz: ZoneInfo,
    date_order: str | None = None,
    limits: Limits | None = None,
) -> Iterator[Digested]:
    """:func:`parse`, each entry with its digest first, as
    :func:`~masip.evidence.parsers.base.digested` gives them; the compiled
    scanner computes the digests as it reads."""
    items = _parse(source, report, tz, date_order, limits, digests=True)
    return cast(Iterator[Digested], items)


def _parse(
    source: IO[bytes],
    report: ParseReport,
    tz: ZoneInfo,
    date_order: str | None,
    limits: Limits | None,
    *,
    digests: bool,
) -> Iterator[_Item]:
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ValueError(f"date_order must be one of {DATE_ORDERS}, not {date_order!r}")
    report.format = FORMAT
    if is_zip(source):
        return _parse_zip(source, report, tz, date_order, limits, digests)
    layout, order = _prepare(source, report, date_order)
    return _entries(source, layout, order, tz, report, digests)


def _parse_zip(
    source: IO[bytes],
    report: ParseReport,
    tz: ZoneInfo,
    date_order: str | None,
    limits: Limits | None,
    digests: bool,
) -> Iterator[_Item]:
    archive = SafeZip(source, limits)
    chat = _chat_member(archive.members)
    media = set(archive.members) - {chat}
    report.note(f"chat read from {chat!r} in the archive")
    with archive.open(chat) as stream:
        if stream.read(4) == ZIP_MAGIC:
            raise ParseError(f"The chat {chat!r} is itself an archive; refused.")
    with archive.open(chat) as stream:
        layout, order = _prepare(stream, report, date_order)
    return _zip_entries(archive, chat, media, layout, order, tz, report, digests)


def _zip_entries(
    archive: SafeZip,
    chat: str,
    media: set[str],
    layout: Layout,
    order: str,
    tz: ZoneInfo,
    report: ParseReport,
    digests: bool,
) -> Iterator[_Item]:
    referenced: set[str] = set()
    missing: list[str] = []
    try:
        with archive.open(chat) as stream:
            for item in _entries(stream, layout, order, tz, report, digests):
                entry = cast(Digested, item)[1] if digests else cast(ParsedEntry, item)
                for name in entry.attachments:
                    referenced.add(name)
                    if name not in media and len(missing) < 5:
                        missing.append(name)
                yield item
    finally:
        archive.close()
    if missing:
        report.note(
            "attachments named in the chat but not in the archive: "
            + ", ".join(missing)
        )
    unreferenced = len(media - referenced)
    if unreferenced:
        report.note(f"{unreferenced} file(s) in the archive are not named in the chat")


def _chat_member(members: tuple[str, ...]) -> str:
    texts = [m for m in members if m.lower().endswith(".txt")]
    if len(texts) == 1:
        return texts[0]
    for name in texts:
        base = name.rsplit("/", 1)[-1]
        if base == "_chat.txt" or base.startswith("WhatsApp Chat"):
            return name
    if not texts:
        raise ParseError("The archive holds no chat (.txt) file.")
    raise ParseError(
        "The archive holds several text files and none is named like a "
        "WhatsApp chat: " + ", ".join(texts[:5])
    )


# --- the pre-pass -----------------------------------------------------------


def _prepare(
    source: IO[bytes], report: ParseReport, date_order: str | None
) -> tuple[Layout, str]:
    """Detect the layout and the date order; leave ``source`` where it was."""
    start = source.tell()
    sample = source.read(SAMPLE_BYTES)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError("The file is UTF-16; export the chat again as UTF-8 text.")
    if sample.startswith(BOM):
        report.note("the file starts with a UTF-8 byte-order mark")
    layout = _detect_layout(sample.removeprefix(BOM))
    source.seek(start)
    marks, proofs = _scan(source, layout, find_order=not layout.year_first)
    layout = replace(layout, marks=marks)
    if layout.year_first:
        order = "ymd"
        report.note("dates read year first")
    elif date_order is not None:
        order = date_order
        report.note(f"dates read {_order_words(order)}, as the user said")
    elif not proofs:
        source.seek(start)
        raise AmbiguousDateOrder(_examples(source.read(SAMPLE_BYTES), layout))
    elif len(proofs) == 1:
        ((order, example),) = proofs.items()
        report.note(f"dates read {_order_words(order)} ({_show(example)} occurs)")
    else:
        source.seek(start)
        order = _outvote(source, layout, proofs, report)
    source.seek(start)
    return layout, order


def _detect_layout(sample: bytes) -> Layout:
    kinds: Counter[tuple[bool, bytes, bool, bytes, bool, str, bytes]] = Counter()
    crlf = 0
    for line in sample.split(b"\n")[:2000]:
        m = _GENERIC.match(line.lstrip(b"\xe2\x80\x8e\x8f"))
        if m is None:
            continue
        bracket = m["open"] is not None
        sep = m["sep"]
        if bracket != sep.startswith(b"]"):
            continue
        separator = "bracket" if bracket else sep.decode()
        key = (
            bracket,
            m["dsep"],
            len(m["d1"]) == 4,
            m["tsep"],
            m["ampm"] is not None,
            separator,
            m["mid"],
        )
        kinds[key] += 1
        crlf += line.endswith(b"\r")
    if not kinds:
        raise ParseError(
            "This does not look like a WhatsApp chat export: no line starts "
            "with a date and time."
        )
    ((bracket, dsep, year_first, tsep, twelve, separator, mid), _), *_ = (
        kinds.most_common(1)
    )
    return Layout(
        bracket=bracket,
        date_sep=dsep,
        year_first=year_first,
        time_sep=tsep,
        twelve_hour=twelve,
        separator=separator,
        crlf=crlf * 2 > sum(kinds.values()),
        mid=mid,
    )


def _line_chunks(source: IO[bytes]) -> Iterator[tuple[bytes, int]]:
    """The file in large pieces, each starting with a line break.

    Each piece is searched up to its second value, the end of its last whole
    line; the first line is given a line break before it (and loses its BOM)
    so that patterns starting with one find it too.
    """
    carry = b"\n"
    first = True
    while chunk := source.read(CHUNK):
        if first:
            chunk, first = chunk.removeprefix(BOM), False
        buf = carry + chunk
        cut = buf.rfind(b"\n")
        yield buf, cut
        carry = buf[cut:]
    if len(carry) > 1:
        yield carry, len(carry)


def _scan(
    source: IO[bytes], layout: Layout, *, find_order: bool
) -> tuple[bool, dict[str, bytes]]:
    """One pass over the raw bytes: do lines start with marks, and which
    date orders do the headers prove (with an example of each)?"""
    patterns = layout.proof_patterns() if find_order else {}
    proofs: dict[str, bytes] = {}
    marks = False
    for buf, end in _line_chunks(source):
        if compiled is not None:
            marks = _proofs_compiled(buf, end, layout, patterns, proofs, marks)
        else:
            if not marks:
                marks = b"\n\xe2\x80\x8e" in buf or b"\n\xe2\x80\x8f" in buf
            for order, pattern in patterns.items():
                if order not in proofs and (m := pattern.search(buf, 0, end)):
                    proofs[order] = m[0]
        if marks and len(proofs) == len(patterns):
            break
    return marks, proofs


_WANT_MARKS, _WANT = 1, {"dmy": 2, "mdy": 4}


def _proofs_compiled(
    buf: bytes,
    end: int,
    layout: Layout,
    patterns: dict[str, re.Pattern[bytes]],
    proofs: dict[str, bytes],
    marks: bool,
) -> bool:
    """``_scan``'s work on one piece, the lines found by compiled code and
    only its candidates tried with the patterns; adds to ``proofs`` and
    returns whether marks were seen."""
    assert compiled is not None
    lines = partial(compiled.proof_lines, buf, end=end, bracket=layout.bracket)
    wanted = (0 if marks else _WANT_MARKS) | sum(
        _WANT[order] for order in patterns if order not in proofs
    )
    if not wanted:
        return marks
    seen, *firsts = lines(0, dsep=layout.date_sep, wanted=wanted)
    for order, at in zip(_WANT, firsts, strict=True):
        pattern = patterns.get(order)
        while pattern is not None and order not in proofs and at >= 0:
            if m := pattern.match(buf, at, end):
                proofs[order] = m[0]
            else:
                found = lines(at + 1, dsep=layout.date_sep, wanted=_WANT[order])
                at = found[1 if order == "dmy" else 2]
    return marks or seen


def _outvote(
    source: IO[bytes], layout: Layout, proofs: dict[str, bytes], report: ParseReport
) -> str:
    """Both orders are proven: count the headers for each, from the start."""
    patterns = layout.proof_patterns()
    counts = dict.fromkeys(patterns, 0)
    for buf, end in _line_chunks(source):
        for order, pattern in patterns.items():
            counts[order] += len(pattern.findall(buf, 0, end))
    order = "dmy" if counts["dmy"] >= counts["mdy"] else "mdy"
    other = "mdy" if order == "dmy" else "dmy"
    report.note(
        f"dates read {_order_words(order)} ({counts[order]:,} headers need it, "
        f"e.g. {_show(proofs[order])}); {counts[other]:,} headers can only be "
        f"read {_order_words(other)} (e.g. {_show(proofs[other])}) and are "
        "reported as problems"
    )
    return order


def _examples(sample: bytes, layout: Layout) -> list[str]:
    pattern = re.compile(layout.header(), re.MULTILINE)
    seen: list[str] = []
    for m in pattern.finditer(sample.removeprefix(BOM)):
        stamp = m[1].decode("utf-8", "replace")
        day = stamp.split(",")[0].split(" ")[0]
        if day not in seen:
            seen.append(day)
        if len(seen) == 3:
            break
    return seen


def _order_words(order: str) -> str:
    return {"dmy": "day first", "mdy": "month first", "ymd": "year first"}[order]


def _show(header: bytes) -> str:
    return header.decode("utf-8", "replace").strip("\u200e\u200f[\n ")


# --- the main pass ----------------------------------------------------------


_DATE = re.compile(rb"(\d+)[./-](\d+)[./-](\d+)\.?,?$")
_TIME = re.compile(
    rb"(?:klo" + _SPACE + rb")?(\d+)[:.](\d\d)(?:[:.](\d\d))?"
    rb"(?:" + _SPACE + rb"?([AaPp])\.?" + _SPACE + rb"?[Mm]\.?)?$"
)
_Day = tuple[int, int, int, bool]  # year, month, day, clocks change that day


class _Clock:
    """Header timestamps to aware datetimes, remembering recent ones.

    A timestamp not seen before is split at its first space into a date and
    a time, each remembered on its own (a day has many minutes, and a minute
    recurs every day), so even a new timestamp is mostly two lookups.
    """

    def __init__(self, order: str, tz: ZoneInfo, report: ParseReport) -> None:
        self.order = order
        self.tz = tz
        self.report = report
        self.cache: dict[bytes, datetime] = {}
        self.days: dict[bytes, _Day | None] = {}
        self.times: dict[bytes, tuple[int, int, int] | None] = {}

    def __call__(self, stamp: bytes) -> datetime | None:
        """Read and remember a timestamp; None if it is impossible."""
        date, _, time = stamp.partition(b" ")
        try:
            day = self.days[date]
        except KeyError:
            day = self.days[date] = self._day(date)
        try:
            hms = self.times[time]
        except KeyError:
            hms = self.times[time] = self._time(time)
        if day is None or hms is None:
            when = self._unusual(stamp)
            if when is None:
                return None
        else:
            when = datetime(day[0], day[1], day[2], hms[0], hms[1], hms[2], 0, self.tz)
            if day[3]:
                self._check_change(when)
        cache = self.cache
        if len(cache) >= TIME_CACHE:
            cache.clear()
            self.days.clear()
        cache[stamp] = when
        return when

    def offset(self, year: int, month: int, day: int) -> int | None:
        """The UTC offset of a whole day in seconds; None if it changes."""
        offsets = {
            datetime(year, month, day, *hms, fold=fold, tzinfo=self.tz).utcoffset()
            for hms in ((0, 0, 0), (23, 59, 59))
            for fold in (0, 1)
        }
        if len(offsets) > 1:
            return None
        (offset,) = offsets
        assert offset is not None
        return offset.days * 86400 + offset.seconds

    def _day(self, date: bytes) -> _Day | None:
        m = _DATE.match(date)
        if m is None:
            return None
        a, b, c = int(m[1]), int(m[2]), int(m[3])
        if self.order == "ymd":
            year, month, day = a, b, c
        elif self.order == "dmy":
            day, month, year = a, b, c
        else:
            month, day, year = a, b, c
        if year < 100:
            year += 2000
        try:
            edges = [
                datetime(year, month, day, *hms, fold=fold, tzinfo=self.tz).utcoffset()
                for hms in ((0, 0, 0), (23, 59, 59))
                for fold in (0, 1)
            ]
        except ValueError:
            return None
        return year, month, day, len(set(edges)) > 1

    def _time(self, time: bytes) -> tuple[int, int, int] | None:
        m = _TIME.match(time)
        if m is None:
            return None
        h, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
        if m[4] is not None:
            if h > 12:
                return None
            h = h % 12 + (12 if m[4] in b"Pp" else 0)
        if h > 23 or minute > 59 or second > 59:
            return None
        return h, minute, second

    def _unusual(self, stamp: bytes) -> datetime | None:
        """A timestamp whose date and time are not parted by a plain space."""
        m = _FIELDS.match(stamp)
        if m is None:
            return None
        a, b, c, hour, minute, second, half = m.groups()
        day = self._day(b"/".join((a, b, c)))
        ampm = b" " + half + b"m" if half else b""
        hms = self._time(
            hour + b":" + minute + (b":" + second if second else b"") + ampm
        )
        return None if day is None or hms is None else self._aware(day, hms)

    def _aware(self, day: _Day, hms: tuple[int, int, int]) -> datetime:
        year, month, date, change = day
        when = datetime(year, month, date, *hms, tzinfo=self.tz)
        if change:
            self._check_change(when)
        return when

    def _check_change(self, when: datetime) -> None:
        """Note a time the clocks skipped or repeated (``when`` has fold=0)."""
        if when.utcoffset() == when.replace(fold=1).utcoffset():
            return
        tz, day = self.tz, when.date().isoformat()
        naive = when.replace(tzinfo=None)
        if when.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive:
            self.report.note(
                f"on {day} some times occur twice in {tz.key} (the clocks "
                "went back); they are read as the first occurrence"
            )
        else:
            self.report.note(
                f"on {day} some times do not exist in {tz.key} (the clocks "
                "went forward); they are read with the offset before the change"
            )


def _entries(
    source: IO[bytes],
    layout: Layout,
    order: str,
    tz: ZoneInfo,
    report: ParseReport,
    digests: bool,
) -> Iterator[_Item]:
    if compiled is not None and compiled.supports(layout):
        return _compiled_entries(source, layout, order, tz, report, digests)
    entries = _python_entries(source, layout, order, tz, report)
    return digested(entries) if digests else entries


def _compiled_entries(
    source: IO[bytes],
    layout: Layout,
    order: str,
    tz: ZoneInfo,
    report: ParseReport,
    digests: bool,
) -> Iterator[_Item]:
    """The main pass in compiled code; gives what ``_python_entries`` gives."""
    assert compiled is not None
    pending, line, offset, eof = _skip_preamble(
        source, layout.message_pattern(), report
    )
    suspect = layout.suspect_pattern()
    clock = _Clock(order, tz, report)
    scanner = compiled.Scanner(
        layout,
        order,
        tz,
        clock=clock,
        day_offset=clock.offset,
        suspect=suspect,
        report_suspects=lambda body, at: _report_suspects(body, suspect, at, report),
        report_impossible=lambda raw, at, off, nxt: _report_impossible(
            raw, at, off, nxt, report
        ),
        attachments_of=_attachments,
        report=report,
        markers=MARKERS,
        kinds=(
            Channel.WHATSAPP,
            EntryKind.MESSAGE,
            EntryKind.SYSTEM,
            Direction.UNKNOWN,
        ),
        digests=digests,
        entry_digest=entry_digest,
        line=line,
        offset=offset,
    )
    read, scan = source.read, scanner.scan
    while True:
        if eof:
            buf = pending
        elif chunk := read(CHUNK):
            buf = pending + chunk
        else:
            buf, eof = pending, True
        # The line break that ends the file belongs to no message.
        end = len(buf) - buf.endswith(b"\n") if eof else max(buf.rfind(b"\n"), 0)
        start, more = 0, True
        while more:  # a batch at a time: fewer live objects, less for the GC
            batch, start, more = scan(buf, start, end, eof, BATCH)
            yield from batch
        if eof:
            break
        pending = buf[start:]
    report.items_read += scanner.items
    _note_undecodable(scanner.undecodable, report)


def _python_entries(  # noqa: C901 - one hot loop, kept flat on purpose for speed
    source: IO[bytes],
    layout: Layout,
    order: str,
    tz: ZoneInfo,
    report: ParseReport,
) -> Iterator[ParsedEntry]:
    pattern = layout.message_pattern()
    findall = pattern.findall
    suspect = layout.suspect_pattern()
    crlf = layout.crlf
    ios = layout.bracket
    clock = _Clock(order, tz, report)
    cache = clock.cache
    markers = MARKERS
    whatsapp, message, system = Channel.WHATSAPP, EntryKind.MESSAGE, EntryKind.SYSTEM
    unknown = Direction.UNKNOWN
    undecodable: list[int] = []
    read = source.read
    # count() and number_repeats() from base, done here to spare two
    # generators per item. Kind, sender, text and attachments all follow
    # from the raw sender and text, so those two are the repeat key.
    participants = report.participants
    items = 0
    current: datetime | None = None
    repeats: dict[tuple[bytes, bytes], int] = {}

    pending, line, offset, eof = _skip_preamble(source, pattern, report)
    while True:
        if eof:
            buf = pending
        elif chunk := read(CHUNK):
            buf = pending + chunk
        else:
            buf, eof = pending, True
        if eof:
            # The line break that ends the file belongs to no message.
            found = findall(buf, 0, len(buf) - buf.endswith(b"\n"))
        else:
            end = buf.rfind(b"\n")
            found = findall(buf, 0, end)
            if len(found) < 2:  # the one message may go on in the next chunk
                pending = buf
                continue
            # Matches are back to back, so the last one ends at ``end``;
            # it is held back, as it may go on in the next chunk.
            last = found.pop()
            pending = buf[end - len(last[0]) - len(last[3]) :]
        for head, stamp, who, body in found:
            at_line, at_offset = line, offset
            offset += len(head) + len(body) + 1
            if b"\n" in body:
                line += body.count(b"\n") + 1
                if suspect.search(body):
                    _report_suspects(body, suspect, at_line, report)
            else:
                line += 1
            if crlf and body.endswith(b"\r"):
                body = body[:-1]
            when = cache.get(stamp)
            if when is None:
                when = clock(stamp)
                if when is None:
                    _report_impossible(head + body, at_line, at_offset, line, report)
                    continue
            try:
                text = body.decode()
                sender = who.decode()
            except UnicodeDecodeError:
                text = body.decode("utf-8", "surrogateescape")
                sender = who.decode("utf-8", "surrogateescape")
                undecodable.append(at_line)
            if when is not current and when != current:
                current = when
                repeats.clear()
            key = (who, body)
            occurrence = repeats.get(key, 0)
            repeats[key] = occurrence + 1
            attachments: tuple[str, ...] = ()
            if not who:
                kind = system
            else:
                kind = markers.get(text, message)
                if kind is message:
                    if "attached" in text:
                        attachments = _attachments(text)
                    elif ios and text[:1] == "\u200e":
                        # The iPhone's group events: "Group: \u200eX added Y".
                        kind, text, sender = system, sender + ": " + text, ""
            participants[sender] = participants.get(sender, 0) + 1
            items += 1
            yield ParsedEntry(
                when,
                whatsapp,
                kind,
                sender,
                text,
                (),
                attachments,
                unknown,
                None,
                at_line,
                at_offset,
                occurrence,
            )
        if eof:
            break
    report.items_read += items
    _note_undecodable(undecodable, report)


def _note_undecodable(undecodable: list[int], report: ParseReport) -> None:
    if undecodable:
        shown = ", ".join(str(n) for n in undecodable[:5])
        report.note(
            f"{len(undecodable):,} message(s) hold bytes that are not UTF-8 "
            f"(at line {shown}{', ...' if len(undecodable) > 5 else ''}); they are "
            "kept as surrogate escapes, so text.encode('utf-8', "
            "'surrogateescape') gives back the original bytes"
        )


def _skip_preamble(
    source: IO[bytes], pattern: re.Pattern[bytes], report: ParseReport
) -> tuple[bytes, int, int, bool]:
    """Read up to the first header; lines before it are problems.

    Returns the bytes from the first header on, its line and byte offset,
    and whether the file has been read to its end.
    """
    buf = source.read(CHUNK)
    offset = 0
    if buf.startswith(BOM):
        buf, offset = buf[3:], 3
    eof = not buf
    while not (m := pattern.search(buf)) and not eof:
        more = source.read(CHUNK)
        eof = not more
        buf += more
    start = m.start() if m else len(buf)
    line = 1
    for text in buf[:start].split(b"\n")[: buf.count(b"\n", 0, start)]:
        if text.strip(b"\r\t \xe2\x80\x8e\x8f"):
            report.problem(
                "this line comes before the first message header",
                line=line,
                offset=offset,
                text=text.decode("utf-8", "replace"),
            )
        offset += len(text) + 1
        line += 1
    if m is None and buf[start:]:
        report.problem("this line comes before the first message header", line=line)
    return buf[start:], line, offset, eof


def _report_impossible(
    raw: bytes, at_line: int, at_offset: int, next_line: int, report: ParseReport
) -> None:
    more = next_line - at_line - 1
    report.problem(
        "the date or time of this header is impossible"
        + (f"; the {more} line(s) after it are left out with it" if more else ""),
        line=at_line,
        offset=at_offset,
        text=raw.decode("utf-8", "replace"),
    )


def _report_suspects(
    body: bytes, suspect: re.Pattern[bytes], at_line: int, report: ParseReport
) -> None:
    for m in suspect.finditer(body):
        line = at_line + body.count(b"\n", 0, m.start()) + 1
        end = body.find(b"\n", m.start() + 1)
        report.problem(
            "this line starts like a message header but is not one; it is kept "
            "in the text of the message above",
            line=line,
            text=body[m.start() + 1 : None if end < 0 else end].decode(
                "utf-8", "replace"
            ),
        )


def _attachments(text: str) -> tuple[str, ...]:
    names = _ATTACHED.findall(text)
    if not names and (m := _FILE_ATTACHED.match(text)):
        names = [m[1]]
    return tuple(names)
