"""``masip db_roles``: the application role owns nothing, holds row privileges."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from masip.isolation.testing import execute, new_role_name

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Database roles exist on PostgreSQL only.",
)


def _privileges(role: str, table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE',"
            "'TRUNCATE','REFERENCES','TRIGGER']) AS p "
            "WHERE has_table_privilege(%s, %s, p)",
            [role, table],
        )
        return {row[0] for row in cursor.fetchall()}


def _db_roles(role: str) -> str:
    out = StringIO()
    call_command("db_roles", "--app-role", role, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="The SQLite answer.")
def test_on_sqlite_the_command_explains_there_is_no_row_level_security():
    with pytest.raises(CommandError, match="application policy alone"):
        _db_roles("masip_app")


@pytest.mark.django_db
@on_postgres
def test_the_role_gets_row_privileges_only_and_runs_idempotently():
    role = new_role_name("masip_test_app")

    first = _db_roles(role)
    second = _db_roles(role)

    assert first.startswith(f"Created role {role}")
    assert second.startswith(f"Updated role {role}")
    full = {"SELECT", "INSERT", "UPDATE", "DELETE"}
    assert _privileges(role, "cases_case") == full
    assert _privileges(role, "people_address") == full
    assert _privileges(role, "audit_auditevent") == {"SELECT", "INSERT"}
    assert _privileges(role, "audit_auditchainhead") == {"SELECT", "UPDATE"}
    assert _privileges(role, "django_migrations") == {"SELECT"}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, "
            "(SELECT count(*) FROM pg_class WHERE relowner = r.oid) "
            "FROM pg_roles r WHERE rolname = %s",
            [role],
        )
        assert cursor.fetchone() == (False, False, False, False, 0)


@pytest.mark.django_db
@on_postgres
def test_tables_created_later_are_granted_by_default():
    role = new_role_name("masip_test_app")
    _db_roles(role)

    execute("CREATE TABLE masip_test_later (id bigint)")

    assert _privileges(role, "masip_test_later") == {
        "SELECT",
        "INSERT",
        "UPDATE",
        "DELETE",
    }


@pytest.mark.django_db
@on_postgres
@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ("SUPERUSER", "superuser or bypasses"),
        ("BYPASSRLS", "superuser or bypasses"),
    ],
)
def test_a_role_that_could_pass_row_level_security_is_refused(attributes, message):
    role = new_role_name("masip_test_bad")
    execute(f"CREATE ROLE {role} NOLOGIN {attributes}")

    with pytest.raises(CommandError, match=message):
        _db_roles(role)


@pytest.mark.django_db
@on_postgres
def test_the_owner_and_its_members_are_refused():
    member = new_role_name("masip_test_member")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    execute(f"CREATE ROLE {member} NOLOGIN")
    execute(f'GRANT "{owner}" TO {member}')

    with pytest.raises(CommandError, match="owns the tables"):
        _db_roles(owner)
    with pytest.raises(CommandError, match="member of"):
        _db_roles(member)


@pytest.mark.django_db
def test_a_role_name_that_is_not_a_plain_identifier_is_refused():
    with pytest.raises(CommandError):
        _db_roles('app"; DROP TABLE cases_case; --')
