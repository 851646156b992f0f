"""The closure checklist and calendar months, as pure functions."""

import datetime as dt

import pytest

from masip.cases.closure_rules import (
    ChecklistFacts,
    Item,
    ReviewFact,
    add_months,
    closure_checklist,
)

TODAY = dt.date(2026, 3, 31)


def fact(*, actions: int = 0, review_on: dt.date | None = TODAY) -> ChecklistFacts:
    review = (
        ReviewFact(
            assessment_id=7, public_id="x", completed_on=review_on, level="medium"
        )
        if review_on
        else None
    )
    return ChecklistFacts(outstanding_actions=actions, latest_review=review)


def check(facts: ChecklistFacts, victim_informed: bool | None = True):
    return closure_checklist(
        facts, victim_informed=victim_informed, today=TODAY, review_days=28
    )


def test_checklist_all_met_counts_the_review():
    checklist = check(fact())

    assert checklist.all_met
    assert [item.met for item in checklist.items] == [True, True, True]
    assert checklist.review is not None
    assert checklist.review.assessment_id == 7


@pytest.mark.parametrize(
    ("actions", "why"),
    [(1, "1 action is still open"), (3, "3 actions are still open")],
)
def test_checklist_actions_item_fails_with_outstanding_actions(actions, why):
    checklist = check(fact(actions=actions))

    item = checklist.item(Item.ACTIONS)
    assert not item.met
    assert why in item.why
    assert not checklist.all_met
    assert checklist.unmet == (item,)


def test_checklist_risk_review_fails_without_an_assessment():
    checklist = check(fact(review_on=None))

    item = checklist.item(Item.RISK_REVIEW)
    assert not item.met
    assert "No risk assessment giving a level" in item.why
    assert checklist.review is None


def test_checklist_risk_review_counts_up_to_the_window_and_not_after():
    on_the_day = check(fact(review_on=TODAY - dt.timedelta(days=28)))
    a_day_late = check(fact(review_on=TODAY - dt.timedelta(days=29)))

    assert on_the_day.item(Item.RISK_REVIEW).met
    late = a_day_late.item(Item.RISK_REVIEW)
    assert not late.met
    assert "on 2 March 2026, more than 28 days ago" in late.why
    assert a_day_late.review is None


@pytest.mark.parametrize(
    ("declared", "why"),
    [(None, "Not confirmed yet"), (False, "Tell the victim before")],
)
def test_checklist_victim_item_fails_until_confirmed(declared, why):
    checklist = check(fact(), victim_informed=declared)

    item = checklist.item(Item.VICTIM_INFORMED)
    assert not item.met
    assert why in item.why


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 8, 31), 6, dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2024, 2, 29), 24, dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), 48, dt.date(2028, 2, 29)),
        (dt.date(2025, 11, 15), 6, dt.date(2026, 5, 15)),
        (dt.date(2025, 7, 31), 6, dt.date(2026, 1, 31)),
        (dt.date(2025, 3, 30), 12, dt.date(2026, 3, 30)),
    ],
)
def test_add_months_keeps_the_day_within_the_month(start, months, expected):
    assert add_months(start, months) == expected
