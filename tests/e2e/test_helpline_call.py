"""A whole anonymous helpline call in a real browser, using only the keyboard.

The demo's helpline adviser signs in, starts a phone contact, answers the
live-call page (who, where, how long, behaviours, FOUR, a digital sign, the
risk screen, the caller's account), waits for the autosave, closes the tab
half way, opens a new one, resumes the draft from the helpline home (the
answers are still there), finishes the contact and hands it over to London
with the caller's consent. The London panel coordinator then finds it in
the triage queue, from the national helpline, with the caller's account.

No clicks: every step is Tab, Shift+Tab, arrow keys, Space, Enter or typing
(``page.goto`` only opens the sign-in page and the new tab). Everything
typed is synthetic.
"""

import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Locator, Page, expect

from masip.accounts.models import User
from masip.accounts.tests.factories import authenticator_for, totp_code
from masip.demo.builder import load_demo
from masip.helpline.models import Contact
from masip.referrals.models import Referral

Check = Callable[[Page], None]

ADVISER = "helpline.adviser@national.demo.example.org"
COORDINATOR = "panel.coordinator@london.demo.example.org"
NARRATIVE = (
    "Synthetic: since I left him in March he messages me every day and waits "
    "outside my work; last week he said he would kill me."
)
SAFE_CONTACT = "Synthetic: 07700 900321, weekday mornings only"
VICTIM = "Quenella"
THREATS_TO_KILL = (
    "Has the perpetrator threatened to kill the victim or anyone close to them?"
)
MOST_TABS = 400


def _focused(locator: Locator) -> bool:
    return bool(locator.evaluate("el => el === document.activeElement"))


def _tab_to(page: Page, locator: Locator, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until ``locator`` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MOST_TABS):
        if _focused(locator):
            return
        page.keyboard.press(key)
    raise AssertionError(f"Tab never reached {locator}")


def _tab_into(page: Page, group: Locator) -> None:
    """Press Tab until the focus is inside ``group`` (a radio group lets Tab
    land on its checked radio, or its first)."""
    for _ in range(MOST_TABS):
        if group.evaluate("el => el.contains(document.activeElement)"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {group}")


def _choose(page: Page, group_name: str, option: str) -> None:
    """Pick a radio the keyboard way: into the group, arrows to the option
    (arrows wrap round a radio group), Space to be sure it is checked."""
    group = page.get_by_role("group", name=group_name)
    target = group.get_by_label(option, exact=True)
    _tab_into(page, group)
    for _ in range(40):
        if _focused(target):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(target).to_be_checked()


def _tick(page: Page, group_name: str, option: str) -> None:
    box = page.get_by_role("group", name=group_name).get_by_label(option, exact=True)
    _tab_to(page, box)
    page.keyboard.press("Space")
    expect(box).to_be_checked()


def _type_into(page: Page, field: Locator, text: str) -> None:
    _tab_to(page, field)
    page.keyboard.type(text)


def _press_button(page: Page, name: str) -> None:
    _tab_to(page, page.get_by_role("button", name=name, exact=True))
    page.keyboard.press("Enter")


def _follow_link(page: Page, link: Locator) -> None:
    _tab_to(page, link)
    page.keyboard.press("Enter")


def _menu(page: Page, name: str) -> None:
    menu = page.get_by_role("navigation", name="Menu")
    _follow_link(page, menu.get_by_role("link", name=name, exact=True))


def _sign_in(page: Page, user: User, password: str) -> None:
    page.goto("/sign-in/")
    _type_into(page, page.get_by_label("Email address"), user.email)
    _type_into(page, page.get_by_label("Password"), password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in/verify/" in url)
    _type_into(page, page.get_by_label("Code"), totp_code(authenticator_for(user)))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def _sign_out(page: Page) -> None:
    _press_button(page, "Sign out")
    expect(page.get_by_text("You have signed out")).to_be_visible()


# 1. The first half of the call ---------------------------------------------------


def _start_call(page: Page) -> str:
    """Start a phone contact from the helpline home; the contact's id."""
    _menu(page, "Helpline")
    expect(page.get_by_role("heading", name="Helpline", exact=True)).to_be_visible()
    _choose(page, "How did they get in touch?", "Phone")
    _press_button(page, "Start a contact")
    page.wait_for_url(re.compile(r"/helpline/contacts/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", name="Live contact")).to_be_visible()
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def _first_half(page: Page) -> None:
    _choose(page, "Who is getting in touch?", "Someone being stalked")
    area = page.get_by_label("Police force area where the stalking is happening")
    _tab_to(page, area)
    page.keyboard.type("Metropolitan")
    expect(area).to_have_value("metropolitan_police")
    _choose(
        page, "Who is the person stalking to the person being stalked?", "Ex-partner"
    )
    _choose(page, "How long has it been going on?", "6 to 12 months")
    _tick(page, "What is the person doing?", "Following")
    _tick(page, "What is the person doing?", "Contacting, or attempting to contact")
    _type_into(page, page.get_by_label("The caller's account"), NARRATIVE)
    status = page.locator("#helpline-autosave-status")
    expect(status).to_contain_text("Draft saved", timeout=20_000)


def _resume(context: BrowserContext, contact_id: str) -> Page:
    """A new tab: the helpline home, and the draft resumed from it."""
    page = context.new_page()
    page.goto("/")
    _menu(page, "Helpline")
    drafts = page.locator("#drafts + ul")
    _follow_link(page, drafts.locator(f"a[href*='{contact_id}']"))
    page.wait_for_url(re.compile(f"/helpline/contacts/{contact_id}/$"))
    return page


def _still_there(page: Page) -> None:
    expect(
        page.get_by_role("group", name="Who is getting in touch?").get_by_label(
            "Someone being stalked", exact=True
        )
    ).to_be_checked()
    expect(
        page.get_by_label("Police force area where the stalking is happening")
    ).to_have_value("metropolitan_police")
    expect(
        page.get_by_role("group", name="How long has it been going on?").get_by_label(
            "6 to 12 months", exact=True
        )
    ).to_be_checked()
    expect(
        page.get_by_role("group", name="What is the person doing?").get_by_label(
            "Following", exact=True
        )
    ).to_be_checked()
    expect(page.get_by_label("The caller's account")).to_have_value(NARRATIVE)


# 2. The second half, finishing and the handover -------------------------------


def _second_half(page: Page) -> None:
    _choose(page, "Does the caller describe the person as fixated on them?", "Yes")
    _choose(page, "Is the attention unwanted?", "Yes")
    _tick(
        page,
        "Digital and tracking signs",
        "A tracking device (for example on a car or in a bag)",
    )
    _choose(page, THREATS_TO_KILL, "Yes")


def _finish(page: Page, contact_id: str) -> None:
    _press_button(page, "Finish contact")
    page.wait_for_url(re.compile(f"/helpline/contacts/{contact_id}/summary/$"))
    expect(
        page.get_by_role("alert").filter(has_text="Contact finished")
    ).to_be_visible()
    contact = Contact.objects.get(public_id=contact_id)
    assert contact.status == Contact.Status.COMPLETE
    assert contact.risk_level == "high"
    assert contact.narrative == NARRATIVE


def _hand_over(page: Page, assert_accessible: Check) -> Referral:
    _follow_link(page, page.get_by_role("link", name="Hand over to a local programme"))
    expect(
        page.get_by_role("heading", name="Hand over to a local programme")
    ).to_be_visible()
    expect(page.get_by_text(NARRATIVE)).to_be_visible()
    # The force area chose London; the high screen chose urgent.
    expect(
        page.get_by_role(
            "group", name="Which programme should receive it?"
        ).get_by_label("London", exact=True)
    ).to_be_checked()
    expect(
        page.get_by_role("group", name="How urgent is it?").get_by_label(
            "Urgent", exact=True
        )
    ).to_be_checked()
    assert_accessible(page)
    _choose(
        page,
        "Does the caller agree to this being shared with the programme?",
        "Yes, the caller agrees to the handover",
    )
    _type_into(
        page, page.get_by_label("Given name of the person being stalked"), VICTIM
    )
    _type_into(
        page,
        page.get_by_label("How and when can the programme contact them safely?"),
        SAFE_CONTACT,
    )
    _press_button(page, "Hand over")
    banner = page.get_by_role("alert").filter(has_text="Handed over to London")
    expect(banner).to_be_visible()
    found = re.search(r"referral (REF-[0-9A-F]{8})", banner.inner_text())
    assert found is not None, banner.inner_text()
    referral = next(
        r for r in Referral.objects.all() if r.short_reference == found.group(1)
    )
    assert referral.helpline_narrative == NARRATIVE
    return referral


# 3. The London coordinator ------------------------------------------------------


def _triage(page: Page, referral: Referral) -> None:
    _menu(page, "Triage")
    expect(page.get_by_role("heading", name="Triage", exact=True)).to_be_visible()
    short = referral.short_reference
    row = page.get_by_role("row").filter(has_text=short)
    expect(row).to_contain_text("From the national helpline")
    expect(row.locator(".govuk-tag").filter(has_text="Urgent")).to_be_visible()
    _follow_link(page, row.get_by_role("link", name=short))
    expect(page.get_by_role("heading", name=f"Referral {short}")).to_be_visible()
    expect(
        page.get_by_role("heading", name="From the national helpline")
    ).to_be_visible()
    expect(page.get_by_text(NARRATIVE)).to_be_visible()
    expect(page.get_by_text(SAFE_CONTACT)).to_be_visible()


def test_an_anonymous_call_is_logged_resumed_and_handed_over_by_keyboard(
    axe_page: Page, assert_accessible: Check
) -> None:
    demo = load_demo()
    users = demo.structure.users
    page = axe_page
    context = page.context

    _sign_in(page, users[ADVISER], demo.password)
    contact_id = _start_call(page)
    assert_accessible(page)
    _first_half(page)

    page.close()  # half way: the tab is closed, the draft is on the server
    page = _resume(context, contact_id)
    _still_there(page)
    _second_half(page)
    _finish(page, contact_id)
    referral = _hand_over(page, assert_accessible)
    contact = Contact.objects.get(public_id=contact_id)
    assert contact.referral == referral

    _sign_out(page)
    _sign_in(page, users[COORDINATOR], demo.password)
    _triage(page, referral)
