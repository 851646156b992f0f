"""The handover page, and what agencies see of a handed-over contact: only
the referral, never the helpline's pages."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from masip.access.roles import RoleName
from masip.accounts.models import Membership, Notification
from masip.accounts.tests.factories import AgencyFactory, UserFactory
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.helpline.models import Contact, ShareConsent
from masip.helpline.tests.test_handover import (
    NARRATIVE,
    NOTES,
    SAFE_CONTACT,
    VICTIM,
    finished_contact,
    hand_over,
)
from masip.referrals.models import Referral
from masip.referrals.tests.factories import referral_from

pytestmark = pytest.mark.django_db


def _url(contact: Contact) -> str:
    return reverse("helpline-handover:handover", args=[contact.public_id])


def _form(cast, **extra):  # type: ignore[no-untyped-def]
    data = {
        "consent": ShareConsent.GIVEN,
        "site": str(cast.police_a.site.pk),
        "urgency": "urgent",
        "victim_given_name": VICTIM[0],
        "victim_family_name": VICTIM[1],
        "victim_safe_contact": SAFE_CONTACT,
        "perpetrator_given_name": "Lucan",
        "perpetrator_family_name": "Testfollower",
        "consent_reason": "",
    }
    data.update(extra)
    return data


def test_handover_page_shows_what_will_be_shared_and_asks_consent(cast, client_for):
    contact = finished_contact(cast)

    response = client_for("helpline_adviser").get(_url(contact))

    assert response.status_code == 200
    page = response.content.decode()
    assert "What will be shared" in page
    assert NARRATIVE in page
    assert "Ex-partner" in page
    assert "Does the caller agree to this being shared with the programme?" in page
    assert NOTES not in page
    assert AuditEvent.objects.filter(
        event_type=EventType.HELPLINE_CONTACT_VIEWED, target_id=str(contact.public_id)
    ).exists()


def test_handover_page_chooses_the_site_of_the_force_area(cast, client_for):
    cast.police_a.site.name = "London"
    cast.police_a.site.save()
    contact = finished_contact(cast, force_area="metropolitan_police")

    response = client_for("helpline_adviser").get(_url(contact))

    form = response.context["form"]
    assert form.initial["site"] == cast.police_a.site.pk
    assert form.initial["urgency"] == "urgent"


def test_handover_post_with_consent_sends_the_referral(cast, client_for):
    contact = finished_contact(cast)
    client = client_for("helpline_adviser")

    response = client.post(_url(contact), _form(cast), follow=True)

    referral = Referral.objects.get()
    assert response.redirect_chain[-1][0] == _url(contact)
    page = response.content.decode()
    assert f"Handed over to Site A as referral {referral.short_reference}" in page
    assert referral.helpline_narrative == NARRATIVE
    assert referral.perpetrator_name == "Lucan Testfollower"
    contact.refresh_from_db()
    assert contact.referral == referral
    assert contact.share_consent == ShareConsent.GIVEN


def test_handover_post_without_consent_sends_nothing(cast, client_for):
    contact = finished_contact(cast)

    response = client_for("helpline_adviser").post(
        _url(contact), _form(cast, consent=ShareConsent.REFUSED)
    )

    assert response.status_code == 200
    assert "nothing has been sent" in response.content.decode()
    assert not Referral.objects.exists()
    assert not Notification.objects.exists()
    contact.refresh_from_db()
    assert contact.referral is None


def test_handover_post_with_missing_answers_rerenders(cast, client_for):
    contact = finished_contact(cast)

    response = client_for("helpline_adviser").post(
        _url(contact), _form(cast, victim_given_name="", site="")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the given name of the person being stalked." in page
    assert "Select the programme to hand over to." in page
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"consent": "maybe"}, {"site": "999999"}, {"site": "not-a-number"}],
)
def test_handover_post_with_bad_input_never_fails(cast, client_for, data):
    contact = finished_contact(cast)
    posted = _form(cast, **data) if data else {}

    response = client_for("helpline_adviser").post(_url(contact), posted)

    assert response.status_code == 200
    assert not Referral.objects.exists()


def test_handover_of_a_draft_is_refused_on_the_page(cast, client_for):
    contact = finished_contact(cast, status=Contact.Status.DRAFT, ended_at=None)
    client = client_for("helpline_adviser")

    shown = client.get(_url(contact))
    posted = client.post(_url(contact), _form(cast))

    assert "Finish the contact first" in shown.content.decode()
    assert posted.status_code == 200
    assert not Referral.objects.exists()


def test_handover_page_after_handover_shows_the_referral(cast, client_for):
    contact = finished_contact(cast)
    referral = hand_over(cast, contact)

    response = client_for("helpline_adviser").get(_url(contact))

    page = response.content.decode()
    assert f"Referral {referral.short_reference} to Site A" in page
    assert reverse("referrals:detail", args=[referral.public_id]) in page
    assert response.context["form"] is None


def test_handover_page_for_another_helplines_contact_is_404(cast, client_for):
    other = AgencyFactory(name="Other helpline", kind="helpline", site=None)
    adviser = UserFactory(email="other.adviser@example.test")
    Membership.objects.create(
        user=adviser, agency=other, role=RoleName.HELPLINE_ADVISER
    )
    contact = finished_contact(cast, agency=other, adviser=adviser)

    response = client_for("helpline_adviser").get(_url(contact))

    assert response.status_code == 404


def test_handover_page_for_a_missing_contact_is_404(client_for):
    url = reverse("helpline-handover:handover", args=[uuid.uuid4()])

    assert client_for("helpline_adviser").get(url).status_code == 404


def _helpline_urls() -> list[str]:
    """Every route under /helpline/ (handover and statistics included)."""
    found: list[str] = []

    def walk(patterns, prefix: str) -> None:  # type: ignore[no-untyped-def]
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and route.startswith("helpline/"):
                found.append(route)

    walk(get_resolver().url_patterns, "")
    return found


@pytest.mark.parametrize("persona", ["lead_worker", "panel_coordinator", "outsider"])
def test_agencies_cannot_open_any_helpline_page(cast, client_for, persona):
    contact = finished_contact(cast)
    hand_over(cast, contact)
    client = client_for(persona)
    routes = _helpline_urls()
    assert "helpline/handover/<uuid:public_id>/" in routes

    for route in routes:
        path = "/" + route.replace("<uuid:public_id>", str(contact.public_id))
        assert client.get(path).status_code == 403, path
        assert client.post(path, {}).status_code == 403, path


def test_coordinator_sees_the_handover_as_a_referral_with_the_account(cast, client_for):
    contact = finished_contact(cast)
    referral = hand_over(cast, contact)
    client = client_for("panel_coordinator")

    queue = client.get(reverse("referrals:triage")).content.decode()
    detail = client.get(reverse("referrals:triage-detail", args=[referral.public_id]))

    assert referral.short_reference in queue
    assert "From the national helpline" in queue
    page = detail.content.decode()
    assert "From the national helpline" in page
    assert NARRATIVE in page
    assert "Ex-partner" in page
    assert "Metropolitan Police" in page
    assert SAFE_CONTACT in page
    assert NOTES not in page


def test_other_sites_coordinators_do_not_see_the_handover(cast, client_for):
    referral = hand_over(cast, finished_contact(cast), site=cast.police_b.site)

    response = client_for("panel_coordinator").get(
        reverse("referrals:triage-detail", args=[referral.public_id])
    )

    assert response.status_code == 404


def test_contact_summary_offers_the_handover_then_links_to_it(cast, client_for):
    contact = finished_contact(cast)
    client = client_for("helpline_adviser")
    summary = reverse("helpline:contact-detail", args=[contact.public_id])

    before = client.get(summary).content.decode()
    hand_over(cast, contact)
    after = client.get(summary).content.decode()

    assert "Hand over to a local programme" in before
    assert _url(contact) in before
    assert "Hand over to a local programme" not in after
    assert "see the handover" in after


def test_referrers_page_shows_what_the_helpline_carried(cast, client_for):
    referral = hand_over(cast, finished_contact(cast))

    response = client_for("helpline_adviser").get(
        reverse("referrals:detail", args=[referral.public_id])
    )

    page = response.content.decode()
    assert "From the national helpline" in page
    assert NARRATIVE in page


def test_other_referrals_show_no_helpline_section(cast, client_for):
    referral = referral_from(cast)

    response = client_for("panel_coordinator").get(
        reverse("referrals:triage-detail", args=[referral.public_id])
    )

    assert response.status_code == 200
    assert "From the national helpline" not in response.content.decode()
