"""The policy's doors for helpline contacts: only the helpline's own staff
reach a contact, a draft is its adviser's, a manager supervises."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.access.roles import AgencyKind, RoleName
from masip.accounts.tests.factories import AgencyFactory, MembershipFactory
from masip.helpline.models import Contact

pytestmark = pytest.mark.django_db


def _contact(agency, adviser, **fields):
    return Contact.objects.create(
        agency=agency, adviser=adviser, started_at=timezone.now(), **fields
    )


def test_helpline_staff_see_their_helplines_contacts_only(cast):
    other = AgencyFactory(kind=AgencyKind.HELPLINE, site=None)
    stranger = MembershipFactory(agency=other, role=RoleName.HELPLINE_ADVISER).user
    ours = _contact(cast.helpline, cast.helpline_manager)
    _contact(other, stranger)

    assert list(Access(cast.helpline_adviser).visible_helpline_contacts()) == [ours]
    assert not Access(cast.lead_worker).visible_helpline_contacts().exists()


def test_helpline_contact_for_answers_the_contact_in_reach(cast):
    contact = _contact(cast.helpline, cast.helpline_adviser)

    found = Access(cast.helpline_adviser).helpline_contact_for(
        str(contact.public_id), need=Permission.REFERRAL_MAKE
    )

    assert found == contact


def test_helpline_contact_for_refuses_without_the_verb(cast):
    contact = _contact(cast.helpline, cast.helpline_adviser)

    with pytest.raises(PermissionDenied):
        Access(cast.lead_worker).helpline_contact_for(
            contact.public_id, need=Permission.HELPLINE_CONTACT_LOG
        )


@pytest.mark.parametrize(
    "public_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"]
)
def test_helpline_contact_for_answers_404_for_missing(cast, public_id):
    with pytest.raises(Http404):
        Access(cast.helpline_adviser).helpline_contact_for(
            public_id, need=Permission.HELPLINE_CONTACT_LOG
        )


def test_helpline_contact_for_answers_404_for_another_helpline(cast):
    other = AgencyFactory(kind=AgencyKind.HELPLINE, site=None)
    stranger = MembershipFactory(agency=other, role=RoleName.HELPLINE_ADVISER).user
    contact = _contact(other, stranger)

    with pytest.raises(Http404):
        Access(cast.helpline_adviser).helpline_contact_for(
            contact.public_id, need=Permission.HELPLINE_CONTACT_LOG
        )


def test_helpline_contact_for_refuses_a_verb_the_reaching_membership_lacks(cast):
    contact = _contact(cast.helpline, cast.helpline_adviser)

    with pytest.raises(PermissionDenied):
        Access(cast.helpline_adviser).helpline_contact_for(
            contact.public_id, need=Permission.HELPLINE_STATS_VIEW
        )
    # A manager of the same helpline holds it.
    assert Access(cast.helpline_manager).helpline_contact_for(
        contact.public_id, need=Permission.HELPLINE_STATS_VIEW
    )


def test_helpline_membership_refuses_a_contact_of_another_helpline(cast):
    other = AgencyFactory(kind=AgencyKind.HELPLINE, site=None)
    stranger = MembershipFactory(agency=other, role=RoleName.HELPLINE_ADVISER).user
    contact = _contact(other, stranger)

    with pytest.raises(PermissionDenied):
        Access(cast.helpline_adviser).helpline_membership(contact)


def test_only_a_manager_of_the_contacts_helpline_supervises(cast):
    other = AgencyFactory(kind=AgencyKind.HELPLINE, site=None)
    elsewhere = MembershipFactory(agency=other, role=RoleName.HELPLINE_MANAGER).user
    contact = _contact(cast.helpline, cast.helpline_adviser)

    assert Access(cast.helpline_manager).helpline_supervises(contact)
    assert not Access(cast.helpline_adviser).helpline_supervises(contact)
    assert not Access(elsewhere).helpline_supervises(contact)


def test_a_draft_is_edited_by_its_adviser_only(cast):
    draft = _contact(cast.helpline, cast.helpline_adviser)

    assert Access(cast.helpline_adviser).helpline_may_edit(draft)
    assert not Access(cast.helpline_manager).helpline_may_edit(draft)


def test_a_reopened_contact_may_be_corrected_by_a_manager(cast):
    ended = timezone.now() + dt.timedelta(minutes=5)
    reopened = _contact(cast.helpline, cast.helpline_adviser, ended_at=ended)
    colleague = MembershipFactory(
        agency=cast.helpline, role=RoleName.HELPLINE_ADVISER
    ).user

    assert Access(cast.helpline_manager).helpline_may_edit(reopened)
    assert not Access(colleague).helpline_may_edit(reopened)


def test_a_finished_contact_is_edited_by_nobody(cast):
    done = _contact(
        cast.helpline,
        cast.helpline_adviser,
        status=Contact.Status.COMPLETE,
        ended_at=timezone.now(),
    )

    assert not Access(cast.helpline_adviser).helpline_may_edit(done)


def test_navigation_offers_the_helpline_to_its_staff(cast):
    labels = [i["label"] for i in Access(cast.helpline_adviser).navigation]

    assert "Helpline" in labels
    assert "Helpline" not in [i["label"] for i in Access(cast.lead_worker).navigation]
