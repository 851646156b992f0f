"""Gives templates the signed-in user's count of unread notifications.

The header shows it beside "Notifications" on every signed-in page. The count
is one query, and only when a template reads it (a page that shows no header,
or a user still proving a second factor, costs nothing).
"""

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from masip.accounts import selectors


def notifications(request: HttpRequest) -> dict[str, Callable[[], int]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    is_verified = getattr(user, "is_verified", None)
    if is_verified is None or not is_verified():
        return {}

    @cache
    def unread() -> int:  # the template calls it; counted once a request
        return selectors.notification_unread_count(user=user)

    return {"unread_notifications": unread}
