"""Test helpers for the access app's own rows (reveals of sealed details)."""

import datetime as dt

from django.utils import timezone

from masip.access.models import RevealReason, SealedReveal
from masip.accounts.models import Membership, User
from masip.cases.models import Case


def reveal_for(user: User, case: Case, *, minutes: int = 15) -> SealedReveal:
    """A reveal of the case's victim details, as if the user had just made it.

    A test-only shortcut past the reveal page (which also needs the second
    factor); ``masip.access.reveal.reveal_start`` is the real way in.
    """
    user.refresh_from_db(fields=["session_epoch"])
    now = timezone.now()
    membership = Membership.objects.filter(user=user).first()
    assert membership is not None, "the user has no membership"
    return SealedReveal.objects.create(
        user=user,
        case=case,
        agency_id=membership.agency_id,
        reason=RevealReason.CONTACT_VICTIM,
        detail="Arranging a safe call with the victim.",
        session_epoch=user.session_epoch,
        revealed_at=now,
        expires_at=now + dt.timedelta(minutes=minutes),
    )
