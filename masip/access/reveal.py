"""Masked by default: a case's victim location and contact details (ASVS 14.2.6).

The policy (``policy.py``) says *who may* see the victim-location-and-contact
compartment of a case. Holding it is no longer enough to see it: the details
stay hidden until the user reveals them for that case, giving a reason and,
if their second factor is stale, a fresh code (the reveal page does the
step-up). A reveal lasts ``MASIP_REVEAL_MINUTES`` (15 by default), belongs to
one user and one case, and ends early with the "End reveal" button or when
the user's sessions end (signing out, being switched off, a factor change).

Pages ask one question, ``victim_contact(access, case)``, and get a
``SealedState``:

* ``withheld``: the user's role or agency is not granted the compartment; the
  page shows ``includes/withheld.html`` and offers no way in;
* ``masked``: granted but not revealed; the page says what is hidden and
  offers the "Reveal victim location and contact details" button;
* ``shown``: revealed, until ``until``; the page shows the details and an
  "End reveal" button.

Restricted addresses, restricted identifiers, safe-contact preferences and
restricted incident locations are what this covers; standard (unrestricted)
details are not sealed and show as before.
"""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.models import RevealReason, SealedReveal
from masip.access.permissions import Compartment
from masip.access.policy import Access
from masip.audit import services as audit
from masip.audit.events import EventType

if TYPE_CHECKING:
    from masip.cases.models import Case

SEALED = Compartment.VICTIM_CONTACT


@dataclass(frozen=True)
class SealedState:
    """What one user may see of one case's sealed victim details, right now."""

    granted: bool
    until: dt.datetime | None = None

    @property
    def shown(self) -> bool:
        """Revealed: show the details (``until`` says for how long)."""
        return self.granted and self.until is not None

    @property
    def masked(self) -> bool:
        """Granted but not revealed: hide the details, offer to reveal them."""
        return self.granted and self.until is None

    @property
    def withheld(self) -> bool:
        """Not granted: hide the details and offer nothing."""
        return not self.granted


def reveal_minutes() -> int:
    minutes: int = settings.MASIP_REVEAL_MINUTES
    return minutes


def _active(*, user_id: int, case: "Case") -> QuerySet[SealedReveal]:
    """The user's reveals of the case that still count."""
    return SealedReveal.objects.filter(
        user_id=user_id,
        case_id=case.pk,
        ended_at__isnull=True,
        expires_at__gt=timezone.now(),
        session_epoch=F("user__session_epoch"),
    )


def victim_contact(access: Access, case: "Case") -> SealedState:
    """Whether the user sees the case's victim details: withheld, masked or shown.

    One query when the compartment is granted (for the reveal), none otherwise.
    """
    if not access.case_access(case).sees(SEALED):
        return SealedState(granted=False)
    until = (
        _active(user_id=access.user_id, case=case)
        .order_by("-expires_at")
        .values_list("expires_at", flat=True)
        .first()
    )
    return SealedState(granted=True, until=until)


@transaction.atomic
def reveal_start(
    *, actor: Actor, access: Access, case: "Case", reason: str, detail: str
) -> SealedReveal:
    """Reveal the case's victim details to the acting user for a while.

    The caller (the reveal page) has already had the second factor confirmed
    (``masip.accounts.stepup``). Refused (``PermissionDenied``) unless the
    policy grants the user the compartment on this case. Any reveal the user
    still has on the case is ended and replaced, so there is one at a time.
    The reason stays on the row; the audit event carries only its id.
    """
    if not access.case_access(case).sees(SEALED):
        raise PermissionDenied
    from masip.accounts.models import User

    now = timezone.now()
    _active(user_id=actor.user.pk, case=case).update(ended_at=now)
    epoch = User.objects.values_list("session_epoch", flat=True).get(pk=actor.user.pk)
    reveal = SealedReveal.objects.create(
        user_id=actor.user.pk,
        case_id=case.pk,
        agency_id=actor.membership.agency_id,
        reason=RevealReason(reason),
        detail=detail,
        session_epoch=epoch,
        revealed_at=now,
        expires_at=now + dt.timedelta(minutes=reveal_minutes()),
    )
    audit.record(
        EventType.SEALED_REVEALED,
        actor=actor.audit,
        target_type="sealed_reveal",
        target_id=reveal.pk,
        case_reference=case.reference,
    )
    return reveal


@transaction.atomic
def reveal_end(*, actor: Actor, case: "Case") -> int:
    """End the acting user's reveal of the case now; how many were ended.

    Ending nothing (already expired or ended) is not an error and is not
    audited: there was nothing to hide again.
    """
    ended = _active(user_id=actor.user.pk, case=case).update(ended_at=timezone.now())
    if ended:
        audit.record(
            EventType.SEALED_REVEAL_ENDED,
            actor=actor.audit,
            target_type="case",
            target_id=case.reference,
            case_reference=case.reference,
        )
    return ended
