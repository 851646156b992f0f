"""Sets the request's reach on the database connection for row-level security.

Placed after ``AccessMiddleware`` (it reads ``request.access``). At the start
of each request every ``masip.*`` setting is written with
``set_config(..., is_local => false)``; at the end every one is emptied.

Why session settings and not ``SET LOCAL`` in a transaction: requests are not
wrapped in a transaction (``ATOMIC_REQUESTS`` is off), and ``SET LOCAL`` would
end with the first service's ``transaction.atomic`` block. Connections are
reused (``CONN_MAX_AGE``), so a setting must never outlive its request: the
start of each request overwrites every name (an earlier request that died
half-way leaves nothing behind), and the end empties them, so work that
follows on the same connection outside a request reaches nothing. A setting
made in autocommit mode is committed at once; a rollback cannot undo it.

A streaming response runs its generator after this middleware returns, so
for one the settings are emptied when the response is closed instead.
"""

from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponseBase

from masip.access.policy import Access
from masip.isolation import scope


class RowSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if connection.vendor != "postgresql":
            return self.get_response(request)
        access: Access = request.access  # type: ignore[attr-defined]
        scope.apply(scope.settings_for(access))
        try:
            response = self.get_response(request)
        except BaseException:
            _clear()
            raise
        if response.streaming:
            # Django runs these when the server closes the response.
            response._resource_closers.append(_clear)  # type: ignore[attr-defined]
        else:
            _clear()
        return response


def _clear() -> None:
    try:
        scope.clear()
    except DatabaseError:
        # The connection is broken or stuck in a failed transaction: drop it
        # rather than hand it, settings and all, to the next request.
        connection.close()
