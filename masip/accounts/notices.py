"""The one way to tell users something: an in-app notice, and an email.

Every part of MASIP that notifies calls ``notify``. A notice names a case by
reference and says what happened in plain words; it never carries a victim's
details, so nothing sensitive sits in an inbox or a mail server.

The email copy of a batch of notices is sent by the worker (ADR 0011): one
task per batch, queued once the notices commit. The email holds only what the
in-app notice holds (the kind's label, the message, the case reference) and a
link to the notifications page; never a greeting by name, never anything read
from the case.
"""

from collections.abc import Iterable
from functools import partial
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from masip.accounts.models import Notification, User
from masip.audit import services as audit
from masip.audit.events import EventType


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    message: str,
    case_reference: str = "",
    link: str = "",
) -> list[Notification]:
    """Leave a notice for each recipient (once each, active users only), and
    queue its email copy for those with an email address."""
    unique = {user.pk: user for user in recipients if user.is_active}
    created = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            case_reference=case_reference,
            message=message,
            link=link,
        )
        for user in unique.values()
    )
    emailable = [
        notice.pk for notice in created if notice.pk and notice.recipient.email
    ]
    if emailable:
        # robust: the notices stand even if the queue write fails after the
        # commit (the error is logged); they are still shown in MASIP.
        transaction.on_commit(partial(_queue_email, emailable), robust=True)
    return created


def _queue_email(notice_ids: list[int]) -> None:
    from masip.accounts.tasks import email_notices  # imports this module

    email_notices.enqueue(notice_ids)


def notifications_url() -> str:
    """The notifications page as a full address, for emails."""
    return urljoin(settings.MASIP_BASE_URL, reverse("accounts:notifications"))


def email_for(notice: Notification) -> EmailMessage:
    """The email copy of one notice: its label, message and case reference."""
    label = notice.get_kind_display()
    subject = f"MASIP: {label}"
    lines = [label, "", notice.message, ""]
    if notice.case_reference:
        subject += f" ({notice.case_reference})"
        lines += [f"Case reference: {notice.case_reference}", ""]
    lines += [
        "Sign in to MASIP to read your notifications:",
        notifications_url(),
        "",
        "This email is a copy of a notice in MASIP and holds nothing more. "
        "Do not reply to it.",
    ]
    return EmailMessage(
        subject=subject, body="\n".join(lines), to=[notice.recipient.email]
    )


def email_pending(notice_ids: Iterable[int]) -> int:
    """Email each of these notices not emailed yet; the number sent.

    Safe to run twice, and by two workers at once: each notice is claimed by
    a conditional UPDATE of its ``emailed_at`` stamp (only one claim finds it
    empty) in the same transaction as the send, so a send that fails leaves
    it unstamped. Recipients who are inactive now, or have no address, are
    skipped.
    """
    pending = list(
        Notification.objects.filter(
            pk__in=list(notice_ids),
            emailed_at__isnull=True,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    if not pending:
        return 0
    sent = 0
    with mailers.default as mailer:
        for notice in pending:
            with transaction.atomic():
                claimed = Notification.objects.filter(
                    pk=notice.pk, emailed_at__isnull=True
                ).update(emailed_at=timezone.now())
                if not claimed:
                    continue  # another run sent it
                mailer.send_messages([email_for(notice)])
                audit.record(
                    EventType.NOTIFICATION_EMAILED,
                    actor=audit.SYSTEM,
                    target_type="notification",
                    target_id=notice.pk,
                    case_reference=notice.case_reference,
                    changed_fields=["emailed_at"],
                )
            sent += 1
    return sent
