"""Cell values made safe for spreadsheets: formulas neutralised, XML kept valid.

A spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@``
as a formula (CSV injection, CWE-1236), and some also do so when the formula
hides behind leading spaces or invisible control characters, or when the
cell begins with a tab or carriage return. Every text cell an export writes
passes through ``neutralise``: such a cell gets a leading single quote, the
convention spreadsheet programs read as "this is text", so it is shown and
never run. Full-width look-alikes (U+FF1D and friends) are treated the same,
because some programs fold them to their ASCII forms.
"""

import re
import unicodedata

# Characters that start a formula once leading padding is skipped.
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
# A cell starting with one of these is inert-quoted whatever follows.
RAW_STARTS = frozenset("\t\r")
# Padding a spreadsheet may skip before reading a formula: whitespace, control
# and format characters (zero-width spaces, direction marks, BOMs).
_PADDING_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
# What XML 1.0 (and so the XLSX format) cannot hold at all.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _is_padding(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in _PADDING_CATEGORIES


def is_formula_like(value: str) -> bool:
    """Whether a spreadsheet could read this text as a formula."""
    if not value:
        return False
    if value[0] in RAW_STARTS:
        return True
    for char in value:
        if not _is_padding(char):
            return char in FORMULA_STARTS
    return False


def neutralise(value: str) -> str:
    """The text, with a leading single quote if it could run as a formula."""
    return "'" + value if is_formula_like(value) else value


def xml_safe(value: str) -> str:
    """The text without the characters XML 1.0 forbids (each becomes U+FFFD)."""
    return _XML_ILLEGAL.sub("\ufffd", value)
