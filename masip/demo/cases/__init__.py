"""The demo cases: about sixty, planned from a fixed seed.

Each case has a victim (sometimes two) and a person who stalks (now and then
one already on another case in the same site), their aliases, identifiers and
addresses (the victims' restricted), safe-contact preferences, a status and
risk history, allocations, shares with partner agencies, incidents over weeks
to months, and notes (some sealed: health, police intelligence). Dates run
back from the day the demo is loaded.
"""

from masip.demo.cases._base import Draft
from masip.demo.cases.planner import DemoCases

__all__ = ["DemoCases", "Draft"]
