"""The one way to tell users something: an in-app notice, and an email.

Every part of MASIP that notifies calls ``notify``. A notice names a case by
reference and says what happened in plain words; it never carries a victim's
details, so nothing sensitive sits in an inbox or a mail server.
"""

from collections.abc import Iterable

from masip.accounts.models import Notification, User


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    message: str,
    case_reference: str = "",
    link: str = "",
) -> list[Notification]:
    """Leave a notice for each recipient (once each, active users only)."""
    unique = {user.pk: user for user in recipients if user.is_active}
    return Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            case_reference=case_reference,
            message=message,
            link=link,
        )
        for user in unique.values()
    )
