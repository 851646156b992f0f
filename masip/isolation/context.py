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

* ``subject_access(sar_id)``: a subject access draft reads the records about
  the people linked to one request, on the cases its agency leads, for
  reading only. Honoured only when the request's identity is verified, it is
  not yet released, and the user may manage subject access requests in its
  agency (``masip.sar_agencies``). Other people's records stay closed.
* ``block_probe(reference)``: the policy tells a case closed to the user as
  staff-involved from a missing one (to audit the attempt). Opens the one case
  row and its staff-involved marks, only when the case is blocked for the
  user and they would otherwise reach it (or may break the glass).

All are context managers and decorators. On SQLite they do nothing.
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


@contextmanager
def subject_access(sar_id: int, using: str = "default") -> Iterator[None]:
    """Let a subject access draft read the records of request ``sar_id``."""
    with _setting("subject_access", str(int(sar_id)), using):
        yield


@contextmanager
def block_probe(reference: str, using: str = "default") -> Iterator[None]:
    """Let the policy see whether the case ``reference`` is blocked for the user."""
    with _setting("block_probe", reference, using):
        yield
