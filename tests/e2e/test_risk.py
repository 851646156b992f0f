"""Risk in a real browser: a police worker completes the stalking screen,
overrides its level with a reason, and reads the case's risk picture with the
police, clinician and victim views side by side."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from masip.people.tests.factories import actor_for
from masip.risk.instruments import registry
from masip.risk.models import Assessment
from masip.risk.services import assessment_record
from tests.e2e.conftest import sign_in
from tests.personas import Cast


def _clinician_and_victim_views(cast: Cast) -> None:
    """What the clinic and the advocate recorded before the worker starts."""
    assessment_record(
        actor=actor_for(cast.clinician),
        case=cast.case,
        instrument=registry().get("structured-judgement"),
        answers={
            "instrument_used": "srp",
            "motivational_type": "rejected",
            "risk_violence": "moderate",
            "risk_persistence": "high",
            "risk_recurrence": "moderate",
            "risk_psychosocial_damage": "low",
            "formulation": "Synthetic formulation.",
            "scenarios": "Synthetic scenarios.",
            "next_review": "2027-01-15",
        },
    )
    assessment_record(
        actor=actor_for(cast.advocate),
        case=cast.case,
        instrument=registry().get("victim-check-in"),
        answers={
            "feeling_safe": 1,
            "feeling_supported": 4,
            "feeling_listened_to": 3,
            "fear": 9,
        },
    )


@pytest.mark.e2e
def test_worker_screens_overrides_and_reads_the_risk_picture(
    axe_page: Page,
    cast: Cast,
    assert_accessible: Callable[[Page], None],
) -> None:
    _clinician_and_victim_views(cast)
    page = axe_page
    sign_in(page, cast.lead_worker)
    page.goto(f"/cases/{cast.case.reference}/")
    page.get_by_role("link", name="Risk", exact=True).click()
    expect(
        page.get_by_role("heading", name="Each agency's latest view")
    ).to_be_visible()
    page.get_by_role("link", name="MASIP stalking screen").click()
    assert_accessible(page)

    for radio in page.locator('input[type="radio"][value="no"]').all():
        radio.check()
    page.locator("#id_threats_to_kill_0").check()  # "Yes"
    page.locator("#id_daily_contact_0").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("Level the answers give", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Medium").check()
    page.get_by_label("Why the level should differ from the score").fill(
        "Synthetic case: he has been remanded in custody until the trial."
    )
    page.get_by_role("button", name="Record the assessment").click()

    expect(page.get_by_text("MASIP stalking screen recorded.")).to_be_visible()
    expect(page.get_by_text("The answers gave high.")).to_be_visible()
    screen = Assessment.objects.get(instrument_code="masip-stalking-screen")
    assert (screen.scored_level, screen.level, screen.overridden) == (
        "high",
        "medium",
        True,
    )

    page.get_by_role("link", name="Back to the risk picture").click()
    views = page.locator(".masip-risk-view")
    expect(views).to_have_count(3)
    expect(views.nth(0)).to_contain_text("Police")
    expect(views.nth(1)).to_contain_text("Clinician")
    expect(views.nth(2)).to_contain_text("Victim")
    expect(page.get_by_text("different levels")).to_be_visible()
    expect(
        page.get_by_role("heading", name="The victim's own measures")
    ).to_be_visible()
    expect(page.locator("svg.masip-chart")).to_have_count(1)
    assert_accessible(page)
