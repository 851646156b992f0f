"""The helpline pages: home, the live-call page and its autosave endpoint,
the summary, reopen, discard and the advice topics."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masip.access.roles import RoleName
from masip.accounts.tests.factories import MembershipFactory
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.helpline.models import AdviceTopic, Contact
from masip.helpline.tests.factories import (
    REQUIRED,
    complete_contact,
    draft_for,
)

pytestmark = pytest.mark.django_db


def _page(contact):
    return reverse("helpline:contact", kwargs={"public_id": contact.public_id})


def _autosave(contact):
    return reverse("helpline:contact-autosave", kwargs={"public_id": contact.public_id})


def _summary(contact):
    return reverse("helpline:contact-detail", kwargs={"public_id": contact.public_id})


def _colleague(cast):
    user = MembershipFactory(agency=cast.helpline, role=RoleName.HELPLINE_ADVISER).user
    return user


# Outsiders -----------------------------------------------------------------------


def test_outsider_gets_404_for_a_contact_and_403_for_the_home_page(cast, client_for):
    contact = complete_contact(cast.helpline_adviser)
    police = client_for("outsider")

    assert police.get(reverse("helpline:home")).status_code == 403
    assert police.get(_summary(contact)).status_code == 403
    assert police.post(_autosave(contact), {"notes": "x"}).status_code == 403


def test_outsider_gets_404_for_a_contact_of_another_helpline(cast, client_for):
    from masip.access.roles import AgencyKind
    from masip.accounts.tests.factories import AgencyFactory

    other = AgencyFactory(name="Other helpline", kind=AgencyKind.HELPLINE, site=None)
    stranger = MembershipFactory(agency=other, role=RoleName.HELPLINE_ADVISER).user
    contact = complete_contact(stranger)
    client = client_for("helpline_adviser")

    assert client.get(_summary(contact)).status_code == 404
    assert client.get(_page(contact)).status_code == 404
    assert client.post(_autosave(contact), {"notes": "x"}).status_code == 404


def test_a_missing_contact_is_404(cast, client_for):
    client = client_for("helpline_adviser")

    response = client.get("/helpline/contacts/00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404


# Home ---------------------------------------------------------------------------


def test_home_lists_own_drafts_and_recent_contacts(cast, client_for):
    draft = draft_for(cast.helpline_adviser)
    done = complete_contact(cast.helpline_manager)

    response = client_for("helpline_adviser").get(reverse("helpline:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert _page(draft) in html
    assert _summary(done) in html
    assert "Start a contact" in html


def test_home_queries_do_not_grow_with_contacts(cast, client_for):
    client = client_for("helpline_manager")
    for _ in range(2):
        complete_contact(cast.helpline_adviser)
        draft_for(cast.helpline_manager)
    client.get(reverse("helpline:home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("helpline:home"))
    for _ in range(20):
        complete_contact(cast.helpline_adviser)
        draft_for(cast.helpline_manager)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("helpline:home"))

    assert response.status_code == 200
    assert len(many) == len(few)


def test_start_makes_a_draft_and_opens_its_page(cast, client_for):
    client = client_for("helpline_adviser")

    response = client.post(reverse("helpline:contact-start"), {"channel": "email"})

    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _page(contact)
    assert contact.channel == "email"


def test_start_without_a_channel_shows_the_error(cast, client_for):
    response = client_for("helpline_adviser").post(reverse("helpline:contact-start"))

    assert response.status_code == 200
    assert "Select how they got in touch." in response.content.decode()
    assert not Contact.objects.exists()


def test_caller_search_finds_linked_contacts_without_the_word_in_the_address(
    cast, client_for
):
    linked = complete_contact(cast.helpline_adviser, caller_word="Bluebell")
    complete_contact(cast.helpline_adviser)
    client = client_for("helpline_adviser")

    response = client.post(
        reverse("helpline:caller-search"), {"caller_word": "BLUEBELL"}
    )
    assert response.status_code == 302
    assert "bluebell" not in response["Location"].lower()
    page = client.get(response["Location"])

    assert str(linked.public_id) in page.content.decode()
    assert page.content.decode().count("helpline/contacts/") >= 1


def test_caller_search_needs_a_word_or_number(cast, client_for):
    response = client_for("helpline_adviser").post(reverse("helpline:caller-search"))

    assert response.status_code == 200
    assert "Enter a reference word or a phone number." in response.content.decode()


# The live-call page -------------------------------------------------------------


def test_contact_page_shows_every_section_and_the_timer(cast, client_for):
    contact = draft_for(cast.helpline_adviser)

    response = client_for("helpline_adviser").get(_page(contact))

    html = response.content.decode()
    assert response.status_code == 200
    for legend in (
        "Channel and caller",
        "Where and who",
        "How long",
        "What is happening",
        "Digital and tracking signs",
        "Risk screen",
        "Advice given",
        "Referrals made",
        "Safeguarding",
        "Follow-up",
        "The caller's account and notes",
        "Repeat caller",
    ):
        assert f'<h2 class="govuk-fieldset__heading">{legend}</h2>' in html
    assert 'id="helpline-timer"' in html
    assert 'aria-live="off"' in html
    assert 'aria-live="polite"' in html
    assert "js/helpline-contact.js" in html
    assert AdviceTopic.objects.filter(active=True).first().title in html


def test_contact_page_queries_are_constant(cast, client_for):
    client = client_for("helpline_adviser")
    few = draft_for(cast.helpline_adviser, caller_word="Bluebell", advice=[])
    for _ in range(2):
        draft_for(cast.helpline_manager, caller_word="Bluebell")
    client.get(_page(few))
    with CaptureQueriesContext(connection) as first:
        client.get(_page(few))
    topics = [str(pk) for pk in AdviceTopic.objects.values_list("pk", flat=True)]
    many = draft_for(cast.helpline_adviser, caller_word="Bluebell", advice=topics)
    for _ in range(20):
        draft_for(cast.helpline_manager, caller_word="Bluebell")
    with CaptureQueriesContext(connection) as second:
        response = client.get(_page(many))

    assert response.status_code == 200
    assert len(second) == len(first)


def test_a_colleague_cannot_open_or_save_anothers_draft(cast, client_for):
    contact = draft_for(cast.helpline_manager)
    client = client_for("helpline_adviser")

    assert client.get(_page(contact)).status_code == 403
    assert client.post(_page(contact), {"notes": "Mine now"}).status_code == 403
    assert client.post(_autosave(contact), {"notes": "Mine now"}).status_code == 403
    assert client.get(_summary(contact)).status_code == 403
    contact.refresh_from_db()
    assert contact.notes == ""


def test_a_manager_sees_a_colleagues_draft_read_only(cast, client_for):
    contact = draft_for(cast.helpline_adviser)
    client = client_for("helpline_manager")

    assert client.get(_page(contact))["Location"] == _summary(contact)
    response = client.get(_summary(contact))
    assert response.status_code == 200
    assert "Discard this draft" in response.content.decode()


def test_save_draft_without_javascript_saves_and_redirects(cast, client_for):
    contact = draft_for(cast.helpline_adviser)

    response = client_for("helpline_adviser").post(
        _page(contact),
        {
            "version": contact.version,
            "action": "save",
            "caller_type": "victim",
            "narrative": "He follows me to work.",
        },
    )

    contact.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == _page(contact)
    assert contact.narrative == "He follows me to work."
    assert contact.channel == ""  # the whole form was posted: no channel chosen


def test_save_draft_with_a_bad_answer_rerenders_with_the_input_kept(cast, client_for):
    contact = draft_for(cast.helpline_adviser)

    response = client_for("helpline_adviser").post(
        _page(contact),
        {
            "version": contact.version,
            "action": "save",
            "caller_type": "martian",
            "narrative": "Kept on the page.",
        },
    )

    html = response.content.decode()
    contact.refresh_from_db()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Kept on the page." in html
    assert contact.narrative == "Kept on the page."
    assert f'name="version" value="{contact.version}"' in html


def test_finish_with_missing_answers_shows_them(cast, client_for):
    contact = draft_for(cast.helpline_adviser)

    response = client_for("helpline_adviser").post(
        _page(contact), {"version": contact.version, "action": "finish"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Select who is calling." in html
    contact.refresh_from_db()
    assert contact.status == Contact.Status.DRAFT


def test_finish_completes_and_shows_the_summary(cast, client_for):
    contact = draft_for(cast.helpline_adviser)
    client = client_for("helpline_adviser")

    response = client.post(
        _page(contact),
        {"version": contact.version, "action": "finish", **REQUIRED},
    )

    contact.refresh_from_db()
    assert response["Location"] == _summary(contact)
    assert contact.status == Contact.Status.COMPLETE
    summary = client.get(_summary(contact))
    assert summary.status_code == 200
    assert "Reopen to correct" in summary.content.decode()
    assert AuditEvent.objects.filter(
        event_type=EventType.HELPLINE_CONTACT_VIEWED
    ).exists()
    assert client.get(_page(contact))["Location"] == _summary(contact)


def test_summary_shows_the_narrative_and_earlier_contacts(cast, client_for):
    complete_contact(cast.helpline_adviser, caller_word="Bluebell")
    contact = complete_contact(
        cast.helpline_adviser, caller_word="Bluebell", narrative="He sends gifts."
    )

    html = client_for("helpline_manager").get(_summary(contact)).content.decode()

    assert "He sends gifts." in html
    assert "1 other contact from this caller" in html


def test_reopen_and_discard_through_the_pages(cast, client_for):
    contact = complete_contact(cast.helpline_adviser)
    client = client_for("helpline_adviser")

    response = client.post(
        reverse("helpline:contact-reopen", kwargs={"public_id": contact.public_id}),
        {"version": contact.version},
    )
    assert response["Location"] == _page(contact)
    draft = draft_for(cast.helpline_adviser)
    discard = reverse("helpline:contact-discard", kwargs={"public_id": draft.public_id})
    assert client.get(discard).status_code == 200
    assert client.post(discard)["Location"] == reverse("helpline:home")

    assert not Contact.objects.filter(pk=draft.pk).exists()


def test_reopen_with_a_stale_version_changes_nothing(cast, client_for):
    contact = complete_contact(cast.helpline_adviser)

    response = client_for("helpline_adviser").post(
        reverse("helpline:contact-reopen", kwargs={"public_id": contact.public_id}),
        {"version": "nonsense"},
    )

    contact.refresh_from_db()
    assert response["Location"] == _summary(contact)
    assert contact.status == Contact.Status.COMPLETE


# The autosave endpoint -------------------------------------------------------------


def test_autosave_answers_json_with_the_new_version(cast, client_for):
    contact = draft_for(cast.helpline_adviser)

    response = client_for("helpline_adviser").post(
        _autosave(contact),
        {
            "version": contact.version,
            "changed": ["narrative", "caller_type"],
            "narrative": "He is outside now.",
            "caller_type": "martian",
            "base": json.dumps({"narrative": [""], "caller_type": [""]}),
        },
    )

    body = response.json()
    contact.refresh_from_db()
    assert response.status_code == 200
    assert body["version"] == contact.version == 2
    assert body["saved_at"]
    assert list(body["problems"]) == ["caller_type"]
    assert contact.narrative == "He is outside now."


def test_autosave_on_a_stale_version_sends_back_the_kept_answer(cast, client_for):
    contact = draft_for(cast.helpline_adviser, caller_type="victim")
    client = client_for("helpline_adviser")
    client.post(
        _autosave(contact),
        {
            "version": contact.version,
            "changed": "caller_type",
            "caller_type": "professional",
        },
    )

    response = client.post(
        _autosave(contact),
        {
            "version": contact.version,
            "changed": "caller_type",
            "caller_type": "family_friend",
            "base": json.dumps({"caller_type": ["victim"]}),
        },
    )

    body = response.json()
    assert body["clashes"] == ["caller_type"]
    assert body["fields"] == {"caller_type": ["professional"]}


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"version": "x", "base": "{not json"},
        {"version": "1", "base": "[1, 2]", "changed": "advice", "advice": "abc"},
        {"version": "", "changed": "follow_up_date_0", "follow_up_date_0": "99"},
        {"version": "1", "narrative": "x" * 30000},
        {"version": "1", "risk_weapons": "perhaps", "four_fixated": "maybe"},
        {"version": "1", "safeguarding_decided_by": "abc"},
        {"version": "1", "caller_phone": "not a number"},
        {"version": "1", "base": json.dumps({"notes": {"a": 1}}), "changed": "notes"},
        {
            "version": "1",
            "follow_up_time": "25:99",
            "follow_up_date_0": "1",
            "follow_up_date_1": "2",
            "follow_up_date_2": "2030",
        },
    ],
)
def test_autosave_with_bad_input_never_fails(cast, client_for, data):
    contact = draft_for(cast.helpline_adviser, narrative="Saved before.")

    response = client_for("helpline_adviser").post(_autosave(contact), data)

    contact.refresh_from_db()
    assert response.status_code == 200
    assert contact.narrative in ("Saved before.",)


def test_autosave_of_a_finished_contact_answers_409(cast, client_for):
    contact = complete_contact(cast.helpline_adviser)

    response = client_for("helpline_adviser").post(_autosave(contact), {"notes": "x"})

    assert response.status_code == 409
    assert response.json()["closed"] is True


def test_autosave_links_a_caller_and_reports_earlier_contacts(cast, client_for):
    complete_contact(cast.helpline_adviser, caller_phone="07700 900123")
    contact = draft_for(cast.helpline_adviser)

    response = client_for("helpline_adviser").post(
        _autosave(contact),
        {"version": contact.version, "caller_phone": "+44 7700 900123"},
    )

    assert response.json()["earlier"] == 1


# Advice topics ---------------------------------------------------------------------


def test_advice_page_is_for_managers_only(cast, client_for):
    assert (
        client_for("helpline_adviser").get(reverse("helpline:advice")).status_code
        == 403
    )
    assert client_for("outsider").get(reverse("helpline:advice")).status_code == 403
    response = client_for("helpline_manager").get(reverse("helpline:advice"))
    assert response.status_code == 200
    assert "Evidence keeping" in response.content.decode()


def test_advice_add_edit_move_and_withdraw(cast, client_for):
    client = client_for("helpline_manager")

    added = client.post(
        reverse("helpline:advice"), {"area": "orders", "title": "Occupation orders"}
    )
    topic = AdviceTopic.objects.get(title="Occupation orders")
    edit = f"{reverse('helpline:advice-edit')}?topic={topic.pk}"
    shown = client.get(edit)
    edited = client.post(
        reverse("helpline:advice-edit"),
        {"topic": topic.pk, "area": "orders", "title": "Occupation orders (civil)"},
    )
    moved = client.post(
        reverse("helpline:advice-move"), {"topic": topic.pk, "direction": "up"}
    )
    withdrawn = client.post(
        reverse("helpline:advice-active"), {"topic": topic.pk, "active": "0"}
    )

    topic.refresh_from_db()
    assert shown.status_code == 200
    assert {r.status_code for r in (added, edited, moved, withdrawn)} == {302}
    assert topic.title == "Occupation orders (civil)"
    assert topic.active is False


def test_advice_add_with_bad_input_rerenders(cast, client_for):
    response = client_for("helpline_manager").post(reverse("helpline:advice"), {})

    assert response.status_code == 200
    assert "Enter a title." in response.content.decode()


def test_advice_edit_of_an_unknown_topic_goes_back_to_the_list(cast, client_for):
    client = client_for("helpline_manager")

    assert client.get(reverse("helpline:advice-edit"))["Location"] == reverse(
        "helpline:advice"
    )
    assert (
        client.post(reverse("helpline:advice-edit"), {"topic": "x"}).status_code == 302
    )


def test_navigation_shows_the_helpline_to_advisers_only(cast, client_for):
    adviser = client_for("helpline_adviser").get(reverse("helpline:home"))
    police = client_for("lead_worker").get("/")

    assert 'href="/helpline/"' in adviser.content.decode()
    assert 'href="/helpline/"' not in police.content.decode()
