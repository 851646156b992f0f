"""Sign-in events and notifications: the writes of the accounts app."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from masip.access.actors import client_ip
from masip.accounts.models import Membership, Notification, Team, User
from masip.accounts.sessions import sessions_end_everywhere
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.errors import DomainError


def _actor_for_email(request: HttpRequest, email: str) -> audit.AuditActor:
    """The actor of a sign-in attempt: the account if it exists, else the typed name."""
    email = (email or "").strip().lower()[:200]
    user = get_user_model().objects.filter(email=email).first()
    return audit.AuditActor(
        user_id=user.pk if user else None,
        label=f"{user.full_name} <{user.email}>"
        if user
        else f"unknown account <{email}>",
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


def _admin_actor(request: HttpRequest, membership: Membership) -> audit.AuditActor:
    user = membership.user
    return audit.AuditActor(
        user_id=user.pk,
        label=f"{user.full_name} <{user.email}>",
        agency_id=membership.agency_id,
        agency_label=membership.agency.name,
        role=membership.role,
        ip_address=client_ip(request),
    )


@transaction.atomic
def membership_add(
    request: HttpRequest,
    *,
    by: Membership,
    email: str,
    full_name: str,
    role: str,
    team: Team | None,
) -> Membership:
    """Add a member of staff to the admin's agency (creating the account if new).

    A new account has no usable password until one is set by an administrator
    through ``masip createadmin`` or the password-reset flow of a later issue.
    """
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
    if Membership.objects.filter(user=user, agency=by.agency).exists():
        raise DomainError(f"{email} is already a member of {by.agency.name}.")
    membership = Membership.objects.create(
        user=user, agency=by.agency, role=role, team=team
    )
    audit.record(
        EventType.MEMBERSHIP_CHANGED,
        actor=_admin_actor(request, by),
        target_type="membership",
        target_id=membership.pk,
        changed_fields=["user", "role", "team", "is_active"],
    )
    return membership


@transaction.atomic
def membership_update(
    request: HttpRequest,
    *,
    by: Membership,
    membership: Membership,
    role: str,
    team: Team | None,
    is_active: bool,
) -> Membership:
    """Change a member's role, team or whether the membership is active."""
    if membership.pk == by.pk and (role != by.role or not is_active):
        raise DomainError("You cannot change your own role or switch yourself off.")
    changed = [
        name
        for name, value in (("role", role), ("team", team), ("is_active", is_active))
        if getattr(membership, name) != value
    ]
    membership.role, membership.team, membership.is_active = role, team, is_active
    membership.save(update_fields=["role", "team", "is_active"])
    if "is_active" in changed and not is_active:
        # Switched off: end their sessions now rather than at the idle timeout.
        sessions_end_everywhere(membership.user)
    audit.record(
        EventType.MEMBERSHIP_CHANGED,
        actor=_admin_actor(request, by),
        target_type="membership",
        target_id=membership.pk,
        changed_fields=changed,
    )
    return membership
