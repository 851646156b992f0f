"""The contact services: start, autosave, finish, reopen, discard, caller link."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.core.errors import StaleEditError
from masip.helpline import services
from masip.helpline.models import AdviceTopic, Contact, MonthlyCount
from masip.helpline.tests.factories import (
    REQUIRED,
    actor_for,
    complete_contact,
    draft_for,
)

pytestmark = pytest.mark.django_db


def _events(event_type):
    return AuditEvent.objects.filter(event_type=event_type)


def _all_count(contact):
    row = MonthlyCount.objects.filter(
        dimension="all", value="all", month=contact.started_at.date().replace(day=1)
    ).first()
    return row.contacts if row else 0


def test_contact_start_makes_an_audited_anonymous_draft(cast):
    moment = timezone.now() - dt.timedelta(minutes=3)

    contact = services.contact_start(
        actor=actor_for(cast.helpline_adviser), channel="webchat", now=moment
    )

    assert contact.status == Contact.Status.DRAFT
    assert contact.started_at == moment
    assert contact.channel == "webchat"
    assert contact.agency == cast.helpline
    assert contact.risk_instrument == "masip-stalking-screen-v1"
    assert _events(EventType.HELPLINE_CONTACT_STARTED).count() == 1


def test_contact_start_ignores_an_unknown_channel(cast):
    contact = services.contact_start(
        actor=actor_for(cast.helpline_adviser), channel="pigeon"
    )

    assert contact.channel == ""


def test_autosave_saves_partial_answers_and_bumps_the_version(cast):
    contact = draft_for(cast.helpline_adviser)

    result = services.contact_autosave(
        actor=actor_for(cast.helpline_adviser),
        contact=contact,
        values={"caller_type": ["victim"], "narrative": ["He waits outside."]},
        version=contact.version,
    )

    contact.refresh_from_db()
    assert sorted(result.saved) == ["caller_type", "narrative"]
    assert result.problems == {}
    assert contact.caller_type == "victim"
    assert contact.narrative == "He waits outside."
    assert contact.version == 2


def test_autosave_skips_a_bad_answer_and_keeps_the_earlier_one(cast):
    contact = draft_for(cast.helpline_adviser, caller_type="victim", narrative="First.")

    result = services.contact_autosave(
        actor=actor_for(cast.helpline_adviser),
        contact=contact,
        values={
            "caller_type": ["martian"],
            "behaviours": ["following", "none"],
            "notes": ["Saved anyway."],
        },
        version=contact.version,
    )

    contact.refresh_from_db()
    assert set(result.problems) == {"caller_type", "behaviours"}
    assert contact.caller_type == "victim"
    assert contact.narrative == "First."
    assert contact.notes == "Saved anyway."


def test_autosave_on_a_stale_version_keeps_the_other_windows_answer(cast):
    contact = draft_for(cast.helpline_adviser, caller_type="victim")
    old = contact.version
    actor = actor_for(cast.helpline_adviser)
    services.contact_autosave(
        actor=actor,
        contact=contact,
        values={"caller_type": ["family_friend"]},
        version=old,
    )

    result = services.contact_autosave(
        actor=actor,
        contact=contact,
        values={"caller_type": ["professional"]},
        version=old,
        base={"caller_type": ["victim"]},
    )

    contact.refresh_from_db()
    assert contact.caller_type == "family_friend"
    assert result.clashes == ["caller_type"]
    assert "caller_type" in result.problems
    assert result.version == contact.version


def test_autosave_on_a_stale_version_saves_what_nobody_else_changed(cast):
    contact = draft_for(cast.helpline_adviser, caller_type="victim")
    old = contact.version
    actor = actor_for(cast.helpline_adviser)
    services.contact_autosave(
        actor=actor, contact=contact, values={"notes": ["From window A."]}, version=old
    )

    result = services.contact_autosave(
        actor=actor,
        contact=contact,
        values={"caller_type": ["professional"]},
        version=old,
        base={"caller_type": ["victim"]},
    )

    contact.refresh_from_db()
    assert result.saved == ["caller_type"]
    assert contact.caller_type == "professional"
    assert contact.notes == "From window A."


def test_autosave_on_a_stale_version_keeps_both_windows_text(cast):
    contact = draft_for(cast.helpline_adviser, narrative="Started.")
    old = contact.version
    actor = actor_for(cast.helpline_adviser)
    services.contact_autosave(
        actor=actor,
        contact=contact,
        values={"narrative": ["Started. Window A adds this."]},
        version=old,
    )

    services.contact_autosave(
        actor=actor,
        contact=contact,
        values={"narrative": ["Started. Window B wrote this."]},
        version=old,
        base={"narrative": ["Started."]},
    )

    contact.refresh_from_db()
    assert "Window A adds this." in contact.narrative
    assert "Window B wrote this." in contact.narrative


def test_autosave_needs_who_decided_an_override(cast):
    contact = draft_for(cast.helpline_adviser)

    result = services.contact_autosave(
        actor=actor_for(cast.helpline_adviser),
        contact=contact,
        values={"safeguarding_override": ["on"], "safeguarding_reason": ["A child."]},
        version=contact.version,
    )

    contact.refresh_from_db()
    assert contact.safeguarding_override is False
    assert contact.safeguarding_reason == "A child."
    assert "safeguarding_decided_by" in result.problems
    assert not _events(EventType.HELPLINE_SAFEGUARDING_OVERRIDE).exists()


def test_autosave_records_a_safeguarding_override_with_who_decided(cast):
    contact = draft_for(cast.helpline_adviser)

    services.contact_autosave(
        actor=actor_for(cast.helpline_adviser),
        contact=contact,
        values={
            "safeguarding_override": ["on"],
            "safeguarding_decided_by": [str(cast.helpline_manager.pk)],
            "safeguarding_reason": ["A child at immediate risk."],
        },
        version=contact.version,
    )

    contact.refresh_from_db()
    assert contact.safeguarding_override is True
    assert contact.safeguarding_decided_by == cast.helpline_manager
    assert _events(EventType.HELPLINE_SAFEGUARDING_OVERRIDE).count() == 1


def test_autosave_refuses_a_decider_outside_the_helpline(cast):
    contact = draft_for(cast.helpline_adviser)

    result = services.contact_autosave(
        actor=actor_for(cast.helpline_adviser),
        contact=contact,
        values={"safeguarding_decided_by": [str(cast.lead_worker.pk)]},
        version=contact.version,
    )

    assert "safeguarding_decided_by" in result.problems


def test_caller_link_stores_a_keyed_hash_never_the_word_or_number(cast):
    contact = draft_for(cast.helpline_adviser)
    actor = actor_for(cast.helpline_adviser)

    result = services.contact_autosave(
        actor=actor,
        contact=contact,
        values={"caller_word": ["Bluebell-Meadow"]},
        version=contact.version,
    )
    contact.refresh_from_db()
    phone = draft_for(cast.helpline_adviser)
    services.contact_autosave(
        actor=actor,
        contact=phone,
        values={"caller_phone": ["07700 900123"]},
        version=phone.version,
    )

    assert result.caller_linked
    assert contact.caller_key == services.caller_key("word", "bluebell-meadow")
    assert contact.caller_key_kind == "word"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM helpline_contact")
        stored = repr(cursor.fetchall()).lower()
    assert "bluebell" not in stored
    assert "07700900123" not in stored
    assert "07700 900123" not in stored
    assert _events(EventType.HELPLINE_CALLER_LINKED).count() == 2


def test_same_word_links_later_contacts(cast):
    first = draft_for(cast.helpline_adviser, caller_word="Bluebell")
    second = draft_for(cast.helpline_adviser, caller_word=" bluebell ")

    assert first.caller_key
    assert first.caller_key == second.caller_key


def test_complete_checks_the_required_answers(cast):
    contact = draft_for(cast.helpline_adviser, caller_type="victim")

    with pytest.raises(services.ContactIncomplete) as refused:
        services.contact_complete(
            actor=actor_for(cast.helpline_adviser),
            contact=contact,
            version=contact.version,
        )

    assert set(refused.value.problems) == {
        "force_area",
        "relationship",
        "duration_band",
        "behaviours",
    }
    contact.refresh_from_db()
    assert contact.status == Contact.Status.DRAFT


def test_complete_times_scores_and_counts_once(cast):
    start = timezone.now() - dt.timedelta(minutes=30)

    contact = complete_contact(
        cast.helpline_adviser,
        started_at=start,
        minutes=7,
        risk_threats_to_kill="yes",
    )

    assert contact.status == Contact.Status.COMPLETE
    assert contact.handling_seconds == 7 * 60
    assert contact.risk_level == "high"
    assert _all_count(contact) == 1
    assert _events(EventType.HELPLINE_CONTACT_COMPLETED).count() == 1


def test_complete_without_screen_answers_stores_no_level(cast):
    contact = complete_contact(cast.helpline_adviser)

    assert contact.risk_level == ""


def test_complete_refuses_a_stale_version(cast):
    contact = draft_for(cast.helpline_adviser, **REQUIRED)

    with pytest.raises(StaleEditError):
        services.contact_complete(
            actor=actor_for(cast.helpline_adviser), contact=contact, version=1
        )


def test_reopen_uncounts_and_finishing_again_counts_once(cast):
    contact = complete_contact(cast.helpline_adviser, minutes=5)
    actor = actor_for(cast.helpline_adviser)

    reopened = services.contact_reopen(
        actor=actor, contact=contact, version=contact.version
    )
    assert _all_count(contact) == 0
    again = services.contact_complete(
        actor=actor, contact=reopened, version=reopened.version
    )

    assert _all_count(contact) == 1
    assert again.handling_seconds == 5 * 60
    assert _events(EventType.HELPLINE_CONTACT_REOPENED).count() == 1


def test_a_manager_may_reopen_and_correct_a_colleagues_contact(cast):
    contact = complete_contact(cast.helpline_adviser)
    manager = actor_for(cast.helpline_manager)

    reopened = services.contact_reopen(
        actor=manager, contact=contact, version=contact.version
    )
    result = services.contact_autosave(
        actor=manager,
        contact=reopened,
        values={"notes": ["Corrected by the manager."]},
        version=reopened.version,
    )

    assert result.saved == ["notes"]


def test_a_colleague_may_not_edit_or_reopen_anothers_contact(cast, django_user_model):
    from masip.access.roles import RoleName
    from masip.accounts.tests.factories import MembershipFactory

    colleague = MembershipFactory(
        agency=cast.helpline, role=RoleName.HELPLINE_ADVISER
    ).user
    draft = draft_for(cast.helpline_adviser)
    done = complete_contact(cast.helpline_adviser)

    with pytest.raises(services.ContactRefused):
        services.contact_autosave(
            actor=actor_for(colleague),
            contact=draft,
            values={"notes": ["Not mine."]},
            version=draft.version,
        )
    with pytest.raises(services.ContactRefused):
        services.contact_reopen(
            actor=actor_for(colleague), contact=done, version=done.version
        )
    with pytest.raises(services.ContactRefused):
        services.contact_discard(actor=actor_for(colleague), contact=draft)


def test_autosave_refuses_a_finished_contact(cast):
    contact = complete_contact(cast.helpline_adviser)

    with pytest.raises(services.ContactRefused):
        services.contact_autosave(
            actor=actor_for(cast.helpline_adviser),
            contact=contact,
            values={"notes": ["Late."]},
            version=contact.version,
        )


def test_discard_deletes_a_draft_and_audits_it(cast):
    contact = draft_for(cast.helpline_adviser)

    services.contact_discard(actor=actor_for(cast.helpline_manager), contact=contact)

    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert _events(EventType.HELPLINE_CONTACT_DISCARDED).count() == 1


def test_discard_refuses_a_finished_or_reopened_contact(cast):
    contact = complete_contact(cast.helpline_adviser)
    actor = actor_for(cast.helpline_adviser)

    with pytest.raises(services.ContactRefused):
        services.contact_discard(actor=actor, contact=contact)
    reopened = services.contact_reopen(
        actor=actor, contact=contact, version=contact.version
    )
    with pytest.raises(services.ContactRefused):
        services.contact_discard(actor=actor, contact=reopened)


def test_unlink_caller_forgets_the_key(cast):
    contact = draft_for(cast.helpline_adviser, caller_word="Bluebell")

    services.contact_unlink_caller(
        actor=actor_for(cast.helpline_adviser), contact=contact, version=contact.version
    )

    contact.refresh_from_db()
    assert contact.caller_key == ""


def test_advice_topics_are_seeded_by_area():
    areas = set(AdviceTopic.objects.values_list("area", flat=True))

    assert areas == set(AdviceTopic.Area.values)
    assert AdviceTopic.objects.count() >= 4 * len(AdviceTopic.Area.values)


def test_advice_topic_services_add_change_move_and_withdraw(cast):
    actor = actor_for(cast.helpline_manager)
    topic = services.advice_topic_add(
        actor=actor, area="law", title="Victims' Code", description=""
    )
    last = AdviceTopic.objects.filter(area="law").order_by("position").last()
    assert last == topic

    services.advice_topic_move(actor=actor, topic=topic, up=True)
    order = list(
        AdviceTopic.objects.filter(area="law")
        .order_by("position")
        .values_list("title", flat=True)
    )
    assert order[-2] == "Victims' Code"
    services.advice_topic_change(
        actor=actor, topic=topic, area="support", title="Victims' Code", description="X"
    )
    services.advice_topic_set_active(actor=actor, topic=topic, active=False)

    topic.refresh_from_db()
    assert (topic.area, topic.active, topic.description) == ("support", False, "X")
    assert _events(EventType.HELPLINE_ADVICE_CHANGED).count() == 4


def test_advice_topic_add_refuses_a_duplicate_title(cast):
    actor = actor_for(cast.helpline_manager)
    existing = AdviceTopic.objects.filter(area="law").first()

    with pytest.raises(services.ContactRefused) as refused:
        services.advice_topic_add(actor=actor, area="law", title=existing.title.upper())

    assert refused.value.field == "title"
