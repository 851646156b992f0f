"""Forced row-level security on every case-scoped table (PostgreSQL only).

On SQLite every operation here is a no-op: the application policy alone
isolates agencies there (ADR 0013).
"""

from django.db import migrations

from masip.isolation.operations import (
    InstallRowSecurityFunctions,
    PostgresOnlySQL,
    ProtectCaseScopedTable,
)

# A break-the-glass grant is made for a case outside the user's reach, so
# beside the usual reach a user may read their own grants and insert one in
# their own name, for an agency they belong to, when their role may break the
# glass (``masip.may_break_glass``).
OWN_GRANTS_SQL = """
CREATE POLICY masip_own_grants ON {schema}.cases_breakglassgrant FOR SELECT
  USING (user_id = ANY ((SELECT {schema}.masip_rls_ids('user_id'))::bigint[]));
CREATE POLICY masip_break_glass ON {schema}.cases_breakglassgrant FOR INSERT
  WITH CHECK (
    (SELECT {schema}.masip_rls_flag('may_break_glass'))
    AND user_id = ANY ((SELECT {schema}.masip_rls_ids('user_id'))::bigint[])
    AND agency_id = ANY ((SELECT {schema}.masip_rls_ids('member_agencies'))::bigint[])
  );
"""
DROP_OWN_GRANTS_SQL = """
DROP POLICY IF EXISTS masip_break_glass ON {schema}.cases_breakglassgrant;
DROP POLICY IF EXISTS masip_own_grants ON {schema}.cases_breakglassgrant;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_session_epoch"),
        ("cases", "0002_caseshare_case_agency_index"),
        ("incidents", "0001_initial"),
        ("people", "0002_safe_contact_version"),
    ]

    operations = [
        InstallRowSecurityFunctions(),
        ProtectCaseScopedTable("cases.Case"),
        ProtectCaseScopedTable("cases.CaseParticipant", via="case"),
        ProtectCaseScopedTable("cases.CaseAllocation", via="case"),
        ProtectCaseScopedTable("cases.CaseShare", via="case"),
        ProtectCaseScopedTable("cases.StatusChange", via="case"),
        ProtectCaseScopedTable("cases.RiskLevelChange", via="case"),
        ProtectCaseScopedTable("cases.CaseNote", via="case"),
        ProtectCaseScopedTable("cases.BreakGlassGrant", via="case"),
        PostgresOnlySQL(OWN_GRANTS_SQL, DROP_OWN_GRANTS_SQL),
        ProtectCaseScopedTable("incidents.Incident", via="case"),
        ProtectCaseScopedTable("people.Person"),
        ProtectCaseScopedTable("people.PersonAlias", via="person"),
        ProtectCaseScopedTable("people.PersonIdentifier", via="person"),
        ProtectCaseScopedTable("people.Address", via="person"),
        ProtectCaseScopedTable("people.SafeContactPreference", via="person"),
    ]
