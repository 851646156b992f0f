"""Scoring answers to an instrument (docs/risk.md, "How scoring works").

Answers are plain values keyed by item id: ``"yes"``, ``"no"`` or
``"unknown"`` for yes/no items, an ``int`` for scales, a choice's value, a
string for text, an ISO date string for dates. Unanswered items are absent.

* ``count``: the score is the sum of the weights of the "yes" answers;
* ``sum``: the score is the sum of the scale answers;
* ``highest``: no score; the level is the highest level among the answered
  choices that carry one;
* ``none``: nothing is computed; the answers are shown as given.

Thresholds turn a score into a level (the highest threshold reached), and a
"yes" to an item with ``raises_to`` makes the level at least that, whatever
the score. So adding a risk answer (a "yes", a higher scale value, a higher
rated choice) can only keep or raise the score and the level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from masip.risk.instruments import YES_NO, Instrument, Item

Answer = str | int


@dataclass(frozen=True)
class Score:
    """What an instrument's answers come to."""

    total: float | None  # None when the method gives no number
    level: str | None  # None when the instrument has no levels or none applies
    # Items whose "yes" raised the level above what the score alone gives.
    raised_by: tuple[str, ...] = ()
    clusters: Mapping[str, float] = field(default_factory=dict)
    cut_points: tuple[str, ...] = ()  # the names of those reached
    answered: int = 0
    unknown: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "level": self.level,
            "raised_by": list(self.raised_by),
            "clusters": dict(self.clusters),
            "cut_points": list(self.cut_points),
            "answered": self.answered,
            "unknown": self.unknown,
        }


def score(instrument: Instrument, answers: Mapping[str, Answer]) -> Score:
    method = instrument.scoring.method
    scored = [i for i in instrument.items if i.scored and i.id in answers]
    answered = sum(1 for i in instrument.items if i.id in answers)
    unknown = sum(1 for i in instrument.items if answers.get(i.id) == "unknown")
    if method == "none":
        return Score(None, None, answered=answered, unknown=unknown)
    if method == "highest":
        level = _highest(instrument, scored, answers)
        return Score(None, level, answered=answered, unknown=unknown)
    values = {i.id: _value(i, answers[i.id]) for i in scored}
    total = float(sum(values.values()))
    clusters: dict[str, float] = dict.fromkeys(instrument.scoring.clusters, 0.0)
    for item in scored:
        if item.cluster is not None:
            clusters[item.cluster] += values[item.id]
    base = _threshold_level(instrument, total)
    level, raised_by = _raise(instrument, scored, answers, base)
    reached = tuple(c.name for c in instrument.scoring.cut_points if total >= c.minimum)
    return Score(total, level, raised_by, clusters, reached, answered, unknown)


def _value(item: Item, answer: Answer) -> float:
    if item.answer in YES_NO:
        return item.weight if answer == "yes" else 0.0
    return float(answer)  # a scale


def _threshold_level(instrument: Instrument, total: float) -> str | None:
    level = None
    for threshold in instrument.scoring.thresholds:
        if total >= threshold.minimum:
            level = threshold.level
    return level


def _raise(
    instrument: Instrument,
    scored: list[Item],
    answers: Mapping[str, Answer],
    level: str | None,
) -> tuple[str | None, tuple[str, ...]]:
    rank = {name: n for n, name in enumerate(instrument.scoring.levels)}
    raised_by: list[str] = []
    for item in scored:
        floor = item.raises_to
        if floor is None or answers[item.id] != "yes":
            continue
        if level is None or rank[floor] > rank[level]:
            level = floor
            raised_by = [item.id]
        elif rank[floor] == rank[level] and raised_by:
            raised_by.append(item.id)
    return level, tuple(raised_by)


def _highest(
    instrument: Instrument, scored: list[Item], answers: Mapping[str, Answer]
) -> str | None:
    rank = {name: n for n, name in enumerate(instrument.scoring.levels)}
    best: str | None = None
    for item in scored:
        for choice in item.choices:
            level = choice.level
            if choice.value != answers[item.id] or level is None:
                continue
            if best is None or rank[level] > rank[best]:
                best = level
    return best


# --- checking answers ------------------------------------------------------------


def answer_errors(
    instrument: Instrument, answers: Mapping[str, object]
) -> dict[str, str]:
    """Item id to a message a person can act on; empty when all is well."""
    errors: dict[str, str] = {}
    for key in answers:
        if not any(item.id == key for item in instrument.items):
            errors[key] = "This is not a question of this form."
    for item in instrument.items:
        if item.id not in answers:
            if item.required:
                errors[item.id] = "Answer this question."
            continue
        message = _answer_error(item, answers[item.id])
        if message:
            errors[item.id] = message
    return errors


def _answer_error(item: Item, value: object) -> str | None:
    if item.answer == "yes_no":
        return None if value in ("yes", "no") else "Select yes or no."
    if item.answer == "yes_no_unknown":
        ok = value in ("yes", "no", "unknown")
        return None if ok else "Select yes, no or not known."
    if item.answer == "scale":
        low, high = item.minimum, item.maximum
        assert low is not None
        assert high is not None
        if isinstance(value, bool) or not isinstance(value, int):
            return "Select a number."
        return None if low <= value <= high else f"Choose between {low} and {high}."
    if item.answer == "choice":
        values = {choice.value for choice in item.choices}
        return None if value in values else "Select one of the options."
    if item.answer == "date":
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return "Enter a real date."
        return None
    if not isinstance(value, str) or not value.strip():
        return "Enter some text, or leave the question out."
    return "Keep this to 5,000 characters." if len(value) > 5000 else None
