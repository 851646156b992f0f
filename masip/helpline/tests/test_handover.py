"""Handing a helpline contact over with the caller's consent (the service)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from masip.accounts.models import Notification
from masip.accounts.tests.factories import SiteFactory
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import ReferralSource
from masip.core.errors import DomainError
from masip.helpline import handover
from masip.helpline.models import Contact, ShareConsent
from masip.people.tests.factories import actor_for
from masip.referrals.models import (
    CarriedSection,
    Referral,
    ReferralConsent,
    Urgency,
    carried_json,
    carried_sections,
)
from masip.referrals.services import ReferredPeople

pytestmark = pytest.mark.django_db

NARRATIVE = (
    "Synthetic: he messages me forty times a day since I left and waits outside "
    "my work; last week he said he would kill me."
)
NOTES = "Synthetic adviser note: not for sharing."
VICTIM = ("Quenby", "Testcaller")
SAFE_CONTACT = "07700 900123, weekdays 10 to 12 only"


def finished_contact(cast, **overrides) -> Contact:  # type: ignore[no-untyped-def]
    """A completed, anonymous contact of the cast's helpline."""
    now = timezone.now()
    values = {
        "agency": cast.helpline,
        "adviser": cast.helpline_adviser,
        "status": Contact.Status.COMPLETE,
        "started_at": now - dt.timedelta(minutes=12),
        "ended_at": now - dt.timedelta(minutes=1),
        "handling_seconds": 660,
        "channel": "phone",
        "caller_type": "victim",
        "force_area": "metropolitan_police",
        "relationship": "ex_partner",
        "duration_band": "1_2y",
        "behaviours": ["following", "contacting"],
        "four_fixated": True,
        "four_obsessive": True,
        "four_unwanted": True,
        "four_repeated": None,
        "digital_indicators": ["tracker"],
        "risk_instrument": "masip-stalking-screen",
        "risk_answers": {"threats_to_kill": "yes", "weapons": "unknown"},
        "risk_level": "high",
        "referrals_made": ["police"],
        "narrative": NARRATIVE,
        "notes": NOTES,
    }
    values.update(overrides)
    return Contact.objects.create(**values)


def people() -> ReferredPeople:
    return ReferredPeople(
        victim_given_name=VICTIM[0],
        victim_family_name=VICTIM[1],
        victim_safe_contact=SAFE_CONTACT,
    )


def hand_over(cast, contact, *, consent=ShareConsent.GIVEN, site=None, **extra):  # type: ignore[no-untyped-def]
    return handover.contact_hand_over(
        actor=actor_for(cast.helpline_adviser),
        contact=contact,
        site=site or cast.police_a.site,
        consent=consent,
        people=people(),
        urgency=Urgency.URGENT,
        **extra,
    )


def _rows(referral: Referral) -> dict[str, str]:
    return {
        label: value
        for section in referral.helpline_sections
        for label, value in section.rows
    }


def test_contact_hand_over_with_consent_makes_a_referral_carrying_the_account(cast):
    contact = finished_contact(cast)

    referral = hand_over(cast, contact, consent_reason="Email first, please.")

    referral.refresh_from_db()
    assert referral.site == cast.police_a.site
    assert referral.source == ReferralSource.HELPLINE
    assert referral.consent == ReferralConsent.GIVEN
    assert referral.urgency == Urgency.URGENT
    assert referral.referring_agency == cast.helpline
    assert referral.helpline_narrative == NARRATIVE
    assert referral.victim_name == " ".join(VICTIM)
    assert referral.victim_safe_contact == SAFE_CONTACT
    assert "Email first, please." in referral.consent_reason
    assert referral.from_helpline
    rows = _rows(referral)
    assert rows["Police force area"] == "Metropolitan Police"
    assert rows["Who the person stalking is to them"] == "Ex-partner"
    assert rows["How long it has gone on"] == "1 to 2 years"
    assert rows["Behaviours reported"] == (
        "Following\nContacting, or attempting to contact"
    )
    assert rows["Fixated"] == "Yes"
    assert rows["Repeated"] == "Not sure"
    assert rows["Digital and tracking indicators"].startswith("A tracking device")
    assert rows["Risk level (MASIP stalking screen)"] == "High"
    assert (
        rows[
            "Has the perpetrator threatened to kill the victim or anyone close to them?"
        ]
        == "Yes"
    )
    assert any(value == "Don't know" for value in rows.values())
    assert NOTES not in str(rows)
    assert NOTES not in referral.reason


def test_contact_hand_over_sets_the_contact_and_audits_it(cast):
    contact = finished_contact(cast)
    moment = timezone.now()

    referral = hand_over(cast, contact, now=moment)

    contact.refresh_from_db()
    assert contact.referral == referral
    assert contact.share_consent == ShareConsent.GIVEN
    assert contact.handed_over_at == moment
    assert contact.version == 2
    event = AuditEvent.objects.get(event_type=EventType.HELPLINE_CONTACT_HANDED_OVER)
    assert event.target_id == str(contact.public_id)
    assert AuditEvent.objects.filter(event_type=EventType.REFERRAL_SUBMITTED).exists()


def test_contact_hand_over_is_counted_as_a_handover_in_its_month(cast):
    from masip.helpline.counting import HANDOVER, dimension_values, month_of
    from masip.helpline.models import MonthlyCount

    contact = finished_contact(cast)

    hand_over(cast, contact)

    contact.refresh_from_db()
    row = MonthlyCount.objects.get(dimension="referral", value=HANDOVER)
    assert (row.month, row.contacts) == (month_of(contact.started_at), 1)
    # A recount (reopen and finish) keeps it, as a dimension of the contact.
    assert ("referral", HANDOVER) in set(dimension_values(contact))


def test_contact_hand_over_tells_the_site_coordinators(cast):
    hand_over(cast, finished_contact(cast))

    told = Notification.objects.filter(kind=Notification.Kind.REFERRAL_WAITING)
    assert list(told.values_list("recipient", flat=True)) == [cast.panel_coordinator.pk]


def test_contact_hand_over_keeps_the_caller_off_the_contact(cast):
    contact = finished_contact(cast)

    hand_over(cast, contact)

    stored = Contact.objects.get(pk=contact.pk)
    readable = " ".join(
        str(getattr(stored, field.attname)) for field in Contact._meta.concrete_fields
    )
    for secret in (*VICTIM, SAFE_CONTACT):
        assert secret not in readable


@pytest.mark.parametrize("consent", [ShareConsent.REFUSED, ShareConsent.NOT_ASKED, ""])
def test_contact_hand_over_without_consent_sends_nothing(cast, consent):
    contact = finished_contact(cast)
    before = AuditEvent.objects.count()

    with pytest.raises(handover.HandoverRefused, match="nothing has been sent"):
        hand_over(cast, contact, consent=consent)

    assert not Referral.objects.exists()
    assert not Notification.objects.exists()
    assert AuditEvent.objects.count() == before
    contact.refresh_from_db()
    assert contact.referral is None
    assert contact.share_consent == ShareConsent.NOT_ASKED


def test_contact_hand_over_refuses_a_draft(cast):
    contact = finished_contact(cast, status=Contact.Status.DRAFT, ended_at=None)

    with pytest.raises(DomainError, match="Finish the contact first"):
        hand_over(cast, contact)

    assert not Referral.objects.exists()


def test_contact_hand_over_refuses_a_second_time(cast):
    contact = finished_contact(cast)
    hand_over(cast, contact)

    with pytest.raises(DomainError, match="already been handed over"):
        hand_over(cast, contact)

    assert Referral.objects.count() == 1


def test_contact_hand_over_refuses_an_agency_actor(cast):
    contact = finished_contact(cast)

    with pytest.raises(PermissionDenied):
        handover.contact_hand_over(
            actor=actor_for(cast.lead_worker),
            contact=contact,
            site=cast.police_a.site,
            consent=ShareConsent.GIVEN,
            people=people(),
            urgency=Urgency.ROUTINE,
        )

    assert not Referral.objects.exists()


def test_contact_hand_over_refuses_a_site_not_offered(cast):
    contact = finished_contact(cast)
    offered = [cast.police_a.site]

    with pytest.raises(DomainError, match="Select a programme"):
        hand_over(cast, contact, site=cast.police_b.site, sites=offered)

    assert not Referral.objects.exists()


def test_contact_hand_over_needs_the_victims_name(cast):
    contact = finished_contact(cast)

    with pytest.raises(DomainError):
        handover.contact_hand_over(
            actor=actor_for(cast.helpline_adviser),
            contact=contact,
            site=cast.police_a.site,
            consent=ShareConsent.GIVEN,
            people=ReferredPeople(victim_given_name="  "),
            urgency=Urgency.ROUTINE,
        )

    contact.refresh_from_db()
    assert contact.referral is None


def test_carried_sections_of_a_sparse_contact_say_not_recorded(cast):
    contact = finished_contact(
        cast,
        channel="",
        force_area="",
        behaviours=["none"],
        digital_indicators=[],
        risk_answers={},
        risk_level="",
        risk_instrument="no-such-instrument",
        referrals_made=[],
    )

    rows = {
        label: value
        for section in handover.carried_sections(contact)
        for label, value in section.rows
    }

    assert rows["How they got in touch"] == "Not recorded"
    assert rows["Police force area"] == "Not recorded"
    assert rows["Behaviours reported"] == "None reported"
    assert rows["Risk level from the screen"] == "Not recorded"
    assert rows["Advice given"] == "None recorded"


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("metropolitan_police", "London"),
        ("city_of_london", "London"),
        ("hampshire_isle_of_wight", "Hampshire"),
        ("cheshire", "Cheshire"),
        ("kent", None),
        ("unknown", None),
        ("outside", None),
        ("", None),
    ],
)
def test_site_for_area_matches_the_demo_sites(area, expected):
    sites = [
        SiteFactory.build(name=name, slug=name.lower())
        for name in ("Cheshire", "Hampshire", "London")
    ]

    site = handover.site_for_area(area, sites)

    assert (site.name if site else None) == expected


def test_suggested_urgency_is_urgent_only_for_a_high_screen(cast):
    assert handover.suggested_urgency(finished_contact(cast)) == Urgency.URGENT
    routine = finished_contact(cast, risk_level="medium")
    assert handover.suggested_urgency(routine) == Urgency.ROUTINE


def test_carried_json_reads_back_and_bad_text_gives_nothing():
    sections = [CarriedSection("About", (("Channel", "Phone"), ("Area", "Kent")))]

    assert carried_sections(carried_json(sections)) == sections
    assert carried_sections("") == []
    assert carried_sections("not json") == []
    assert carried_sections('{"title": 1}') == []
