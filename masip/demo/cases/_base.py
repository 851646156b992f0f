"""The draft of one demo case, and the state the planning steps share."""

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from masip.accounts.models import Agency, User
from masip.cases.models import Case
from masip.demo import data
from masip.demo.structure import Structure
from masip.demo.synth import Batch
from masip.people.models import Person


@dataclass
class Draft:
    """One demo case while it is being built."""

    case: Case
    site: data.SiteSpec
    lead: Agency
    worker: User
    manager: User
    end: dt.date  # the last day of the story: closure or yesterday
    victims: list[Person] = field(default_factory=list)
    perpetrator: Person | None = None
    home: str = ""
    workplace: str = ""
    crime_reference: str = ""
    partners: list[Agency] = field(default_factory=list)

    @property
    def started(self) -> dt.date:
        """The day the behaviour began (every demo case has one)."""
        started = self.case.behaviour_started_on
        assert started is not None
        return started

    def names(self) -> dict[str, str]:
        perp = self.perpetrator
        assert perp is not None
        return {
            "victim": self.victims[0].given_name,
            "perp": perp.given_name,
            "perp_full": perp.full_name,
            "site": self.site.name,
        }


class PlannerBase:
    """What every planning step reads: set once by ``DemoCases.__init__``.

    The steps draw from the one ``rng`` in a fixed order, so the demo is the
    same every time for the same seed.
    """

    s: Structure
    rng: random.Random
    anchor: dt.date
    batch: Batch
    perpetrators: dict[str, list[list[Any]]]
    start_user: User
