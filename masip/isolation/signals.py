"""Trusted system work that starts outside our code: migrations and worker tasks.

* ``migrate`` (``pre_migrate`` to ``post_migrate``): data migrations read and
  write case rows across every agency.
* A task run by a worker process (``task_started`` to ``task_finished``):
  tasks have no request, so no reach; they are system work. A task run by the
  immediate backend runs inside the web request that enqueued it, keeps that
  request's reach and is not trusted.

In both cases the bypass holds only for a connection whose role is a member of
the table owner (``masip_rls_bypass()``), as for ``context.system_work``.
"""

from typing import Any

from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate
from django.tasks.backends.immediate import ImmediateBackend
from django.tasks.signals import task_finished, task_started

from masip.isolation import scope

DISPATCH = "masip.isolation"


def _trust(using: str, on: bool) -> None:
    if not scope.enforced(using) or connections[using].needs_rollback:
        return
    scope.apply({"trusted": scope.ON if on else ""}, using=using)


def migration_started(*, using: str = "default", **kwargs: Any) -> None:
    _trust(using, True)


def migration_finished(*, using: str = "default", **kwargs: Any) -> None:
    _trust(using, False)


def _from_worker(sender: object) -> bool:
    return not (isinstance(sender, type) and issubclass(sender, ImmediateBackend))


def task_began(sender: object, **kwargs: Any) -> None:
    if _from_worker(sender):
        _trust("default", True)


def task_ended(sender: object, **kwargs: Any) -> None:
    if _from_worker(sender):
        _trust("default", False)


def connect() -> None:
    pre_migrate.connect(migration_started, dispatch_uid=f"{DISPATCH}.pre_migrate")
    post_migrate.connect(migration_finished, dispatch_uid=f"{DISPATCH}.post_migrate")
    task_started.connect(task_began, dispatch_uid=f"{DISPATCH}.task_started")
    task_finished.connect(task_ended, dispatch_uid=f"{DISPATCH}.task_finished")
