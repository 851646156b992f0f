"""A whole programme cycle in a real browser, as the demo's London staff.

The police case worker refers an urgent case; the panel coordinator triages
and accepts it as a new case, lists it on a meeting held today, records the
discussion, an information-sharing record and two actions for different
agencies; the probation worker completes theirs; later the police worker
completes the police action, records a final risk review and asks to close
the case, and the police team manager approves. Every step goes through the
pages a user sees (labels, roles and button names), signed in with the demo
password and the demo's published authenticator secrets.
"""

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from masip.accounts.models import User
from masip.cases.closure_rules import add_months
from masip.cases.models import Case, CaseStatus
from masip.core.templatetags.govuk import govuk_date, govuk_day
from masip.demo.builder import load_demo
from masip.panels.models import Action, InformationShare
from masip.referrals import targets
from masip.referrals.models import Referral
from tests.e2e.conftest import sign_in

POLICE = "London Police (demo)"
PROBATION = "London Probation (demo)"
HEALTH = "London Mental Health NHS Trust (demo)"
ADVOCACY = "London Stalking Advocacy (demo)"
MEMBERS = (POLICE, PROBATION, HEALTH, ADVOCACY)

# Invented people: no real person is named anywhere in the cycle.
VICTIM = ("Quillon", "Testperson")
PERPETRATOR = ("Varnick", "Madeupson")
PROBATION_ACTION = "Synthetic: assess him for the stalking perpetrator programme."
POLICE_ACTION = "Synthetic: apply for an interim Stalking Protection Order."

Check = Callable[[Page], None]


def _fill_date(group: Locator, day: dt.date) -> None:
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name=name, exact=True
    ).click()


def _case_section(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Case sections").get_by_role(
        "link", name=name, exact=True
    ).click()


def _banner(page: Page, text: str) -> None:
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def _switch_to(page: Page, user: User, password: str) -> None:
    """Sign the current user out (if any) and the next one in."""
    sign_out = page.get_by_role("button", name="Sign out")
    if sign_out.count():
        sign_out.first.click()
        expect(page.get_by_text("You have signed out")).to_be_visible()
    sign_in(page, user, password=password)


# 1. The police case worker refers --------------------------------------------


def _refer(page: Page) -> Referral:
    """Make an urgent referral to London."""
    _menu(page, "Referrals")
    expect(page.get_by_role("heading", name="My referrals")).to_be_visible()
    page.get_by_role("link", name="Make a referral").click()
    expect(page.get_by_role("heading", name="Make a referral")).to_be_visible()
    page.get_by_role(
        "group", name="Which programme are you referring to?"
    ).get_by_label("London", exact=True).check()
    page.get_by_role("group", name="Who is referring?").get_by_label(
        "Police", exact=True
    ).check()
    page.get_by_role("group", name="How urgent is it?").get_by_label(
        "Urgent", exact=True
    ).check()
    page.get_by_label("Why are you referring?").fill(
        "Synthetic: daily messages and turning up at her work since the "
        "relationship ended; she is frightened."
    )
    page.get_by_label("What have you already done?").fill(
        "Synthetic: crime report made, safety advice given, DASH completed."
    )
    page.get_by_role(
        "group", name="Did the victim consent to the referral?"
    ).get_by_label("Given", exact=True).check()
    page.get_by_label("Why?", exact=True).fill(
        "Synthetic: she asked for the specialist service when we met."
    )
    page.get_by_label("Victim's given name", exact=True).fill(VICTIM[0])
    page.get_by_label("Victim's family name (optional)").fill(VICTIM[1])
    page.get_by_label("Given name (optional)", exact=True).fill(PERPETRATOR[0])
    page.get_by_label("Family name (optional)", exact=True).fill(PERPETRATOR[1])
    page.get_by_role("button", name="Continue").click()

    expect(
        page.get_by_role(
            "heading", name="Check your answers before sending the referral"
        )
    ).to_be_visible()
    expect(page.get_by_text(VICTIM[0], exact=True)).to_be_visible()
    page.get_by_role("button", name="Send the referral").click()

    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    public_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    referral = Referral.objects.get(public_id=public_id)
    assert referral.victim_name == " ".join(VICTIM)
    short = referral.short_reference
    _banner(page, f"Referral {short} sent to London.")
    expect(page.get_by_role("heading", name=f"Referral {short}")).to_be_visible()
    page.get_by_role("link", name="Back to my referrals").click()
    row = page.get_by_role("row").filter(has_text=short)
    expect(row).to_contain_text("Urgent")
    expect(row.locator(".govuk-tag")).to_have_text("Waiting for triage")
    expect(row).to_contain_text("None yet")
    return referral


# 2. The coordinator triages and accepts ----------------------------------------


def _triage(page: Page, referral: Referral, assert_accessible: Check) -> str:
    """Accept the referral as a new case; the new case's reference."""
    short = referral.short_reference
    due = govuk_date(
        targets.triage_due(received_at=referral.received_at, urgency=referral.urgency)
    )
    _menu(page, "Triage")
    expect(page.get_by_role("heading", name="Triage", exact=True)).to_be_visible()
    waiting = page.locator("table").filter(
        has=page.locator("caption", has_text="Waiting for triage")
    )
    row = waiting.get_by_role("row").filter(has_text=short)
    expect(row).to_contain_text(POLICE)
    expect(row.locator(".govuk-tag")).to_have_text("Urgent")
    expect(row).to_contain_text(due)
    assert_accessible(page)

    row.get_by_role("link", name=short).click()
    expect(page.get_by_role("heading", name=f"Referral {short}")).to_be_visible()
    expect(page.get_by_text(f"Triage by {due}")).to_be_visible()
    expect(page.get_by_text(f"{VICTIM[0]} {VICTIM[1]}")).to_be_visible()
    page.get_by_role("link", name="Accept", exact=True).click()

    expect(page.get_by_role("heading", name="Accept the referral")).to_be_visible()
    page.get_by_role("group", name="Where should the referral go?").get_by_label(
        "Open a new case"
    ).check()
    page.get_by_role("group", name="Lead agency for a new case").get_by_label(
        POLICE, exact=True
    ).check()
    involve = page.get_by_role("group", name="Agencies to involve")
    for agency in (PROBATION, HEALTH, ADVOCACY):
        involve.get_by_label(agency, exact=True).check()
    page.get_by_role("group", name="Lawful basis for involving them").get_by_label(
        "Public task (UK GDPR Art 6(1)(e))"
    ).check()
    page.get_by_role("button", name="Accept the referral").click()

    banner = page.get_by_role("alert").filter(has_text=f"Referral {short} accepted")
    expect(banner).to_be_visible()
    found = re.search(r"into case (\S+)\.", banner.inner_text())
    assert found is not None, banner.inner_text()
    reference = found.group(1)
    expect(page.get_by_role("heading", name="Triage", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=short)).to_have_count(0)
    case = Case.objects.get(reference=reference)
    assert case.lead_agency.name == POLICE
    assert case.status == CaseStatus.ACCEPTED
    assert sorted(case.shares.values_list("agency__name", flat=True)) == sorted(
        (PROBATION, HEALTH, ADVOCACY)
    )
    return reference


# 3. The meeting ---------------------------------------------------------------


def _schedule_meeting(page: Page, today: dt.date, assert_accessible: Check) -> None:
    _menu(page, "Panels")
    expect(page.get_by_role("heading", name="Panels", exact=True)).to_be_visible()
    page.get_by_role("link", name="Schedule a meeting").click()
    expect(page.get_by_role("heading", name="Schedule a meeting")).to_be_visible()
    page.get_by_role("group", name="Kind of meeting").get_by_label(
        "Scheduled", exact=True
    ).check()
    _fill_date(page.get_by_role("group", name="Date", exact=True), today)
    page.get_by_label("Start time (optional)").fill("10:00")
    page.get_by_label("Where (optional)").fill("Video call")
    page.get_by_role("button", name="Schedule the meeting").click()

    _banner(page, f"Meeting scheduled for {govuk_date(today)}.")
    expect(
        page.get_by_role("heading", name=f"Panel meeting, {govuk_date(today)}")
    ).to_be_visible()
    expect(page.locator(".govuk-summary-list .govuk-tag")).to_have_text("Planned")
    expect(page.get_by_text("No cases are listed yet.")).to_be_visible()
    assert_accessible(page)


def _list_on_agenda(page: Page, reference: str) -> None:
    page.get_by_role("link", name="Change the agenda").click()
    expect(page.get_by_role("heading", name="Agenda", exact=True)).to_be_visible()
    suggested = page.get_by_role("row").filter(
        has=page.get_by_role("button", name=f"Add {reference}")
    )
    expect(suggested).to_contain_text("Newly accepted referral")
    suggested.get_by_role("button", name=f"Add {reference}").click()
    _banner(page, f"{reference} added to the agenda.")
    listed = page.locator("table").filter(
        has=page.locator("caption", has_text="Cases listed (1)")
    )
    expect(listed.get_by_role("link", name=reference)).to_be_visible()
    expect(listed).to_contain_text("Newly accepted referral")
    page.get_by_role("link", name="Back to the meeting").click()


def _record_attendance(page: Page) -> None:
    page.get_by_role("link", name="Record attendance").click()
    expect(page.get_by_role("heading", name="Attendance", exact=True)).to_be_visible()
    for number, agency in enumerate(MEMBERS, start=1):
        page.get_by_role("group", name=agency, exact=True).get_by_label(
            "Present", exact=True
        ).check()
        page.get_by_label(f"Who attended for {agency}").fill(
            f"Synthetic representative {number} (practitioner)"
        )
    page.get_by_role("button", name="Save attendance").click()
    _banner(page, "Attendance saved.")
    attendance = page.locator("table").filter(has_text="Who attended")
    for agency in MEMBERS:
        expect(attendance.get_by_role("row").filter(has_text=agency)).to_contain_text(
            "Present"
        )


def _mark_held(page: Page) -> None:
    page.get_by_role("link", name="Mark as held").click()
    expect(page.get_by_role("heading", name="Mark the meeting as held")).to_be_visible()
    page.get_by_role("button", name="Mark as held").click()
    _banner(page, "Meeting marked as held.")
    expect(page.locator(".govuk-summary-list .govuk-tag")).to_have_text("Held")


def _form_with(page: Page, button: str) -> Locator:
    return page.locator("form").filter(has=page.get_by_role("button", name=button))


def _record_discussion(page: Page, reference: str) -> None:
    form = _form_with(page, "Save the discussion")
    form.get_by_label("Summary of the discussion").fill(
        "Synthetic: contact continues daily; he has been seen near her work twice."
    )
    form.get_by_label("The victim's voice").fill(
        "Synthetic: the advocate says she wants the contact to stop and to feel "
        "safe at work."
    )
    form.get_by_label("Decisions").fill(
        "Synthetic: police to seek an order; probation to assess him."
    )
    form.get_by_role("group", name="Risk level agreed").get_by_label(
        "High", exact=True
    ).check()
    form.get_by_role("button", name="Save the discussion").click()
    _banner(
        page,
        f"Discussion recorded. The risk level of {reference} is now the level "
        "the panel agreed.",
    )
    expect(page.get_by_role("heading", name="What the panel discussed")).to_be_visible()


def _record_share(page: Page) -> None:
    form = _form_with(page, "Record the sharing")
    form.get_by_role("group", name="Shared by").get_by_label(POLICE, exact=True).check()
    shared_with = form.get_by_role("group", name="Shared with")
    shared_with.get_by_label(PROBATION, exact=True).check()
    shared_with.get_by_label(HEALTH, exact=True).check()
    kinds = form.get_by_role("group", name="What kinds of information")
    kinds.get_by_label("Offending history and convictions").check()
    kinds.get_by_label("Police intelligence").check()
    kinds.get_by_label("Risk assessments").check()
    form.get_by_role("group", name="Lawful basis", exact=True).get_by_label(
        "Law enforcement purposes (DPA 2018 Part 3)"
    ).check()
    form.get_by_role("group", name="Condition (optional)").get_by_label(
        "Statutory purposes (Sch 8 para 1)"
    ).check()
    form.get_by_role(
        "group", name="Consent of the person the information is about"
    ).get_by_label("Not sought", exact=True).check()
    form.get_by_label("Reason for the consent status").fill(
        "Synthetic: asking him would alert him and put her at greater risk."
    )
    form.get_by_label("Why sharing was necessary and proportionate").fill(
        "Synthetic: needed to agree the risk and a joint plan; only his recent "
        "conduct and bail history were shared."
    )
    form.get_by_role("button", name="Record the sharing").click()
    _banner(page, "Information sharing recorded.")
    card = page.locator(".govuk-summary-card")
    expect(card).to_have_count(1)
    expect(card.locator("h3")).to_contain_text(f"From {POLICE} to")
    expect(card.locator("h3")).to_contain_text(PROBATION)
    expect(card.locator("h3")).to_contain_text(HEALTH)
    expect(card).to_contain_text("Police intelligence")
    expect(card).to_contain_text("Law enforcement purposes (DPA 2018 Part 3)")


def _add_action(
    page: Page, *, agency: str, owner: User, description: str, due: dt.date
) -> None:
    form = _form_with(page, "Add the action")
    form.get_by_role("group", name="Agency that owns the action").get_by_label(
        agency, exact=True
    ).check()
    form.get_by_label("Person who owns it").select_option(
        label=f"{owner.full_name} ({agency})"
    )
    form.get_by_label("What is to be done").fill(description)
    _fill_date(form.get_by_role("group", name="Due date"), due)
    form.get_by_role("button", name="Add the action").click()
    _banner(page, f"Action added for {agency}.")
    row = page.get_by_role("row").filter(has_text=description)
    expect(row).to_contain_text(owner.full_name)
    expect(row).to_contain_text(govuk_date(due))
    expect(row).to_contain_text("Not started")


def _discuss(
    page: Page,
    reference: str,
    users: dict[str, User],
    today: dt.date,
    assert_accessible: Check,
) -> None:
    agenda = page.locator("table").filter(has_text="Why listed")
    row = agenda.get_by_role("row").filter(has_text=reference)
    expect(row.locator(".govuk-tag")).to_have_text("To discuss")
    row.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name=reference, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Record the discussion")).to_be_visible()
    assert_accessible(page)

    _record_discussion(page, reference)
    _record_share(page)
    due = today + dt.timedelta(days=7)
    _add_action(
        page,
        agency=PROBATION,
        owner=users["probation.worker"],
        description=PROBATION_ACTION,
        due=due,
    )
    _add_action(
        page,
        agency=POLICE,
        owner=users["police.worker"],
        description=POLICE_ACTION,
        due=due,
    )
    assert_accessible(page)
    page.get_by_role("link", name="Back to the meeting").click()
    row = page.locator("table").filter(has_text="Why listed").get_by_role("row")
    expect(row.filter(has_text=reference).locator(".govuk-tag")).to_have_text(
        "Discussed"
    )
    shares = InformationShare.objects.filter(case__reference=reference)
    assert shares.count() == 1
    assert sorted(shares.get().to_agencies.values_list("name", flat=True)) == [
        HEALTH,
        PROBATION,
    ]


# 4 and 5. Owners complete their actions ---------------------------------------


def _complete_action(
    page: Page, reference: str, description: str, *, state: str, note: str
) -> None:
    """The owner finds the action under "Your actions" (its status tag shown
    as ``state``) and completes it."""
    _menu(page, "Actions")
    expect(page.get_by_role("heading", name="Your actions")).to_be_visible()
    mine = page.locator("table").filter(
        has=page.locator("caption", has_text="Assigned to you")
    )
    row = mine.get_by_role("row").filter(has_text=description)
    expect(row.locator(".govuk-tag")).to_have_text(state)
    row.get_by_role("link", name=reference).click()
    expect(page.get_by_text(description)).to_be_visible()
    page.get_by_label("What was done").fill(note)
    page.get_by_role("button", name="Mark as completed").click()
    _banner(page, "Action completed.")
    expect(page.locator(".govuk-summary-list .govuk-tag")).to_have_text("Completed")


def _actions_tab(page: Page) -> tuple[Locator, Locator]:
    """The case's Actions tab: its "To do" and "Completed" tables."""
    _case_section(page, "Actions")
    expect(page.get_by_role("heading", name="Actions", exact=True)).to_be_visible()
    to_do = page.locator("table").filter(has=page.locator("caption", has_text="To do"))
    done = page.locator("table").filter(
        has=page.locator("caption", has_text="Completed and cancelled")
    )
    return to_do, done


def _final_risk_review(page: Page) -> None:
    _case_section(page, "Risk")
    page.get_by_role("link", name="MASIP stalking screen").click()
    for radio in page.locator('input[type="radio"][value="no"]').all():
        radio.check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.get_by_role("button", name="Record the assessment").click()
    _banner(page, "MASIP stalking screen recorded.")


def _closure_tag(page: Page) -> Locator:
    """The status tag of the closure request on its page."""
    return page.locator(".govuk-grid-column-two-thirds > p > .govuk-tag")


def _case_status(page: Page) -> Locator:
    """The case's status tag, under every case page's heading."""
    return page.locator("h1 + p > .govuk-tag").first


def _request_closure(page: Page, today: dt.date, assert_accessible: Check) -> None:
    _case_section(page, "Summary")
    page.get_by_role("link", name="Close the case").click()
    expect(page.get_by_role("heading", name="Close the case")).to_be_visible()
    checklist = page.locator(".govuk-summary-list").first
    for label, state in (
        ("No outstanding actions", "Met"),
        ("A final risk review", "Met"),
        ("The victim told the case is closing", "Not met"),
    ):
        expect(
            checklist.locator(".govuk-summary-list__row")
            .filter(has_text=label)
            .locator(".govuk-tag")
        ).to_have_text(state)
    assert_accessible(page)

    page.get_by_role("group", name="Why can the case close?").get_by_label(
        "Risk reduced", exact=True
    ).check()
    page.get_by_label("What the manager deciding needs to know").fill(
        "Synthetic: the order was granted, contact has stopped and the agencies "
        "agreed at panel that the risk has reduced."
    )
    page.get_by_label("The victim has been told the case is closing").check()
    page.get_by_label("How was the victim told?").fill(
        "Synthetic: by phone, through her advocate."
    )
    _fill_date(page.get_by_role("group", name="When was the victim told?"), today)
    page.get_by_role("button", name="Send the request").click()
    _banner(page, f"Request sent. A team manager of {POLICE} will decide")
    expect(
        page.get_by_role("heading", name="Request to close the case")
    ).to_be_visible()
    expect(_closure_tag(page)).to_have_text("Waiting for a decision")


def _approve_closure(page: Page, reference: str, today: dt.date) -> None:
    # The link carries the unread count: "Notifications 2 unread".
    notifications = page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name=re.compile(r"^Notifications \d+ unread$")
    )
    notifications.click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    notice = page.get_by_role("row").filter(
        has_text=f"Case {reference} is waiting for approval to close."
    )
    notice.get_by_role("link", name="Open").click()
    expect(
        page.get_by_role("heading", name="Request to close the case")
    ).to_be_visible()
    page.get_by_role("group", name="Your decision").get_by_label(
        "Approve: close the case"
    ).check()
    page.get_by_role("button", name="Save the decision").click()
    follow_ups = [add_months(today, months) for months in (6, 12, 24)]
    _banner(
        page,
        "Case closed. Outcome follow-ups are due on "
        + ", ".join(govuk_day(day) for day in follow_ups)
        + ".",
    )
    expect(_closure_tag(page)).to_have_text("Approved")
    expect(_case_status(page)).to_have_text("Closed")

    page.get_by_role("link", name="Closure and follow-ups").click()
    expect(page.get_by_role("heading", name="Closure and follow-ups")).to_be_visible()
    expect(_case_status(page)).to_have_text("Closed")
    closure = page.locator(".govuk-summary-list").first
    expect(closure).to_contain_text("Risk reduced")
    expect(closure).to_contain_text("Dominic Fennelby")
    rows = page.locator("table").first.locator("tbody tr")
    expect(rows).to_have_count(3)
    for index, (months, day) in enumerate(zip((6, 12, 24), follow_ups, strict=True)):
        expect(rows.nth(index)).to_contain_text(f"{months} months")
        expect(rows.nth(index)).to_contain_text(govuk_day(day))
        expect(rows.nth(index).locator(".govuk-tag")).to_have_text("Due")


@pytest.mark.e2e
def test_a_police_referral_goes_from_triage_to_an_approved_closure(
    axe_page: Page, assert_accessible: Check
) -> None:
    demo = load_demo()
    users = {
        email.split("@")[0]: user
        for email, user in demo.structure.users.items()
        if email.endswith("@london.demo.example.org")
    }
    password = demo.password
    today = timezone.localdate()
    page = axe_page

    # 1. The police case worker refers.
    _switch_to(page, users["police.worker"], password)
    referral = _refer(page)

    # 2. The coordinator triages and accepts.
    _switch_to(page, users["panel.coordinator"], password)
    reference = _triage(page, referral, assert_accessible)

    # 3. The meeting, today: agenda, attendance, held, the case discussed.
    _schedule_meeting(page, today, assert_accessible)
    _list_on_agenda(page, reference)
    _record_attendance(page)
    _mark_held(page)
    _discuss(page, reference, users, today, assert_accessible)

    # 4. The probation worker completes their action, on time.
    _switch_to(page, users["probation.worker"], password)
    _complete_action(
        page,
        reference,
        PROBATION_ACTION,
        state="Not started",
        note="Synthetic: assessed; he is suitable and starts the programme soon.",
    )
    to_do, done = _actions_tab(page)
    expect(
        done.get_by_role("row").filter(has_text=PROBATION_ACTION).locator(".govuk-tag")
    ).to_have_text("Completed")
    expect(to_do.get_by_role("row").filter(has_text=POLICE_ACTION)).to_be_visible()

    # 5. Later: the police worker completes theirs, records a final risk
    #    review and asks to close; the police team manager approves.
    _switch_to(page, users["police.worker"], password)
    _complete_action(
        page,
        reference,
        POLICE_ACTION,
        state="Not started",
        note="Synthetic: an interim order was granted at the magistrates' court.",
    )
    to_do, done = _actions_tab(page)
    expect(done.get_by_role("row")).to_have_count(3)  # header and both actions
    expect(page.get_by_text("No action is still to do on this case.")).to_be_visible()
    _final_risk_review(page)
    _request_closure(page, today, assert_accessible)

    _switch_to(page, users["police.manager"], password)
    _approve_closure(page, reference, today)

    case = Case.objects.get(reference=reference)
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on == today
    statuses = Action.objects.filter(case=case).values_list("status", flat=True)
    assert sorted(statuses) == [Action.Status.DONE, Action.Status.DONE]
