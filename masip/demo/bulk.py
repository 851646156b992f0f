"""Writing seeded rows fast: explicit keys, then COPY (PostgreSQL) or executemany.

``bulk_create`` builds an ``INSERT`` per batch and, on PostgreSQL, asks for the
new keys back. At national scale (tens of millions of rows) that costs more
than making the data, so the seeder gives every row its key up front
(``KeyAllocator``) and ``write_rows`` streams the rows in:

* PostgreSQL: ``COPY ... FROM STDIN``. Where row-level security applies to the
  connection's role, COPY is refused by the server, so the rows go through a
  temporary table and one ``INSERT ... SELECT``, which the policies check like
  any other insert.
* SQLite: one prepared ``INSERT`` run with ``executemany``.

Values go through each field's own ``pre_save`` and ``get_db_prep_save``, as
the ORM would do, so sealed fields are encrypted and JSON is encoded exactly
as in a normal save. Keys are handed out from the largest key in the table, so
nothing else may write to these tables while seeding runs (it is a tool for
load-test databases); ``reset_sequences`` moves PostgreSQL's identity
sequences past the seeded keys at the end.
"""

import datetime as dt
import json
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Max
from django.db.models.base import ModelState
from psycopg.types.json import Jsonb

type Converter = Callable[[models.Model], Any]


class KeyAllocator:
    """Hands out primary keys above the largest one in each table."""

    def __init__(self, using: str = "default") -> None:
        self.using = using
        self._next: dict[type[models.Model], int] = {}

    def assign(self, obj: models.Model) -> None:
        model = type(obj)
        key = self._next.get(model)
        if key is None:
            top = model._base_manager.using(self.using).aggregate(top=Max("pk"))["top"]
            key = (top or 0) + 1
        obj.pk = key
        self._next[model] = key + 1

    def models(self) -> list[type[models.Model]]:
        return list(self._next)


# Building -----------------------------------------------------------------------


class _Blueprint:
    """What a new instance of a model holds before its values are set."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.defaults: dict[str, Any] = {}
        self.factories: list[tuple[str, Callable[[], Any]]] = []
        self.relations: dict[str, str] = {}
        self.stamps: list[str] = []
        self.names = {f.attname for f in model._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            if field.is_relation:
                self.relations[field.name] = field.attname
            if getattr(field, "auto_now", False) or getattr(
                field, "auto_now_add", False
            ):
                self.stamps.append(field.attname)
            if field.has_default() and callable(field.default):
                self.factories.append((field.attname, field.default))
            else:
                self.defaults[field.attname] = field.get_default()


_BLUEPRINTS: dict[type[models.Model], _Blueprint] = {}


def build[M: models.Model](model: type[M], when: Any, **values: Any) -> M:
    """An unsaved ``model`` built as ``model(**values)`` would be, but quicker.

    Every field starts at its default, the automatic timestamps at ``when``,
    and a related object given by name sets its key and is cached. There is no
    ``__init__`` (no signals are sent by it, and none of the seeded models
    listens for one), so unknown names are refused here instead.
    """
    plan = _BLUEPRINTS.get(model)
    if plan is None:
        plan = _BLUEPRINTS[model] = _Blueprint(model)
    obj = model.__new__(model)
    obj._state = ModelState()
    row = obj.__dict__
    row.update(plan.defaults)
    for attname, factory in plan.factories:
        if attname not in values:
            row[attname] = factory()
    for attname in plan.stamps:
        row[attname] = when
    for name, value in values.items():
        key = plan.relations.get(name)
        if key is not None and isinstance(value, models.Model):
            row[key] = value.pk
            obj._state.fields_cache[name] = value
        elif key is not None or name in plan.names:
            row[name] = value
        else:
            raise TypeError(f"{model.__name__} has no field {name!r}")
    return obj


# Converting ---------------------------------------------------------------------


def _prepared(
    field: models.Field[Any, Any], connection: BaseDatabaseWrapper
) -> Converter:
    """The ORM's own way: for sealed text and blind indexes."""

    def convert(obj: models.Model) -> Any:
        return field.get_db_prep_save(field.pre_save(obj, True), connection)

    return convert


def _read(
    field: models.Field[Any, Any], cast: Callable[[Any], Any] | None = None
) -> Converter:
    attname = field.attname
    if cast is None:
        return lambda obj: obj.__dict__[attname]

    def convert(obj: models.Model) -> Any:
        value = obj.__dict__[attname]
        return None if value is None else cast(value)

    return convert


def _sqlite_datetime(value: dt.datetime) -> str:
    """As Django stores an aware time on SQLite: naive UTC, space-separated."""
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


# Field classes that either driver takes as they are (exact classes only:
# subclasses such as sealed text prepare their own values).
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.SmallIntegerField,
    models.BooleanField,
    models.AutoField,
    models.BigAutoField,
    models.ForeignKey,
    models.OneToOneField,
)
_ON_SQLITE: dict[type[models.Field[Any, Any]], Callable[[Any], Any]] = {
    models.DateTimeField: _sqlite_datetime,
    models.DateField: dt.date.isoformat,
    models.TimeField: dt.time.isoformat,
    models.UUIDField: operator.attrgetter("hex"),
    models.JSONField: json.dumps,
}
_ON_POSTGRESQL: dict[type[models.Field[Any, Any]], Callable[[Any], Any] | None] = {
    models.DateTimeField: None,
    models.DateField: None,
    models.TimeField: None,
    models.UUIDField: None,
    models.JSONField: Jsonb,
}


def _converter(
    field: models.Field[Any, Any], connection: BaseDatabaseWrapper
) -> Converter:
    kind = type(field)
    if kind in _PLAIN:
        return _read(field)
    table = _ON_POSTGRESQL if connection.vendor == "postgresql" else _ON_SQLITE
    if kind in table and not getattr(field, "encoder", None):
        return _read(field, table[kind])
    return _prepared(field, connection)


def _columns(
    model: type[models.Model], connection: BaseDatabaseWrapper
) -> tuple[list[str], list[Converter]]:
    fields = model._meta.concrete_fields
    return [str(f.column) for f in fields], [_converter(f, connection) for f in fields]


def write_rows(
    model: type[models.Model], objs: Sequence[models.Model], *, using: str = "default"
) -> None:
    """Insert ``objs`` (keys already set) into ``model``'s table."""
    if not objs:
        return
    connection = connections[using]
    columns, converters = _columns(model, connection)
    rows = ([convert(obj) for convert in converters] for obj in objs)
    if connection.vendor == "postgresql":
        _copy(connection, model._meta.db_table, columns, rows)
    else:
        _executemany(connection, model._meta.db_table, columns, rows)


def _quoted(connection: BaseDatabaseWrapper, names: Iterable[str]) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def _executemany(
    connection: BaseDatabaseWrapper,
    table: str,
    columns: list[str],
    rows: Iterable[list[Any]],
) -> None:
    marks = ", ".join(["%s"] * len(columns))
    # Table and column names come from the models, quoted; values are bound.
    sql = (
        f"INSERT INTO {connection.ops.quote_name(table)} "  # noqa: S608  # nosec B608
        f"({_quoted(connection, columns)}) VALUES ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))


def _copy(
    connection: BaseDatabaseWrapper,
    table: str,
    columns: list[str],
    rows: Iterable[list[Any]],
) -> None:
    name = connection.ops.quote_name(table)
    cols = _quoted(connection, columns)
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_security_active(%s)", [table])
        guarded = cursor.fetchone()[0]
        target = name
        if guarded:
            # COPY FROM is refused under row-level security: stage the rows.
            target = connection.ops.quote_name(f"seed_stage_{table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {target} "
                f"(LIKE {name} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
            )
        with cursor.cursor.copy(f"COPY {target} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if guarded:
            cursor.execute(
                f"INSERT INTO {name} ({cols}) SELECT {cols} FROM {target}; "  # noqa: S608  # nosec B608
                f"TRUNCATE {target}"
            )


def reset_sequences(
    model_list: Iterable[type[models.Model]], *, using: str = "default"
) -> None:
    """Move PostgreSQL's key sequences past the largest seeded key."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if not statements:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def vacuum_analyze(
    model_list: Iterable[type[models.Model]],
    *,
    connection: BaseDatabaseWrapper | None = None,
) -> None:
    """Refresh PostgreSQL's planner statistics and visibility map for tables
    that just grew.

    Autovacuum would get there, but not before the first benchmark or page
    plans a query over millions of new rows as if the table were empty (and
    some machines run with it off). ``VACUUM`` also marks the new pages all
    visible, without which the index-only scans behind every row-level
    security check (the reach table, ADR 35) read the table too, and sets the
    rows' hint bits, which the first reads would otherwise write. ``VACUUM``
    cannot run inside a transaction: there (a test) the tables are analysed
    only.
    """
    connection = connection or connections["default"]
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in model_list:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"{command} {table}")
