"""The referral's own rules: its reference, its aliases, its constraints."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from masip.referrals.models import ReferralQuestion, ReferralStatus
from masip.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def test_short_reference_is_read_from_the_public_id():
    referral = ReferralFactory.build(
        public_id=uuid.UUID("1a2b3c4d-0000-4000-8000-000000000000")
    )

    assert referral.short_reference == "REF-1A2B3C4D"


def test_alias_list_skips_blank_lines():
    referral = ReferralFactory.build(perpetrator_aliases="One Alias\n  \n Two Alias ")

    assert referral.alias_list == ["One Alias", "Two Alias"]


def test_a_decided_referral_must_say_who_decided_and_when():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralFactory(status=ReferralStatus.DECLINED)


def test_an_undecided_referral_has_no_decider():
    referral = ReferralFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        type(referral).objects.filter(pk=referral.pk).update(
            triaged_at=timezone.now(), triaged_by=referral.referred_by
        )


def test_an_accepted_referral_names_its_case():
    referral = ReferralFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        type(referral).objects.filter(pk=referral.pk).update(
            status=ReferralStatus.ACCEPTED,
            triaged_at=timezone.now(),
            triaged_by=referral.referred_by,
        )


def test_only_one_question_waits_at_a_time():
    referral = ReferralFactory()
    ReferralQuestion.objects.create(
        referral=referral, question="First?", asked_by=referral.referred_by
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralQuestion.objects.create(
            referral=referral, question="Second?", asked_by=referral.referred_by
        )
