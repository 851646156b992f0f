"""Row-level security admits professional standards and subject access drafts,
and leaves staff-involved cases out for the involved agency's other staff.

* Professional standards reach the cases marked as involving their own
  agency's staff (``masip.standards_agencies``), as the policy's
  ``staff_involved`` scope does.
* Every case-keyed table gets a restrictive policy: a case marked as involving
  the staff of an agency the user works for (``masip.staff_agencies``) is out
  of reach, with its children and the people only on it, whatever else would
  reach it (defence in depth for ADR 0015).
* A read-only window for a subject access draft (``masip.subject_access``,
  set by ``context.subject_access``): the cases the request's agency leads on
  which a linked person appears, the tables the draft reads on them, and the
  linked people's own records. Third parties' person records stay closed.
* A block probe (``masip.block_probe``, set by ``context.block_probe``): the
  policy reads the one blocked case row and its marks to tell a blocked case
  from a missing one and audit the attempt.

See ADR 0021. PostgreSQL only; every operation is a no-op on SQLite.
"""

from django.db import migrations

from masip.isolation.operations import (
    ExtendCaseScopedTable,
    InstallRowSecurityFunctionsV2,
    PostgresOnlySQL,
)

# The probe reads the one case row it names and that case's marks, nothing
# else (the case may be out of reach too: a break-the-glass lookup).
PROBE_SQL = """
CREATE POLICY masip_block_probe ON {schema}.cases_case FOR SELECT
  USING (id IN (SELECT {schema}.masip_rls_probe_case_ids()));
CREATE POLICY masip_block_probe ON {schema}.cases_casestaffinvolvement FOR SELECT
  USING (case_id IN (SELECT {schema}.masip_rls_probe_case_ids()));
"""
DROP_PROBE_SQL = """
DROP POLICY IF EXISTS masip_block_probe ON {schema}.cases_casestaffinvolvement;
DROP POLICY IF EXISTS masip_block_probe ON {schema}.cases_case;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("isolation", "0002_protect_later_tables"),
        ("disclosure", "0001_initial"),
    ]

    operations = [
        InstallRowSecurityFunctionsV2(),
        # Tables a subject access draft reads (disclosure=True).
        ExtendCaseScopedTable("cases.Case", disclosure=True),
        ExtendCaseScopedTable("cases.CaseParticipant", via="case", disclosure=True),
        ExtendCaseScopedTable("cases.CaseAllocation", via="case", disclosure=True),
        ExtendCaseScopedTable("cases.CaseNote", via="case", disclosure=True),
        ExtendCaseScopedTable("incidents.Incident", via="case", disclosure=True),
        ExtendCaseScopedTable("people.Person", disclosure=True),
        ExtendCaseScopedTable("people.PersonAlias", via="person", disclosure=True),
        ExtendCaseScopedTable(
            "people.PersonIdentifier", via="person", disclosure=True
        ),
        ExtendCaseScopedTable("people.Address", via="person", disclosure=True),
        ExtendCaseScopedTable(
            "people.SafeContactPreference", via="person", disclosure=True
        ),
        # The other case-keyed tables: the staff-involved block only.
        ExtendCaseScopedTable("cases.CaseShare", via="case"),
        ExtendCaseScopedTable("cases.StatusChange", via="case"),
        ExtendCaseScopedTable("cases.RiskLevelChange", via="case"),
        ExtendCaseScopedTable("cases.BreakGlassGrant", via="case"),
        ExtendCaseScopedTable("cases.CaseStaffInvolvement", via="case"),
        ExtendCaseScopedTable("access.SealedReveal", via="case"),
        ExtendCaseScopedTable("retention.CaseRetention", via="case"),
        ExtendCaseScopedTable("retention.RetentionDecision", via="case"),
        PostgresOnlySQL(PROBE_SQL, DROP_PROBE_SQL),
    ]
