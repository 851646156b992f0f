"""Addresses reduced to comparable forms, for the shared-address rule.

Postcodes are compared through their keyed blind index (``masip.crypto.blind``:
capitals, no spaces, so "sw1a1aa" and "SW1A 1AA" agree), never by reading
sealed columns in SQL. The first line of an address is compared only for the
few addresses already at the user's postcode, after the rule opens them:
letters and digits kept, case folded, so "Flat 2, 10 High Street" and
"flat 2 10 high street" agree. Abbreviations ("Rd" for "Road") are not
expanded: such a pair counts as a postcode match only.
"""

import unicodedata


def line_key(line: str) -> str:
    """The first line of an address as a comparable key (empty if nothing is left)."""
    decomposed = unicodedata.normalize("NFKD", line)
    return "".join(c for c in decomposed if c.isalnum()).casefold()
