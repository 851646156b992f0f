"""Migration operations for row-level security (PostgreSQL only; no-ops elsewhere).

A new case-scoped table is covered by adding one operation to the migration
that creates it (or to a later one)::

    from masip.isolation.operations import ProtectCaseScopedTable

    operations = [
        migrations.CreateModel(name="Visit", ...),
        ProtectCaseScopedTable("visits.Visit", via="case"),
    ]

``via`` names the foreign key that ties a row to its case: a key to the case
itself, to a person (people may be on several cases), or to another protected
table (its policy then decides). ``tests/security/test_rls_coverage.py`` fails
while a model with a foreign key to a protected model lacks this operation.
"""

from typing import Any

from django.apps.registry import Apps
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState
from django.db.models import ForeignKey, Model

from masip.isolation import sql
from masip.isolation.sql import Key, ReachNames, ReachTables, Tables

CASE_MODEL = "cases.case"
PERSON_MODEL = "people.person"


def _is_postgres(schema_editor: BaseDatabaseSchemaEditor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def _schema(schema_editor: BaseDatabaseSchemaEditor) -> str:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        row = cursor.fetchone()
    assert row is not None
    return str(row[0])


def _installed(
    schema_editor: BaseDatabaseSchemaEditor, schema: str, marker: str
) -> bool:
    """Whether the function ``marker`` exists in ``schema`` (``V2_MARKER``: the
    second version of the helpers; ``V3_MARKER``: the reach table's triggers)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regprocedure(%s) IS NOT NULL",
            [f"{sql.identifier(schema)}.{marker}"],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _reach_names(apps: Apps, schema: str) -> ReachNames:
    return ReachNames(
        schema=schema,
        reach=_table(apps, "isolation.CaseReach"),
        participant=_table(apps, "cases.CaseParticipant"),
        share=_table(apps, "cases.CaseShare"),
    )


def _table(apps: Apps, label: str) -> str:
    model: type[Model] = apps.get_model(label)
    return str(model._meta.db_table)


def key_for(model: type[Model], via: str | None) -> tuple[Key, str, str]:
    """How rows of ``model`` reach a case: (key, column, parent table)."""
    label = model._meta.label_lower
    if label == CASE_MODEL:
        return Key.CASE_ROOT, "id", ""
    if label == PERSON_MODEL:
        return Key.PERSON_ROOT, "id", ""
    if via is None:
        raise ValueError(f"{model._meta.label} needs via= (the key to its case).")
    field = model._meta.get_field(via)
    related = field.related_model
    if not isinstance(field, ForeignKey):
        raise ValueError(f"{model._meta.label}.{via} is not a foreign key.")
    if related is None or isinstance(related, str):
        raise ValueError(f"{model._meta.label}.{via} is not a foreign key.")
    column = str(field.column)
    target = related._meta.label_lower
    if target == CASE_MODEL:
        return Key.CASE, column, ""
    if target == PERSON_MODEL:
        return Key.PERSON, column, ""
    return Key.PARENT, column, str(related._meta.db_table)


class InstallRowSecurityFunctions(Operation):
    """Create (or replace) the helper functions every policy calls."""

    reversible = True

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def _tables(self, apps: Apps, schema: str) -> Tables:
        return Tables(
            schema=schema,
            case=_table(apps, "cases.Case"),
            share=_table(apps, "cases.CaseShare"),
            grant=_table(apps, "cases.BreakGlassGrant"),
            participant=_table(apps, "cases.CaseParticipant"),
            person=_table(apps, "people.Person"),
            agency=_table(apps, "accounts.Agency"),
        )

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if _is_postgres(schema_editor):
            tables = self._tables(to_state.apps, _schema(schema_editor))
            schema_editor.execute(sql.functions_sql(tables), params=None)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if _is_postgres(schema_editor):
            schema_editor.execute(
                sql.drop_functions_sql(_schema(schema_editor)), params=None
            )

    def describe(self) -> str:
        return "Install the row-level security helper functions (PostgreSQL only)"


class ProtectCaseScopedTable(Operation):
    """Enable and force row-level security on one model's table."""

    reversible = True

    def __init__(self, model: str, via: str | None = None) -> None:
        self.model = model
        self.via = via

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs: dict[str, Any] = {"model": self.model}
        if self.via is not None:
            kwargs["via"] = self.via
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if not _is_postgres(schema_editor):
            return
        model = to_state.apps.get_model(self.model)
        key, column, parent = key_for(model, self.via)
        schema = _schema(schema_editor)
        table = model._meta.db_table
        names = None
        if _installed(schema_editor, schema, sql.V3_MARKER):
            # After isolation 0004 a row's reach is checked by its own key.
            names = _reach_names(to_state.apps, schema)
        statement = sql.protect_sql(schema, table, key, column, parent, names)
        if _installed(schema_editor, schema, sql.V2_MARKER):
            # After isolation 0003 every case-keyed table also leaves out the
            # cases closed to the user's agency as staff-involved.
            statement += "\n" + sql.blocks_sql(schema, table, key, column)
        schema_editor.execute(statement, params=None)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if not _is_postgres(schema_editor):
            return
        table = from_state.apps.get_model(self.model)._meta.db_table
        schema_editor.execute(
            sql.unprotect_sql(_schema(schema_editor), table), params=None
        )

    def describe(self) -> str:
        return f"Row-level security on {self.model} (PostgreSQL only)"


class InstallRowSecurityFunctionsV2(InstallRowSecurityFunctions):
    """The second version of the helper functions (isolation 0003).

    Adds the staff-involved reach and blocks, the block probe and the subject
    access window; replaces the bodies of ``masip_rls_granted_case_ids``,
    ``masip_rls_case_ids`` and ``masip_rls_person_ids``. Reversing restores
    the first version's bodies and drops the functions it added.
    """

    def _tables(self, apps: Apps, schema: str) -> Tables:
        return Tables(
            schema=schema,
            case=_table(apps, "cases.Case"),
            share=_table(apps, "cases.CaseShare"),
            grant=_table(apps, "cases.BreakGlassGrant"),
            participant=_table(apps, "cases.CaseParticipant"),
            person=_table(apps, "people.Person"),
            agency=_table(apps, "accounts.Agency"),
            mark=_table(apps, "cases.CaseStaffInvolvement"),
            sar=_table(apps, "disclosure.SubjectAccessRequest"),
            sar_subject=_table(apps, "disclosure.RequestSubject"),
        )

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if _is_postgres(schema_editor):
            tables = self._tables(to_state.apps, _schema(schema_editor))
            schema_editor.execute(sql.functions_v2_sql(tables), params=None)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if _is_postgres(schema_editor):
            schema = _schema(schema_editor)
            tables = super()._tables(to_state.apps, schema)
            schema_editor.execute(sql.functions_sql(tables), params=None)
            schema_editor.execute(sql.drop_functions_v2_sql(schema), params=None)

    def describe(self) -> str:
        return "Install version 2 of the row-level security functions (PostgreSQL only)"


class ExtendCaseScopedTable(Operation):
    """Add the version 2 policies to a table an earlier migration protected:
    the restrictive staff-involved block, and (``disclosure=True``) read access
    for a subject access draft. Reversing drops both."""

    reversible = True

    def __init__(
        self, model: str, via: str | None = None, disclosure: bool = False
    ) -> None:
        self.model = model
        self.via = via
        self.disclosure = disclosure

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs: dict[str, Any] = {"model": self.model}
        if self.via is not None:
            kwargs["via"] = self.via
        if self.disclosure:
            kwargs["disclosure"] = True
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if not _is_postgres(schema_editor):
            return
        model = to_state.apps.get_model(self.model)
        key, column, _parent = key_for(model, self.via)
        schema = _schema(schema_editor)
        table = model._meta.db_table
        statement = sql.blocks_sql(schema, table, key, column)
        if self.disclosure:
            statement += "\n" + sql.disclosure_sql(schema, table, key, column)
        schema_editor.execute(statement, params=None)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if not _is_postgres(schema_editor):
            return
        table = from_state.apps.get_model(self.model)._meta.db_table
        statement = sql.drop_v2_policies_sql(_schema(schema_editor), table)
        schema_editor.execute(statement, params=None)

    def describe(self) -> str:
        return f"Staff-involved and subject access policies on {self.model}"


class PostgresOnlySQL(Operation):
    """Raw SQL run on PostgreSQL only; ``{schema}`` becomes the current schema."""

    reversible = True

    def __init__(self, sql: str, reverse_sql: str) -> None:
        self.sql = sql
        self.reverse_sql = reverse_sql

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs = {"sql": self.sql, "reverse_sql": self.reverse_sql}
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def _run(self, schema_editor: BaseDatabaseSchemaEditor, statement: str) -> None:
        if _is_postgres(schema_editor):
            schema = sql.identifier(_schema(schema_editor))
            schema_editor.execute(statement.replace("{schema}", schema), params=None)

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._run(schema_editor, self.sql)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._run(schema_editor, self.reverse_sql)

    def describe(self) -> str:
        return "Raw SQL (PostgreSQL only)"


def protected_vias() -> dict[str, str | None]:
    """``app.model`` -> ``via`` of every ``ProtectCaseScopedTable`` on disk."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection=None, ignore_no_migrations=True)
    vias: dict[str, str | None] = {}
    for migration in loader.disk_migrations.values():
        for operation in migration.operations:
            if isinstance(operation, ProtectCaseScopedTable):
                vias[operation.model.lower()] = operation.via
    return vias


class InstallCaseReach(Operation):
    """Version 3 (isolation 0004): fill the reach table, install the triggers
    that keep it, protect it, and rewrite the reach policy of every table
    protected so far to check each row by its own key. Reversing restores
    version 2's policies and drops the triggers (the table goes with the
    ``CreateModel`` before this operation)."""

    reversible = True

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    @staticmethod
    def _tables(apps: Apps, schema: str) -> ReachTables:
        return ReachTables(
            schema=schema,
            reach=_table(apps, "isolation.CaseReach"),
            case=_table(apps, "cases.Case"),
            share=_table(apps, "cases.CaseShare"),
            grant=_table(apps, "cases.BreakGlassGrant"),
            mark=_table(apps, "cases.CaseStaffInvolvement"),
            person=_table(apps, "people.Person"),
            participant=_table(apps, "cases.CaseParticipant"),
        )

    @staticmethod
    def _protected_tables(schema_editor: BaseDatabaseSchemaEditor) -> list[str]:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_policies"
                " WHERE schemaname = current_schema() AND policyname = %s"
                " ORDER BY tablename",
                [sql.POLICY_REACH],
            )
            return [str(row[0]) for row in cursor.fetchall()]

    def _rewrite(
        self, apps: Apps, schema_editor: BaseDatabaseSchemaEditor, *, v3: bool
    ) -> None:
        schema = _schema(schema_editor)
        names = _reach_names(apps, schema) if v3 else None
        by_table = {model._meta.db_table: model for model in apps.get_models()}
        vias = protected_vias()
        reach = _table(apps, "isolation.CaseReach")
        for table in self._protected_tables(schema_editor):
            if table == reach:
                continue
            model = by_table[table]
            key, column, parent = key_for(model, vias.get(model._meta.label_lower))
            statement = sql.protect_sql(schema, table, key, column, parent, names)
            schema_editor.execute(statement, params=None)

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if not _is_postgres(schema_editor):
            return
        schema = _schema(schema_editor)
        tables = self._tables(to_state.apps, schema)
        schema_editor.execute(sql.reach_backfill_sql(tables), params=None)
        schema_editor.execute(sql.reach_triggers_sql(tables), params=None)
        schema_editor.execute(
            sql.protect_reach_table_sql(schema, tables.reach), params=None
        )
        self._rewrite(to_state.apps, schema_editor, v3=True)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if not _is_postgres(schema_editor):
            return
        schema = _schema(schema_editor)
        tables = self._tables(from_state.apps, schema)
        self._rewrite(from_state.apps, schema_editor, v3=False)
        schema_editor.execute(sql.drop_reach_triggers_sql(tables), params=None)

    def describe(self) -> str:
        return (
            "Reach table, its triggers, and row-by-row reach policies (PostgreSQL only)"
        )
