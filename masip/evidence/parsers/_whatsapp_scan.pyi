"""Types of the compiled WhatsApp scanner (_whatsapp_scan.pyx)."""

from collections.abc import Callable
from re import Pattern
from typing import Any
from zoneinfo import ZoneInfo

from masip.evidence.parsers.base import EntryKind, ParsedEntry, ParseReport

class Scanner:
    line: int
    offset: int
    items: int
    undecodable: list[int]
    def __init__(
        self,
        layout: Any,
        order: str,
        tz: ZoneInfo,
        *,
        clock: Callable[[bytes], Any],
        day_offset: Callable[[int, int, int], int | None],
        suspect: Pattern[bytes],
        report_suspects: Callable[[bytes, int], None],
        report_impossible: Callable[[bytes, int, int, int], None],
        attachments_of: Callable[[str], tuple[str, ...]],
        report: ParseReport,
        markers: dict[str, EntryKind],
        kinds: tuple[Any, Any, Any, Any],
        digests: bool,
        entry_digest: Callable[[ParsedEntry], str],
        line: int,
        offset: int,
    ) -> None: ...
    def scan(
        self, buf: bytes, start: int, end: int, final: bool, limit: int
    ) -> tuple[list[Any], int, bool]: ...

def supports(layout: Any) -> bool: ...
