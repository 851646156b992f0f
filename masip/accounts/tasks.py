"""Background tasks of the accounts app (run by the worker, ADR 0011).

``notices.notify`` queues one ``email_notices`` per batch of notices once they
commit, so a request that notifies pays for one queue row, never for a mail
server. Sending is idempotent (each notice is stamped as it is sent), so a
task run twice sends each email once.
"""

from django.tasks import task

from masip.accounts import notices


@task
def email_notices(notice_ids: list[int]) -> int:
    """Email these notices to their recipients; the number sent."""
    return notices.email_pending(notice_ids)
