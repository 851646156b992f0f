"""Indexes for searching people by name or alias (ADR 0033).

PostgreSQL: the ``pg_trgm`` extension and GIN trigram indexes on the
expressions Django's ``icontains`` compares (``UPPER(column::text)``), built
concurrently so a live people table is not locked for writes.

SQLite: FTS5 tables with the ``trigram`` tokenizer over people's names
(``given_name || ' ' || family_name``, rowid = person id) and aliases (rowid =
alias id), filled from the rows already there and kept in step by triggers,
which also catch bulk inserts that bypass the ORM.

Each is a no-op on the other database; both are reversible.
"""

from django.db import migrations

TRIGRAM_INDEXES = (
    ("people_person_given_trgm", "people_person", "given_name"),
    ("people_person_family_trgm", "people_person", "family_name"),
    ("people_alias_name_trgm", "people_personalias", "name"),
)

SQLITE_FORWARD = """
CREATE VIRTUAL TABLE people_person_fts USING fts5(name, tokenize = 'trigram');
CREATE VIRTUAL TABLE people_alias_fts USING fts5(
    name, person_id UNINDEXED, tokenize = 'trigram'
);
INSERT INTO people_person_fts (rowid, name)
    SELECT id, given_name || ' ' || family_name FROM people_person;
INSERT INTO people_alias_fts (rowid, name, person_id)
    SELECT id, name, person_id FROM people_personalias;
CREATE TRIGGER people_person_fts_insert AFTER INSERT ON people_person BEGIN
    INSERT INTO people_person_fts (rowid, name)
    VALUES (new.id, new.given_name || ' ' || new.family_name);
END;
CREATE TRIGGER people_person_fts_update
AFTER UPDATE OF id, given_name, family_name ON people_person BEGIN
    DELETE FROM people_person_fts WHERE rowid = old.id;
    INSERT INTO people_person_fts (rowid, name)
    VALUES (new.id, new.given_name || ' ' || new.family_name);
END;
CREATE TRIGGER people_person_fts_delete AFTER DELETE ON people_person BEGIN
    DELETE FROM people_person_fts WHERE rowid = old.id;
END;
CREATE TRIGGER people_alias_fts_insert AFTER INSERT ON people_personalias BEGIN
    INSERT INTO people_alias_fts (rowid, name, person_id)
    VALUES (new.id, new.name, new.person_id);
END;
CREATE TRIGGER people_alias_fts_update
AFTER UPDATE OF id, name, person_id ON people_personalias BEGIN
    DELETE FROM people_alias_fts WHERE rowid = old.id;
    INSERT INTO people_alias_fts (rowid, name, person_id)
    VALUES (new.id, new.name, new.person_id);
END;
CREATE TRIGGER people_alias_fts_delete AFTER DELETE ON people_personalias BEGIN
    DELETE FROM people_alias_fts WHERE rowid = old.id;
END;
"""

SQLITE_BACKWARD = """
DROP TRIGGER IF EXISTS people_alias_fts_delete;
DROP TRIGGER IF EXISTS people_alias_fts_update;
DROP TRIGGER IF EXISTS people_alias_fts_insert;
DROP TRIGGER IF EXISTS people_person_fts_delete;
DROP TRIGGER IF EXISTS people_person_fts_update;
DROP TRIGGER IF EXISTS people_person_fts_insert;
DROP TABLE IF EXISTS people_alias_fts;
DROP TABLE IF EXISTS people_person_fts;
"""


def _statements(script: str) -> list[str]:
    """A script's statements (trigger bodies kept whole: they end in ``END;``)."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        in_trigger = text.upper().startswith("CREATE TRIGGER")
        if text.endswith(";") and (not in_trigger or text.upper().endswith("END;")):
            statements.append(text)
            current = []
    return statements


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for name, table, column in TRIGRAM_INDEXES:
                cursor.execute(
                    f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} "
                    f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
                )
    elif connection.vendor == "sqlite":
        from django.db import transaction

        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for statement in _statements(SQLITE_FORWARD):
                cursor.execute(statement)


def backward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name, _, _ in TRIGRAM_INDEXES:
                cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
            # The extension stays: other tables may come to use it.
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in _statements(SQLITE_BACKWARD):
                cursor.execute(statement)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("people", "0004_safe_contact_rules"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
