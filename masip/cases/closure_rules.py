"""The rules of closing a case, as pure functions: the checklist, and dates
counted in calendar months for the outcome follow-ups.

Nothing here reads the database: ``closure_selectors.checklist_facts`` gathers
the facts, the services and pages pass them in.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Item(StrEnum):
    ACTIONS = "actions"
    RISK_REVIEW = "risk_review"
    VICTIM_INFORMED = "victim_informed"


@dataclass(frozen=True)
class ReviewFact:
    """The latest risk assessment with a level on the case."""

    assessment_id: int
    public_id: str
    completed_on: dt.date
    level: str


@dataclass(frozen=True)
class ChecklistFacts:
    outstanding_actions: int
    latest_review: ReviewFact | None


@dataclass(frozen=True)
class ChecklistItem:
    key: Item
    label: str
    met: bool
    why: str


@dataclass(frozen=True)
class Checklist:
    items: tuple[ChecklistItem, ...]
    # The assessment counted as the final review, if one counts.
    review: ReviewFact | None

    @property
    def all_met(self) -> bool:
        return all(item.met for item in self.items)

    @property
    def unmet(self) -> tuple[ChecklistItem, ...]:
        return tuple(item for item in self.items if not item.met)

    def item(self, key: Item) -> ChecklistItem:
        return next(item for item in self.items if item.key == key)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _actions(outstanding: int) -> ChecklistItem:
    if outstanding:
        verb = "is" if outstanding == 1 else "are"
        why = (
            f"{_plural(outstanding, 'action')} {verb} still open. Complete or "
            "cancel each one first."
        )
    else:
        why = "No action on the case is open."
    return ChecklistItem(Item.ACTIONS, "No outstanding actions", not outstanding, why)


def _review(
    review: ReviewFact | None, *, today: dt.date, review_days: int
) -> tuple[ChecklistItem, ReviewFact | None]:
    label = "A final risk review"
    if review is None:
        why = (
            "No risk assessment giving a level is recorded. Complete one "
            f"(within {review_days} days of asking to close)."
        )
        return ChecklistItem(Item.RISK_REVIEW, label, False, why), None
    age = (today - review.completed_on).days
    if age > review_days:
        why = (
            f"The latest risk assessment with a level was on "
            f"{_day(review.completed_on)}, more than {review_days} days ago. "
            "Complete a new one."
        )
        return ChecklistItem(Item.RISK_REVIEW, label, False, why), None
    why = (
        f"Risk assessed as {review.level} on {_day(review.completed_on)} "
        f"(within the last {review_days} days)."
    )
    return ChecklistItem(Item.RISK_REVIEW, label, True, why), review


def _victim(informed: bool | None) -> ChecklistItem:
    label = "The victim told the case is closing"
    if informed:
        return ChecklistItem(
            Item.VICTIM_INFORMED, label, True, "Confirmed, with how and when."
        )
    why = (
        "Not confirmed yet. Confirm it below, saying how and when the victim was told."
        if informed is None
        else "Not confirmed. Tell the victim before asking to close the case."
    )
    return ChecklistItem(Item.VICTIM_INFORMED, label, False, why)


def closure_checklist(
    facts: ChecklistFacts,
    *,
    victim_informed: bool | None,
    today: dt.date,
    review_days: int,
) -> Checklist:
    """Each item of the closure checklist, met or not, and why.

    ``victim_informed`` is the requester's declaration: ``None`` while it has
    not been asked (the page before the form is sent).
    """
    review_item, counted = _review(
        facts.latest_review, today=today, review_days=review_days
    )
    items = (
        _actions(facts.outstanding_actions),
        review_item,
        _victim(victim_informed),
    )
    return Checklist(items=items, review=counted)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved on by whole calendar months, kept within the month it
    lands in: 31 January plus one month is 28 (or 29) February."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))
