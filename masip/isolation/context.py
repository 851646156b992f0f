"""Narrow, explicit ways past a request's reach, each honoured by the database
only under its own condition.

* ``system_work()``: trusted work with no request behind it (the background
  worker, ``masip demo`` and ``masip seed``, migrations). The policies honour
  it only when the connection's role is a member of the role owning the
  tables; the application role owns nothing, so a web request that entered it
  by mistake (or injected SQL that set ``masip.trusted``) still reaches only
  its own rows.
* ``reveal_case(reference)``: the break-the-glass page looks up one case by
  reference before any grant exists. Honoured only when the request's user
  may break the glass; the case row alone is revealed, not its children.
* ``aggregate_read()``: aggregate reports count rows across every case.
  Honoured only when the request's user may read aggregate reports, and for
  reading only.

All three are context managers and decorators. On SQLite they do nothing.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections

from masip.isolation import scope


@contextmanager
def _setting(name: str, value: str, using: str) -> Iterator[None]:
    if not scope.enforced(using):
        yield
        return
    previous = scope.current(name, using=using)
    scope.apply({name: value}, using=using)
    try:
        yield
    finally:
        # Inside a failed transaction no statement may run; its rollback
        # undoes the setting if it was made within it, and the next request
        # (or the end of this one) rewrites every setting anyway.
        if not connections[using].needs_rollback:
            scope.apply({name: previous}, using=using)


@contextmanager
def system_work(using: str = "default") -> Iterator[None]:
    """Run trusted system work past row-level security (owner connections only)."""
    with _setting("trusted", scope.ON, using):
        yield


@contextmanager
def reveal_case(reference: str, using: str = "default") -> Iterator[None]:
    """Let a break-the-glass lookup read the one case with ``reference``."""
    with _setting("reveal_reference", reference, using):
        yield


@contextmanager
def aggregate_read(using: str = "default") -> Iterator[None]:
    """Let an aggregate report read case rows across every agency."""
    with _setting("aggregate_read", scope.ON, using):
        yield
