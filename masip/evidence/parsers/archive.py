"""Opening the ZIP archives that exports come in, without trusting them.

A victim's phone produces the archive, but anyone could have made it, so it
is treated as hostile until its directory has been checked: the sizes it
declares (a "zip bomb" declares a small file that inflates to gigabytes),
the names of its members (``../../etc/passwd`` or ``C:\\x`` must never be taken
for a place to write or read), archives inside the archive, and the number of
members. Every refusal is a :class:`ParseError` whose message says why, in
words a case worker can pass on.

Nothing here extracts to disk: members are read as streams. ``zipfile``
itself stops a member at the size its directory declares and checks its
CRC at the end, so checking the declared sizes up front bounds what is
inflated.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from masip.evidence.parsers.base import ParseError

# Generous for a real chat export (a year of photos is a few thousand files
# and a few GiB), small enough that a hostile archive is refused before any
# work is done.
MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 4 * 1024**3
# Text compresses about 3 to 10 times and photos hardly at all; deflate can
# reach about 1,000 to 1. Members smaller than RATIO_FLOOR are not held to
# the ratio (a tiny file of repeated bytes is harmless).
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
NESTED_SUFFIXES = (
    ".zip",
    ".jar",
    ".7z",
    ".rar",
    ".tar",
    ".tgz",
    ".gz",
    ".bz2",
    ".xz",
    ".zst",
    ".cab",
)


@dataclass(frozen=True, slots=True)
class Limits:
    members: int = MAX_MEMBERS
    total_bytes: int = MAX_TOTAL_BYTES
    ratio: int = MAX_RATIO
    ratio_floor: int = RATIO_FLOOR


def is_zip(source: IO[bytes]) -> bool:
    """Whether the stream starts like a ZIP archive; the position is kept."""
    start = source.tell()
    head = source.read(4)
    source.seek(start)
    return head in (ZIP_MAGIC, EMPTY_ZIP_MAGIC)


def unsafe_name_reason(name: str) -> str | None:
    """Why a member name cannot be trusted, or None if it can."""
    if "\x00" in name:
        return "contains a NUL character"
    if "\\" in name:
        return "uses backslashes, which some systems read as folders"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "is an absolute path"
    if ".." in PurePosixPath(name).parts:
        return "climbs out of the archive with '..'"
    return None


class SafeZip:
    """A checked archive: every member's name and size has been vetted."""

    def __init__(self, source: IO[bytes], limits: Limits | None = None) -> None:
        limits = limits or Limits()
        try:
            self._zip = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise ParseError(f"The archive cannot be opened: {error}.") from error
        infos = self._zip.infolist()
        if len(infos) > limits.members:
            raise ParseError(
                f"The archive has {len(infos):,} members; at most "
                f"{limits.members:,} are accepted."
            )
        total = 0
        for info in infos:
            _check_member(info, limits)
            total += info.file_size
            if total > limits.total_bytes:
                raise ParseError(
                    "The archive would unpack to more than "
                    f"{limits.total_bytes:,} bytes; it is refused as a "
                    "possible zip bomb."
                )
        self.members = tuple(info.filename for info in infos if not info.is_dir())

    @contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        """A member as a read-only stream (``zipfile`` checks its CRC)."""
        try:
            with self._zip.open(name) as stream:
                yield stream
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise ParseError(
                f"The archive member {name!r} is damaged: {error}."
            ) from error

    def close(self) -> None:
        self._zip.close()


def _check_member(info: zipfile.ZipInfo, limits: Limits) -> None:
    name = info.filename
    reason = unsafe_name_reason(name)
    if reason:
        raise ParseError(f"The archive member {name!r} {reason}; it is refused.")
    if info.flag_bits & 0x1:
        raise ParseError(f"The archive member {name!r} is encrypted.")
    if name.lower().endswith(NESTED_SUFFIXES):
        raise ParseError(
            f"The archive holds another archive ({name!r}); nested archives "
            "are refused."
        )
    if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(
        info.compress_size, 1
    ):
        raise ParseError(
            f"The archive member {name!r} would inflate more than "
            f"{limits.ratio} times; it is refused as a possible zip bomb."
        )
