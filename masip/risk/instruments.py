"""Risk instruments as versioned data files (docs/risk.md).

An instrument is one TOML file, ``<code>-v<version>.toml``, validated first
against ``instruments/schema.json`` and then by the rules a schema cannot
express (levels in order, ids unique, references that resolve, licensed
wording never shipped). Every problem names the file and, where there is
one, the item; ``masip instruments check`` prints them and the system check
refuses to start the application with any.

Licensed instruments (S-DASH, SASH) ship topic codes only. A deployment
holding the licence puts the wording in ``MASIP_INSTRUMENT_WORDING_DIR``, a
file of the same name with an ``[items.<id>]`` table (``text``, ``help``)
per item; without it the instrument is loaded but not available for use.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

BUILTIN_DIR = Path(__file__).parent / "instruments" / "builtin"
SCHEMA_PATH = Path(__file__).parent / "instruments" / "schema.json"

YES_NO = frozenset({"yes_no", "yes_no_unknown"})
# Instruments whose wording a deployment may supply: licensed ones must, and a
# public-domain one (the PCL-5) may use its official wording instead of ours.
WORDING_REPLACEABLE = frozenset({"licensed", "public_domain"})
# What each scoring method counts.
SCORED_ANSWERS = {"count": YES_NO, "sum": frozenset({"scale"}), "highest": {"choice"}}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    level: str | None = None


@dataclass(frozen=True)
class Item:
    id: str
    topic: str
    answer: str
    text: str = ""
    help: str = ""
    section: str = ""
    required: bool = True
    minimum: int | None = None
    maximum: int | None = None
    min_label: str = ""
    max_label: str = ""
    choices: tuple[Choice, ...] = ()
    weight: float = 1.0
    raises_to: str | None = None
    cluster: str | None = None
    scored: bool = True


@dataclass(frozen=True)
class Threshold:
    level: str
    minimum: float


@dataclass(frozen=True)
class CutPoint:
    name: str
    minimum: float
    meaning: str


@dataclass(frozen=True)
class Scoring:
    method: str
    levels: tuple[str, ...] = ()
    thresholds: tuple[Threshold, ...] = ()
    cut_points: tuple[CutPoint, ...] = ()
    clusters: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Instrument:
    code: str
    version: int
    title: str
    kind: str
    perspective: str
    source: str
    licence_status: str
    licence_note: str
    scoring: Scoring
    items: tuple[Item, ...]
    summary: str = ""
    repeatable: bool = True
    compartment: str | None = None  # "health": answers sealed in that compartment
    override_allowed: bool = False
    rationale_min_chars: int = 20
    path: str = ""

    @property
    def key(self) -> str:
        return f"{self.code}-v{self.version}"

    @property
    def licensed(self) -> bool:
        return self.licence_status == "licensed"

    @property
    def available(self) -> bool:
        """Whether it can be used: every item has its wording."""
        return all(item.text for item in self.items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


@dataclass(frozen=True)
class Problem:
    """Something wrong with an instrument file, said so a person can fix it."""

    file: str
    message: str
    item: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}, item {self.item!r}" if self.item else self.file
        return f"{where}: {self.message}"


class InstrumentError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


# --- loading ------------------------------------------------------------------


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


def load_file(path: Path, *, wording_dir: Path | None = None) -> Instrument:
    """One instrument file, checked; raises InstrumentError naming what is wrong."""
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InstrumentError(
            [Problem(name, f"cannot be read as TOML: {exc}")]
        ) from None
    problems = list(_schema_problems(name, data))
    if problems:
        raise InstrumentError(problems)
    problems = list(_rule_problems(name, data))
    if problems:
        raise InstrumentError(problems)
    if data["licence"]["status"] in WORDING_REPLACEABLE and wording_dir is not None:
        data = _with_wording(name, data, wording_dir)
    return _build(data, path)


def load_dir(path: Path, *, wording_dir: Path | None = None) -> list[Instrument]:
    """Every ``*.toml`` instrument in ``path``; every problem in every file is
    collected before InstrumentError is raised."""
    instruments: list[Instrument] = []
    problems: list[Problem] = []
    if not path.is_dir():
        raise InstrumentError([Problem(str(path), "is not a folder")])
    for file in sorted(path.glob("*.toml")):
        try:
            instruments.append(load_file(file, wording_dir=wording_dir))
        except InstrumentError as exc:
            problems.extend(exc.problems)
    seen: dict[str, str] = {}
    for instrument in instruments:
        if instrument.key in seen:
            problems.append(
                Problem(Path(instrument.path).name, f"repeats {seen[instrument.key]}")
            )
        seen[instrument.key] = Path(instrument.path).name
    if problems:
        raise InstrumentError(problems)
    return instruments


def _schema_problems(name: str, data: dict[str, Any]) -> Iterator[Problem]:
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(e.path)):
        path = list(error.absolute_path)
        item = None
        if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
            raw = data["items"][path[1]]
            item = raw.get("id") if isinstance(raw, dict) else None
            item = item or f"#{path[1] + 1}"
            path = path[2:]
        where = ".".join(str(p) for p in path)
        yield Problem(name, f"{where + ': ' if where else ''}{error.message}", item)


def _rule_problems(name: str, data: dict[str, Any]) -> Iterator[Problem]:
    expected = f"{data['code']}-v{data['version']}.toml"
    if name != expected:
        yield Problem(name, f"must be named {expected} (its code and version)")
    yield from _scoring_problems(name, data["scoring"])
    scoring, licensed = data["scoring"], data["licence"]["status"] == "licensed"
    levels = scoring.get("levels", [])
    ids: set[str] = set()
    for raw in data["items"]:
        for message in _item_problems(raw, scoring, levels, licensed):
            yield Problem(name, message, raw["id"])
        if raw["id"] in ids:
            yield Problem(name, "the id is used twice", raw["id"])
        ids.add(raw["id"])


def _scoring_problems(name: str, scoring: dict[str, Any]) -> Iterator[Problem]:
    method, levels = scoring["method"], scoring.get("levels", [])
    thresholds = scoring.get("thresholds", [])
    if method == "none" and (thresholds or levels):
        yield Problem(name, "an unscored instrument has no levels or thresholds")
    if method == "highest" and not levels:
        yield Problem(name, "'highest' scoring needs levels")
    if thresholds and not levels:
        yield Problem(name, "thresholds need levels")
    order = {level: n for n, level in enumerate(levels)}
    previous: tuple[int, float] | None = None
    for n, threshold in enumerate(thresholds):
        if threshold["level"] not in order:
            yield Problem(
                name, f"threshold level {threshold['level']!r} is not a level"
            )
            continue
        if n == 0 and threshold["min"] != 0:
            yield Problem(name, "the first threshold must start at 0")
        here = (order[threshold["level"]], threshold["min"])
        if previous and (here[0] <= previous[0] or here[1] <= previous[1]):
            yield Problem(name, "thresholds must rise with the levels, lowest first")
        previous = here


def _item_problems(
    raw: dict[str, Any], scoring: dict[str, Any], levels: list[str], licensed: bool
) -> Iterator[str]:
    if licensed and ("text" in raw or "help" in raw):
        yield "a licensed instrument's wording is never shipped: remove text and help"
    if not licensed and not raw.get("text"):
        yield "needs its text"
    yield from _answer_problems(raw, scoring, levels)
    cluster = raw.get("cluster")
    if cluster is not None and cluster not in scoring.get("clusters", {}):
        yield f"cluster {cluster!r} is not in scoring.clusters"


def _answer_problems(
    raw: dict[str, Any], scoring: dict[str, Any], levels: list[str]
) -> Iterator[str]:
    answer, method = raw["answer"], scoring["method"]
    if answer == "scale" and raw["min"] >= raw["max"]:
        yield "min must be below max"
    scored = raw.get("scored", True)
    allowed = SCORED_ANSWERS.get(method, frozenset())
    if scored and method != "none" and answer not in allowed:
        yield f"a {answer} answer cannot be scored by {method!r} (set scored = false)"
    if raw.get("raises_to") is not None:
        if raw["raises_to"] not in levels:
            yield f"raises_to {raw['raises_to']!r} is not a level"
        if answer not in YES_NO:
            yield "only a yes/no item can raise the level"
    for choice in raw.get("choices", []):
        if "level" in choice and choice["level"] not in levels:
            yield f"choice {choice['value']!r}: {choice['level']!r} is not a level"
    if method == "highest" and scored and not any("level" in c for c in raw["choices"]):
        yield "a scored choice needs levels on its choices"


def _with_wording(name: str, data: dict[str, Any], wording_dir: Path) -> dict[str, Any]:
    """The licensed instrument with the deployment's wording, if it has it."""
    path = wording_dir / name
    if not path.exists():
        return data
    try:
        wording = tomllib.loads(path.read_text(encoding="utf-8")).get("items", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InstrumentError(
            [Problem(str(path), f"cannot be read as TOML: {exc}")]
        ) from None
    ids = {raw["id"] for raw in data["items"]}
    problems = [
        Problem(str(path), "is not an item of the instrument", key)
        for key in sorted(set(wording) - ids)
    ]
    for raw in data["items"]:
        entry = wording.get(raw["id"])
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            problems.append(
                Problem(str(path), "needs [items.<id>] with text", raw["id"])
            )
    if problems:
        raise InstrumentError(problems)
    items = [
        {
            **raw,
            "text": wording[raw["id"]]["text"],
            "help": wording[raw["id"]].get("help", ""),
        }
        for raw in data["items"]
    ]
    return {**data, "items": items}


def _build(data: dict[str, Any], path: Path) -> Instrument:
    scoring = data["scoring"]
    override = data.get("override", {})
    return Instrument(
        code=data["code"],
        version=data["version"],
        title=data["title"],
        summary=data.get("summary", ""),
        kind=data["kind"],
        perspective=data["perspective"],
        repeatable=data.get("repeatable", True),
        compartment=data.get("compartment"),
        source=data["source"],
        licence_status=data["licence"]["status"],
        licence_note=data["licence"]["note"],
        override_allowed=override.get("allowed", False),
        rationale_min_chars=override.get("rationale_min_chars", 20),
        scoring=Scoring(
            method=scoring["method"],
            levels=tuple(scoring.get("levels", ())),
            thresholds=tuple(
                Threshold(t["level"], t["min"]) for t in scoring.get("thresholds", ())
            ),
            cut_points=tuple(
                CutPoint(c["name"], c["min"], c["meaning"])
                for c in scoring.get("cut_points", ())
            ),
            clusters=dict(scoring.get("clusters", {})),
        ),
        items=tuple(_item(raw) for raw in data["items"]),
        path=str(path),
    )


def _item(raw: dict[str, Any]) -> Item:
    return Item(
        id=raw["id"],
        topic=raw["topic"],
        answer=raw["answer"],
        text=raw.get("text", ""),
        help=raw.get("help", ""),
        section=raw.get("section", ""),
        required=raw.get("required", True),
        minimum=raw.get("min"),
        maximum=raw.get("max"),
        min_label=raw.get("min_label", ""),
        max_label=raw.get("max_label", ""),
        choices=tuple(
            Choice(c["value"], c["label"], c.get("level"))
            for c in raw.get("choices", ())
        ),
        weight=raw.get("weight", 1.0),
        raises_to=raw.get("raises_to"),
        cluster=raw.get("cluster"),
        scored=raw.get("scored", True),
    )


# --- the registry ---------------------------------------------------------------


@dataclass(frozen=True)
class Registry:
    """The instruments of this deployment, by code and version."""

    instruments: tuple[Instrument, ...]

    def get(self, code: str, version: int | None = None) -> Instrument:
        """One version (the latest when none is given); KeyError if unknown."""
        found = [i for i in self.instruments if i.code == code]
        if version is not None:
            found = [i for i in found if i.version == version]
        if not found:
            raise KeyError(f"{code} v{version}" if version else code)
        return max(found, key=lambda i: i.version)

    def latest(self) -> list[Instrument]:
        """The latest version of each instrument, in title order."""
        codes = {i.code for i in self.instruments}
        return sorted((self.get(code) for code in codes), key=lambda i: i.title)

    def usable(self) -> list[Instrument]:
        return [i for i in self.latest() if i.available]


def instrument_dirs() -> Iterable[Path]:
    from django.conf import settings

    yield BUILTIN_DIR
    extra = getattr(settings, "MASIP_INSTRUMENT_DIR", None)
    if extra:
        yield Path(extra)


@cache
def registry() -> Registry:
    """The built-in instruments (and a deployment's own, if configured)."""
    from django.conf import settings

    wording = getattr(settings, "MASIP_INSTRUMENT_WORDING_DIR", None)
    wording_dir = Path(wording) if wording else None
    loaded: list[Instrument] = []
    for folder in instrument_dirs():
        loaded.extend(load_dir(folder, wording_dir=wording_dir))
    return Registry(tuple(loaded))
