"""Reads of the accounts app."""

from django.db.models import Case, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_static.models import StaticToken

from masip.accounts.models import (
    Agency,
    Membership,
    Notification,
    Team,
    User,
    WebAuthnCredential,
)


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's own notices: unread first, then newest first."""
    return Notification.objects.filter(recipient=user).order_by(
        Case(When(read_at__isnull=True, then=Value(0)), default=Value(1)),
        "-created_at",
        "-id",
    )


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get_own(*, user: User, pk: int) -> Notification:
    """One of the user's own notices; anyone else's, or none, answers 404."""
    return get_object_or_404(Notification, pk=pk, recipient=user)


def membership_list_for_agency(*, agency: Agency) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(agency=agency)
        .select_related("user", "team")
        .order_by("-is_active", "user__full_name")
    )


def membership_get_for_admin(*, admin: Membership, pk: int) -> Membership:
    """A membership of the admin's own agency; anyone else's staff answer 404."""
    return get_object_or_404(
        Membership.objects.select_related("user", "team", "agency"),
        pk=pk,
        agency_id=admin.agency_id,
    )


def team_list_for_agency(*, agency: Agency) -> QuerySet[Team]:
    return Team.objects.filter(agency=agency)


def recovery_codes_left(*, user: User) -> int:
    """How many of the user's single-use recovery codes are still unused."""
    count: int = StaticToken.objects.filter(
        device__user=user, device__confirmed=True
    ).count()
    return count


def security_key_list(*, user: User) -> list[WebAuthnCredential]:
    """The user's security keys (WebAuthn credentials), oldest first."""
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True))


def security_key_get(*, user: User, pk: int) -> WebAuthnCredential:
    """One of the user's own security keys; anyone else's answers 404."""
    return get_object_or_404(WebAuthnCredential, user=user, pk=pk)
