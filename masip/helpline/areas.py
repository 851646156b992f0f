"""Police force areas of England and Wales, and the region each lies in.

The 43 territorial forces (Home Office list), grouped into the nine English
regions and Wales used in official statistics; two extra answers cover a
caller outside England and Wales and one who does not say. Codes are stable
slugs: statistics are stored by code, labels may be reworded.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ForceArea:
    code: str
    name: str
    region: str


REGIONS: dict[str, str] = {
    "north_east": "North East",
    "north_west": "North West",
    "yorkshire": "Yorkshire and the Humber",
    "east_midlands": "East Midlands",
    "west_midlands": "West Midlands",
    "east": "East of England",
    "london": "London",
    "south_east": "South East",
    "south_west": "South West",
    "wales": "Wales",
    "outside": "Outside England and Wales",
    "unknown": "Not known",
}

_BY_REGION: dict[str, tuple[str, ...]] = {
    "north_east": ("Cleveland", "Durham", "Northumbria"),
    "north_west": (
        "Cheshire",
        "Cumbria",
        "Greater Manchester",
        "Lancashire",
        "Merseyside",
    ),
    "yorkshire": (
        "Humberside",
        "North Yorkshire",
        "South Yorkshire",
        "West Yorkshire",
    ),
    "east_midlands": (
        "Derbyshire",
        "Leicestershire",
        "Lincolnshire",
        "Northamptonshire",
        "Nottinghamshire",
    ),
    "west_midlands": (
        "Staffordshire",
        "Warwickshire",
        "West Mercia",
        "West Midlands",
    ),
    "east": (
        "Bedfordshire",
        "Cambridgeshire",
        "Essex",
        "Hertfordshire",
        "Norfolk",
        "Suffolk",
    ),
    "london": ("City of London", "Metropolitan Police"),
    "south_east": (
        "Hampshire and Isle of Wight",
        "Kent",
        "Surrey",
        "Sussex",
        "Thames Valley",
    ),
    "south_west": (
        "Avon and Somerset",
        "Devon and Cornwall",
        "Dorset",
        "Gloucestershire",
        "Wiltshire",
    ),
    "wales": ("Dyfed-Powys", "Gwent", "North Wales", "South Wales"),
}


def _slug(name: str) -> str:
    return name.lower().replace(" and ", "_").replace("-", "_").replace(" ", "_")


_FORCES = tuple(
    ForceArea(code=_slug(name), name=name, region=region)
    for region, names in _BY_REGION.items()
    for name in names
)
FORCE_AREAS: tuple[ForceArea, ...] = (
    *_FORCES,
    ForceArea(code="outside", name="Outside England and Wales", region="outside"),
    ForceArea(code="unknown", name="Not known or not given", region="unknown"),
)
BY_CODE: dict[str, ForceArea] = {area.code: area for area in FORCE_AREAS}
# Sorted by name for a select list, the two extra answers last.
CHOICES: list[tuple[str, str]] = sorted(
    ((a.code, a.name) for a in FORCE_AREAS[:-2]), key=lambda c: c[1]
) + [(a.code, a.name) for a in FORCE_AREAS[-2:]]


def region_of(code: str) -> str:
    """The region code of a force area code ("unknown" for anything else)."""
    area = BY_CODE.get(code)
    return area.region if area else "unknown"
