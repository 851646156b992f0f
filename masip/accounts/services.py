"""Sign-in events and notifications: the writes of the accounts app."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from masip.access.actors import client_ip
from masip.accounts.models import Notification, User
from masip.audit import services as audit
from masip.audit.events import EventType


def _actor_for_email(request: HttpRequest, email: str) -> audit.AuditActor:
    """The actor of a sign-in attempt: the account if it exists, else the typed name."""
    email = (email or "").strip().lower()[:200]
    user = get_user_model().objects.filter(email=email).first()
    return audit.AuditActor(
        user_id=user.pk if user else None,
        label=f"{user.full_name} <{user.email}>" if user else f"unknown account <{email}>",
        ip_address=client_ip(request),
    )


def sign_in_record(request: HttpRequest, *, email: str, event_type: EventType) -> None:
    """Audit one sign-in attempt (succeeded, failed or refused while locked)."""
    audit.record(event_type, actor=_actor_for_email(request, email), target_type="user")


def sign_out_record(request: HttpRequest, *, user: User) -> None:
    actor = audit.AuditActor(
        user_id=user.pk,
        label=f"{user.full_name} <{user.email}>",
        ip_address=client_ip(request),
    )
    audit.record(EventType.SIGNED_OUT, actor=actor, target_type="user")


@transaction.atomic
def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
