"""The SQL of row-level security: helper functions and per-table policies.

Every policy reads the request's reach from ``masip.*`` settings (see
``scope.py`` for their names and meaning) through a few helper functions:

* ``masip_rls_text/flag/ids(name)`` read one setting as text, a flag or a
  list of ids; unset or empty means nothing, so no settings reach no row.
* ``masip_rls_bypass()`` is true only inside trusted system work
  (``masip.trusted = 'on'``) *and* when the current role is a member of the
  role owning the cases table; the application role cannot bypass.
* ``masip_rls_case_ids()`` and ``masip_rls_person_ids()`` compute the reach
  once per statement. They are ``SECURITY DEFINER`` functions (running as the
  table owner) that turn ``masip.trusted`` on for their own queries and back
  afterwards: a policy on the cases table that read the shares table under
  the shares table's own policy (which reads the cases table) would recurse;
  asking a function that reads both with the bypass on does not. (A
  ``SET masip.trusted`` clause on the function would be simpler, but only a
  superuser may attach a custom setting to a function, and the owner that
  runs migrations should not be one.) Only the owner's membership makes the
  flag count, and it is transaction-local, so nothing outlives the statement.

Settings are wrapped in ``(SELECT ...)`` so PostgreSQL evaluates them once per
statement (an InitPlan), not once per row.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

# Schema and table names are interpolated into SQL (DDL takes no parameters),
# so they must be plain identifiers.
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_$]{0,62}$")


def identifier(name: str) -> str:
    """``name`` double-quoted, after checking it is a plain lower-case identifier."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"Not a plain SQL identifier: {name!r}")
    return f'"{name}"'


class Key(StrEnum):
    """How a protected table's rows are tied to a case."""

    CASE_ROOT = "case_root"  # the cases table itself
    CASE = "case"  # a foreign key to a case
    PERSON_ROOT = "person_root"  # the people table (a person may be on many cases)
    PERSON = "person"  # a foreign key to a person
    PARENT = "parent"  # a foreign key to another protected table


@dataclass(frozen=True)
class Tables:
    """The tables the helper functions read (from the migration state)."""

    schema: str
    case: str
    share: str
    grant: str
    participant: str
    person: str
    agency: str
    # Read by the second version of the functions (``FUNCTIONS_V2_SQL``) only.
    mark: str = ""
    sar: str = ""
    sar_subject: str = ""

    def q(self, table: str) -> str:
        return f"{identifier(self.schema)}.{identifier(table)}"


FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION {s}.masip_rls_text(name text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(current_setting('masip.' || name, true), '') $$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_flag(name text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT {s}.masip_rls_text(name) = 'on' $$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_ids(name text) RETURNS bigint[]
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT coalesce(
    string_to_array(nullif({s}.masip_rls_text(name), ''), ',')::bigint[],
    '{{}}'::bigint[]
  )
$$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_bypass() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT {s}.masip_rls_flag('trusted')
     AND pg_catalog.pg_has_role(
           current_user,
           (SELECT c.relowner FROM pg_catalog.pg_class c
             WHERE c.oid = '{case}'::regclass),
           'MEMBER')
$$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_aggregate() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT {s}.masip_rls_flag('may_aggregate') AND {s}.masip_rls_flag('aggregate_read')
$$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_site_agency_ids() RETURNS bigint[]
LANGUAGE sql STABLE
AS $$
  SELECT coalesce(array_agg(a.id), '{{}}'::bigint[]) FROM {agency} a
   WHERE a.site_id = ANY ({s}.masip_rls_ids('sites'))
$$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_granted_case_ids() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE previous text := {s}.masip_rls_text('trusted');
BEGIN
  PERFORM set_config('masip.trusted', 'on', true);
  RETURN QUERY
    SELECT sh.case_id FROM {share} sh
     WHERE sh.agency_id = ANY ((SELECT {s}.masip_rls_ids('agencies'))::bigint[])
       AND sh.revoked_at IS NULL
       AND sh.expires_at > now()
    UNION
    SELECT g.case_id FROM {grant} g
     WHERE g.user_id = ANY ((SELECT {s}.masip_rls_ids('user_id'))::bigint[])
       AND g.agency_id = ANY ((SELECT {s}.masip_rls_ids('member_agencies'))::bigint[])
       AND g.expires_at > now();
  PERFORM set_config('masip.trusted', previous, true);
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_case_ids() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE previous text := {s}.masip_rls_text('trusted');
BEGIN
  PERFORM set_config('masip.trusted', 'on', true);
  RETURN QUERY
    SELECT c.id FROM {case} c
     WHERE (SELECT {s}.masip_rls_flag('all_cases'))
        OR c.lead_agency_id = ANY ((SELECT {s}.masip_rls_ids('agencies'))::bigint[])
        OR c.lead_agency_id = ANY ((SELECT {s}.masip_rls_site_agency_ids())::bigint[])
        OR c.created_by_id = ANY ((SELECT {s}.masip_rls_ids('referrer'))::bigint[])
    UNION
    SELECT {s}.masip_rls_granted_case_ids();
  PERFORM set_config('masip.trusted', previous, true);
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_person_unattached(person bigint)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  previous text := {s}.masip_rls_text('trusted');
  unattached boolean;
BEGIN
  PERFORM set_config('masip.trusted', 'on', true);
  unattached := NOT EXISTS (SELECT 1 FROM {participant} p WHERE p.person_id = person);
  PERFORM set_config('masip.trusted', previous, true);
  RETURN unattached;
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_person_ids() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE previous text := {s}.masip_rls_text('trusted');
BEGIN
  PERFORM set_config('masip.trusted', 'on', true);
  RETURN QUERY
    SELECT p.person_id FROM {participant} p
     WHERE (SELECT {s}.masip_rls_flag('all_cases'))
        OR p.case_id IN (SELECT {s}.masip_rls_case_ids())
    UNION
    SELECT pe.id FROM {person} pe
     WHERE pe.created_by_id = ANY ((SELECT {s}.masip_rls_ids('user_id'))::bigint[])
       AND NOT EXISTS (SELECT 1 FROM {participant} x WHERE x.person_id = pe.id);
  PERFORM set_config('masip.trusted', previous, true);
END
$$;
"""

FUNCTION_SIGNATURES = (
    "masip_rls_person_ids()",
    "masip_rls_person_unattached(bigint)",
    "masip_rls_case_ids()",
    "masip_rls_granted_case_ids()",
    "masip_rls_site_agency_ids()",
    "masip_rls_aggregate()",
    "masip_rls_bypass()",
    "masip_rls_ids(text)",
    "masip_rls_flag(text)",
    "masip_rls_text(text)",
)


def functions_sql(tables: Tables) -> str:
    return FUNCTIONS_SQL.format(
        s=identifier(tables.schema),
        case=tables.q(tables.case),
        share=tables.q(tables.share),
        grant=tables.q(tables.grant),
        participant=tables.q(tables.participant),
        person=tables.q(tables.person),
        agency=tables.q(tables.agency),
    )


FUNCTIONS_V2_SQL = """
CREATE OR REPLACE FUNCTION {s}.masip_rls_blocked_case_ids() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE previous text := {s}.masip_rls_text('trusted');
BEGIN
  PERFORM set_config('masip.trusted', 'on', true);
  RETURN QUERY
    SELECT m.case_id FROM {mark} m
     WHERE m.cleared_at IS NULL
       AND m.agency_id = ANY ((SELECT {s}.masip_rls_ids('staff_agencies'))::bigint[]);
  PERFORM set_config('masip.trusted', previous, true);
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_granted_case_ids() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE previous text := {s}.masip_rls_text('trusted');
BEGIN
  PERFORM set_config('masip.trusted', 'on', true);
  RETURN QUERY
    SELECT sh.case_id FROM {share} sh
     WHERE sh.agency_id = ANY ((SELECT {s}.masip_rls_ids('agencies'))::bigint[])
       AND sh.revoked_at IS NULL
       AND sh.expires_at > now()
    UNION
    SELECT g.case_id FROM {grant} g
     WHERE g.user_id = ANY ((SELECT {s}.masip_rls_ids('user_id'))::bigint[])
       AND g.agency_id = ANY ((SELECT {s}.masip_rls_ids('member_agencies'))::bigint[])
       AND g.expires_at > now()
    UNION
    SELECT m.case_id FROM {mark} m
     WHERE m.cleared_at IS NULL
       AND m.agency_id
           = ANY ((SELECT {s}.masip_rls_ids('standards_agencies'))::bigint[]);
  PERFORM set_config('masip.trusted', previous, true);
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_case_ids() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE previous text := {s}.masip_rls_text('trusted');
BEGIN
  PERFORM set_config('masip.trusted', 'on', true);
  RETURN QUERY
    (SELECT c.id FROM {case} c
      WHERE (SELECT {s}.masip_rls_flag('all_cases'))
         OR c.lead_agency_id = ANY ((SELECT {s}.masip_rls_ids('agencies'))::bigint[])
         OR c.lead_agency_id = ANY ((SELECT {s}.masip_rls_site_agency_ids())::bigint[])
         OR c.created_by_id = ANY ((SELECT {s}.masip_rls_ids('referrer'))::bigint[])
     UNION
     SELECT {s}.masip_rls_granted_case_ids())
    EXCEPT
    SELECT {s}.masip_rls_blocked_case_ids();
  PERFORM set_config('masip.trusted', previous, true);
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_person_ids() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE previous text := {s}.masip_rls_text('trusted');
BEGIN
  PERFORM set_config('masip.trusted', 'on', true);
  RETURN QUERY
    SELECT p.person_id FROM {participant} p
     WHERE p.case_id IN (SELECT {s}.masip_rls_case_ids())
    UNION
    SELECT pe.id FROM {person} pe
     WHERE pe.created_by_id = ANY ((SELECT {s}.masip_rls_ids('user_id'))::bigint[])
       AND NOT EXISTS (SELECT 1 FROM {participant} x WHERE x.person_id = pe.id);
  PERFORM set_config('masip.trusted', previous, true);
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_probe_case_ids() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  previous text := {s}.masip_rls_text('trusted');
  probe text := {s}.masip_rls_text('block_probe');
BEGIN
  IF probe = '' THEN
    RETURN;
  END IF;
  PERFORM set_config('masip.trusted', 'on', true);
  RETURN QUERY
    SELECT c.id FROM {case} c
     WHERE c.reference = probe
       AND c.id IN (SELECT {s}.masip_rls_blocked_case_ids())
       AND ({s}.masip_rls_flag('may_break_glass')
            OR {s}.masip_rls_flag('all_cases')
            OR c.lead_agency_id = ANY ({s}.masip_rls_ids('agencies'))
            OR c.lead_agency_id = ANY ({s}.masip_rls_site_agency_ids())
            OR c.created_by_id = ANY ({s}.masip_rls_ids('referrer'))
            OR c.id IN (SELECT {s}.masip_rls_granted_case_ids()));
  PERFORM set_config('masip.trusted', previous, true);
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_disclosure_case_ids() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE previous text := {s}.masip_rls_text('trusted');
BEGIN
  IF {s}.masip_rls_text('subject_access') = '' THEN
    RETURN;
  END IF;
  PERFORM set_config('masip.trusted', 'on', true);
  RETURN QUERY
    SELECT DISTINCT c.id FROM {sar} r
      JOIN {sar_subject} rs ON rs.request_id = r.id
      JOIN {participant} p ON p.person_id = rs.person_id
      JOIN {case} c ON c.id = p.case_id AND c.lead_agency_id = r.agency_id
     WHERE r.id = ANY ((SELECT {s}.masip_rls_ids('subject_access'))::bigint[])
       AND r.agency_id = ANY ((SELECT {s}.masip_rls_ids('sar_agencies'))::bigint[])
       AND r.identity_verified_at IS NOT NULL
       AND r.released_at IS NULL;
  PERFORM set_config('masip.trusted', previous, true);
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_rls_disclosure_person_ids() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE previous text := {s}.masip_rls_text('trusted');
BEGIN
  IF {s}.masip_rls_text('subject_access') = '' THEN
    RETURN;
  END IF;
  PERFORM set_config('masip.trusted', 'on', true);
  RETURN QUERY
    SELECT DISTINCT rs.person_id FROM {sar} r
      JOIN {sar_subject} rs ON rs.request_id = r.id
      JOIN {participant} p ON p.person_id = rs.person_id
      JOIN {case} c ON c.id = p.case_id AND c.lead_agency_id = r.agency_id
     WHERE r.id = ANY ((SELECT {s}.masip_rls_ids('subject_access'))::bigint[])
       AND r.agency_id = ANY ((SELECT {s}.masip_rls_ids('sar_agencies'))::bigint[])
       AND r.identity_verified_at IS NOT NULL
       AND r.released_at IS NULL;
  PERFORM set_config('masip.trusted', previous, true);
END
$$;
"""

# Functions the second version adds (dropped when it is reversed; the ones it
# replaces are restored by running ``FUNCTIONS_SQL`` again).
FUNCTION_V2_SIGNATURES = (
    "masip_rls_disclosure_person_ids()",
    "masip_rls_disclosure_case_ids()",
    "masip_rls_probe_case_ids()",
    "masip_rls_blocked_case_ids()",
)
V2_MARKER = "masip_rls_blocked_case_ids()"


def functions_v2_sql(tables: Tables) -> str:
    return FUNCTIONS_V2_SQL.format(
        s=identifier(tables.schema),
        case=tables.q(tables.case),
        share=tables.q(tables.share),
        grant=tables.q(tables.grant),
        participant=tables.q(tables.participant),
        person=tables.q(tables.person),
        mark=tables.q(tables.mark),
        sar=tables.q(tables.sar),
        sar_subject=tables.q(tables.sar_subject),
    )


def drop_functions_v2_sql(schema: str) -> str:
    s = identifier(schema)
    return "\n".join(
        f"DROP FUNCTION IF EXISTS {s}.{signature};"
        for signature in FUNCTION_V2_SIGNATURES
    )


def drop_functions_sql(schema: str) -> str:
    s = identifier(schema)
    return "\n".join(
        f"DROP FUNCTION IF EXISTS {s}.{signature};" for signature in FUNCTION_SIGNATURES
    )


def _setting_ids(s: str, name: str) -> str:
    """A list-of-ids setting, evaluated once per statement."""
    return f"((SELECT {s}.masip_rls_ids('{name}'))::bigint[])"


def reach_predicate(schema: str, key: Key, column: str, parent: str = "") -> str:
    """The SQL condition a row must meet to be in the request's reach."""
    s = identifier(schema)
    bypass = f"(SELECT {s}.masip_rls_bypass())"
    every_case = f"(SELECT {s}.masip_rls_flag('all_cases'))"
    col = identifier(column)
    if key == Key.CASE_ROOT:
        # Written out on the row's own columns, so a case being inserted (not
        # yet visible to the functions' snapshot) passes the check.
        site_agencies = f"((SELECT {s}.masip_rls_site_agency_ids())::bigint[])"
        return (
            f"{bypass} OR {every_case}"
            f" OR lead_agency_id = ANY {_setting_ids(s, 'agencies')}"
            f" OR lead_agency_id = ANY {site_agencies}"
            f" OR created_by_id = ANY {_setting_ids(s, 'referrer')}"
            f" OR {col} IN (SELECT {s}.masip_rls_granted_case_ids())"
        )
    if key == Key.CASE:
        return f"{bypass} OR {every_case} OR {col} IN (SELECT {s}.masip_rls_case_ids())"
    if key == Key.PERSON_ROOT:
        # A person just created is on no case yet: its creator reaches it
        # until it is added to one (in the same transaction, in practice).
        return (
            f"{bypass} OR {col} IN (SELECT {s}.masip_rls_person_ids())"
            f" OR (created_by_id = ANY {_setting_ids(s, 'user_id')}"
            f" AND {s}.masip_rls_person_unattached({col}))"
        )
    if key == Key.PERSON:
        return f"{bypass} OR {col} IN (SELECT {s}.masip_rls_person_ids())"
    # Key.PARENT: the parent table's own policy decides. Every name here has
    # passed identifier(), so the interpolation cannot inject.
    parent_table = f"{s}.{identifier(parent)}"
    return f"{bypass} OR {col} IN (SELECT id FROM {parent_table})"  # noqa: S608  # nosec B608: every name passed identifier()


def read_only_predicate(schema: str, key: Key) -> str | None:
    """Extra rows a request may read (never write), or ``None``."""
    s = identifier(schema)
    aggregate = f"(SELECT {s}.masip_rls_aggregate())"
    if key == Key.CASE_ROOT:
        # Break-the-glass looks a case up by reference before any grant exists.
        return (
            f"{aggregate} OR ((SELECT {s}.masip_rls_flag('may_break_glass'))"
            f" AND reference = (SELECT {s}.masip_rls_text('reveal_reference')))"
        )
    if key in (Key.CASE, Key.PARENT):
        return aggregate
    return None


POLICY_REACH = "masip_reach"
POLICY_READ = "masip_read"


def protect_sql(
    schema: str,
    table: str,
    key: Key,
    column: str,
    parent: str = "",
    names: "ReachNames | None" = None,
) -> str:
    """Enable and force row-level security on ``table`` with MASIP's policies
    (version 3's row-by-row reach when ``names`` is given, else version 2's)."""
    t = f"{identifier(schema)}.{identifier(table)}"
    if names is None:
        reach = reach_predicate(schema, key, column, parent)
    else:
        reach = reach_predicate_v3(names, table, key, column, parent)
    statements = [
        f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY_REACH} ON {t}",
        f"CREATE POLICY {POLICY_REACH} ON {t} FOR ALL"
        f" USING ({reach}) WITH CHECK ({reach})",
        f"DROP POLICY IF EXISTS {POLICY_READ} ON {t}",
    ]
    read = read_only_predicate(schema, key)
    if read:
        statements.append(
            f"CREATE POLICY {POLICY_READ} ON {t} FOR SELECT USING ({read})"
        )
    return ";\n".join(statements) + ";"


POLICY_UNBLOCKED = "masip_unblocked"
POLICY_DISCLOSURE = "masip_disclosure"


def unblocked_predicate(schema: str, key: Key, column: str) -> str | None:
    """What a row must also meet (a restrictive policy): not on a case marked
    as involving the staff of an agency the user works for, or ``None`` where
    the key needs no such policy (people follow ``masip_rls_case_ids()``,
    which leaves blocked cases out; a parent's policy decides for its rows).

    The exceptions mirror the application: aggregate reports count blocked
    cases; the break-the-glass lookup and the block probe read the one case so
    that the application can tell a blocked case from a missing one (and audit
    the attempt); a subject access draft gathers every case its agency leads
    (ADR 0021).
    """
    s = identifier(schema)
    col = identifier(column)
    passes = (
        f"(SELECT {s}.masip_rls_bypass()) OR (SELECT {s}.masip_rls_aggregate())"
        f" OR {col} IN (SELECT {s}.masip_rls_disclosure_case_ids())"
        f" OR {col} IN (SELECT {s}.masip_rls_probe_case_ids())"
    )
    if key == Key.CASE_ROOT:
        return (
            f"{passes} OR ((SELECT {s}.masip_rls_flag('may_break_glass'))"
            f" AND reference = (SELECT {s}.masip_rls_text('reveal_reference')))"
            f" OR {col} NOT IN (SELECT {s}.masip_rls_blocked_case_ids())"
        )
    if key == Key.CASE:
        return f"{passes} OR {col} NOT IN (SELECT {s}.masip_rls_blocked_case_ids())"
    return None


def disclosure_predicate(schema: str, key: Key, column: str) -> str | None:
    """Rows a subject access draft may read (``context.subject_access``)."""
    s = identifier(schema)
    col = identifier(column)
    if key in (Key.CASE_ROOT, Key.CASE):
        return f"{col} IN (SELECT {s}.masip_rls_disclosure_case_ids())"
    if key in (Key.PERSON_ROOT, Key.PERSON):
        return f"{col} IN (SELECT {s}.masip_rls_disclosure_person_ids())"
    return None


def blocks_sql(schema: str, table: str, key: Key, column: str) -> str:
    """The restrictive staff-involved policy on ``table`` (may be empty)."""
    t = f"{identifier(schema)}.{identifier(table)}"
    predicate = unblocked_predicate(schema, key, column)
    statements = [f"DROP POLICY IF EXISTS {POLICY_UNBLOCKED} ON {t}"]
    if predicate:
        statements.append(
            f"CREATE POLICY {POLICY_UNBLOCKED} ON {t} AS RESTRICTIVE FOR ALL"
            f" USING ({predicate}) WITH CHECK ({predicate})"
        )
    return ";\n".join(statements) + ";"


def disclosure_sql(schema: str, table: str, key: Key, column: str) -> str:
    """The read-only subject access policy on ``table``."""
    t = f"{identifier(schema)}.{identifier(table)}"
    predicate = disclosure_predicate(schema, key, column)
    if predicate is None:
        raise ValueError(f"{table}: a subject access draft reads no such table.")
    return (
        f"DROP POLICY IF EXISTS {POLICY_DISCLOSURE} ON {t};\n"
        f"CREATE POLICY {POLICY_DISCLOSURE} ON {t} FOR SELECT USING ({predicate});"
    )


def drop_v2_policies_sql(schema: str, table: str) -> str:
    t = f"{identifier(schema)}.{identifier(table)}"
    return (
        f"DROP POLICY IF EXISTS {POLICY_DISCLOSURE} ON {t};\n"
        f"DROP POLICY IF EXISTS {POLICY_UNBLOCKED} ON {t};"
    )


def unprotect_sql(schema: str, table: str) -> str:
    t = f"{identifier(schema)}.{identifier(table)}"
    return (
        drop_v2_policies_sql(schema, table) + "\n"
        f"DROP POLICY IF EXISTS {POLICY_READ} ON {t};\n"
        f"DROP POLICY IF EXISTS {POLICY_REACH} ON {t};\n"
        f"ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY;\n"
        f"ALTER TABLE {t} DISABLE ROW LEVEL SECURITY;"
    )


# --- Version 3: reach checked row by row (isolation 0004, ADR 0035) ---------
#
# Versions 1 and 2 listed the user's whole reach once per statement
# (``masip_rls_case_ids()``), so every statement on a case-keyed table cost
# time in proportion to the cases the user reaches. Version 3 keeps one row
# per way into a case in a reach table (the lead agency, the referrer, each
# share in force, each break-the-glass grant, each professional-standards
# mark), written by triggers on the tables they come from. The reach table's
# own policy shows a request only the rows that open a case *to it*, so a
# row of any case-keyed table is in reach when its case has at least one
# visible reach row: an index lookup by case id, whatever the user's reach.
#
# Triggers write the reach table as its owner (``SECURITY DEFINER``) with
# ``masip.trusted`` on for the write alone, as the helper functions do; the
# application role may only read it, and only its own rows.


class ReachKind(StrEnum):
    """One way into a case (``isolation.CaseReach.kind``)."""

    LEAD = "lead"  # the case's lead agency (and its site)
    REFERRER = "referrer"  # the user who created the case
    SHARE = "share"  # a share in force to an agency
    GRANT = "grant"  # a break-the-glass grant to a user
    STANDARDS = "standards"  # a staff-involved mark, for professional standards


@dataclass(frozen=True)
class ReachTables:
    """The reach table and the tables its triggers copy from."""

    schema: str
    reach: str
    case: str
    share: str
    grant: str
    mark: str
    person: str
    participant: str

    def q(self, table: str) -> str:
        return f"{identifier(self.schema)}.{identifier(table)}"


@dataclass(frozen=True)
class ReachNames:
    """The names a version 3 policy reads: schema, reach and participant tables."""

    schema: str
    reach: str
    participant: str
    share: str = ""


REACH_TRIGGERS_SQL = """
CREATE OR REPLACE FUNCTION {s}.masip_reach_put(
  p_kind text, p_source bigint, p_case bigint, p_agency bigint, p_user bigint,
  p_expires timestamptz
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE previous text := {s}.masip_rls_text('trusted');
BEGIN
  PERFORM set_config('masip.trusted', 'on', true);
  INSERT INTO {reach} AS r (kind, source_id, case_id, agency_id, user_id, expires_at)
  VALUES (p_kind, p_source, p_case, p_agency, p_user, p_expires)
  ON CONFLICT (kind, source_id) DO UPDATE
     SET case_id = excluded.case_id, agency_id = excluded.agency_id,
         user_id = excluded.user_id, expires_at = excluded.expires_at;
  PERFORM set_config('masip.trusted', previous, true);
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_reach_drop(p_kind text, p_source bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE previous text := {s}.masip_rls_text('trusted');
BEGIN
  PERFORM set_config('masip.trusted', 'on', true);
  DELETE FROM {reach} r WHERE r.kind = p_kind AND r.source_id = p_source;
  PERFORM set_config('masip.trusted', previous, true);
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_reach_drop_case(p_case bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE previous text := {s}.masip_rls_text('trusted');
BEGIN
  PERFORM set_config('masip.trusted', 'on', true);
  DELETE FROM {reach} r WHERE r.case_id = p_case;
  PERFORM set_config('masip.trusted', previous, true);
END
$$;

-- A person the user created that is on no case yet (row by row, for the
-- tables keyed by a person; the person table checks its own columns).
CREATE OR REPLACE FUNCTION {s}.masip_rls_person_new(person bigint)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  previous text := {s}.masip_rls_text('trusted');
  user_ids bigint[] := {s}.masip_rls_ids('user_id');
  found boolean;
BEGIN
  IF cardinality(user_ids) = 0 THEN
    RETURN false;
  END IF;
  PERFORM set_config('masip.trusted', 'on', true);
  found := EXISTS (
    SELECT 1 FROM {person} pe
     WHERE pe.id = person AND pe.created_by_id = ANY (user_ids)
       AND NOT EXISTS (SELECT 1 FROM {participant} x WHERE x.person_id = pe.id));
  PERFORM set_config('masip.trusted', previous, true);
  RETURN found;
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_reach_from_case() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM {s}.masip_reach_drop_case(OLD.id);
    RETURN NULL;
  END IF;
  PERFORM {s}.masip_reach_put('lead', NEW.id, NEW.id, NEW.lead_agency_id, NULL, NULL);
  IF NEW.created_by_id IS NULL THEN
    PERFORM {s}.masip_reach_drop('referrer', NEW.id);
  ELSE
    PERFORM {s}.masip_reach_put(
      'referrer', NEW.id, NEW.id, NULL, NEW.created_by_id, NULL);
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_reach_from_share() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.revoked_at IS NOT NULL THEN
    PERFORM {s}.masip_reach_drop('share', OLD.id);
  ELSE
    PERFORM {s}.masip_reach_put(
      'share', NEW.id, NEW.case_id, NEW.agency_id, NULL, NEW.expires_at);
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_reach_from_grant() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM {s}.masip_reach_drop('grant', OLD.id);
  ELSE
    PERFORM {s}.masip_reach_put(
      'grant', NEW.id, NEW.case_id, NEW.agency_id, NEW.user_id, NEW.expires_at);
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION {s}.masip_reach_from_mark() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.cleared_at IS NOT NULL THEN
    PERFORM {s}.masip_reach_drop('standards', OLD.id);
  ELSE
    PERFORM {s}.masip_reach_put(
      'standards', NEW.id, NEW.case_id, NEW.agency_id, NULL, NULL);
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS masip_reach ON {case};
CREATE TRIGGER masip_reach
  AFTER INSERT OR DELETE OR UPDATE OF lead_agency_id, created_by_id
  ON {case} FOR EACH ROW EXECUTE FUNCTION {s}.masip_reach_from_case();
DROP TRIGGER IF EXISTS masip_reach ON {share};
CREATE TRIGGER masip_reach AFTER INSERT OR DELETE OR UPDATE
  ON {share} FOR EACH ROW EXECUTE FUNCTION {s}.masip_reach_from_share();
DROP TRIGGER IF EXISTS masip_reach ON {grant};
CREATE TRIGGER masip_reach AFTER INSERT OR DELETE OR UPDATE
  ON {grant} FOR EACH ROW EXECUTE FUNCTION {s}.masip_reach_from_grant();
DROP TRIGGER IF EXISTS masip_reach ON {mark};
CREATE TRIGGER masip_reach AFTER INSERT OR DELETE OR UPDATE
  ON {mark} FOR EACH ROW EXECUTE FUNCTION {s}.masip_reach_from_mark();
"""

# Fill the reach table from what is already there (the triggers keep it after).
REACH_BACKFILL_SQL = """
INSERT INTO {reach} (kind, source_id, case_id, agency_id, user_id, expires_at)
SELECT 'lead', c.id, c.id, c.lead_agency_id, NULL::bigint, NULL::timestamptz
  FROM {case} c
UNION ALL
SELECT 'referrer', c.id, c.id, NULL, c.created_by_id, NULL FROM {case} c
 WHERE c.created_by_id IS NOT NULL
UNION ALL
SELECT 'share', sh.id, sh.case_id, sh.agency_id, NULL, sh.expires_at FROM {share} sh
 WHERE sh.revoked_at IS NULL
UNION ALL
SELECT 'grant', g.id, g.case_id, g.agency_id, g.user_id, g.expires_at FROM {grant} g
UNION ALL
SELECT 'standards', m.id, m.case_id, m.agency_id, NULL, NULL FROM {mark} m
 WHERE m.cleared_at IS NULL
ON CONFLICT (kind, source_id) DO NOTHING;
"""

REACH_TRIGGER_SIGNATURES = (
    "masip_reach_from_mark()",
    "masip_reach_from_grant()",
    "masip_reach_from_share()",
    "masip_reach_from_case()",
    "masip_rls_person_new(bigint)",
    "masip_reach_drop_case(bigint)",
    "masip_reach_drop(text, bigint)",
    "masip_reach_put(text, bigint, bigint, bigint, bigint, timestamptz)",
)
V3_MARKER = "masip_reach_from_case()"


def _reach_sql(template: str, tables: ReachTables) -> str:
    return template.format(
        s=identifier(tables.schema),
        reach=tables.q(tables.reach),
        case=tables.q(tables.case),
        share=tables.q(tables.share),
        grant=tables.q(tables.grant),
        mark=tables.q(tables.mark),
        person=tables.q(tables.person),
        participant=tables.q(tables.participant),
    )


def reach_triggers_sql(tables: ReachTables) -> str:
    return _reach_sql(REACH_TRIGGERS_SQL, tables)


def reach_backfill_sql(tables: ReachTables) -> str:
    return _reach_sql(REACH_BACKFILL_SQL, tables)


def drop_reach_triggers_sql(tables: ReachTables) -> str:
    s = identifier(tables.schema)
    drops = [
        f"DROP TRIGGER IF EXISTS masip_reach ON {tables.q(table)};"
        for table in (tables.mark, tables.grant, tables.share, tables.case)
    ]
    drops += [
        f"DROP FUNCTION IF EXISTS {s}.{signature};"
        for signature in REACH_TRIGGER_SIGNATURES
    ]
    return "\n".join(drops)


def reach_rows_predicate(schema: str) -> str:
    """The reach rows that open a case to the request (the reach table's policy)."""
    s = identifier(schema)
    agencies = _setting_ids(s, "agencies")
    site_agencies = f"((SELECT {s}.masip_rls_site_agency_ids())::bigint[])"
    return (
        f"(SELECT {s}.masip_rls_bypass())"
        f" OR (kind = 'lead' AND (agency_id = ANY {agencies}"
        f" OR agency_id = ANY {site_agencies}))"
        f" OR (kind = 'referrer' AND user_id = ANY {_setting_ids(s, 'referrer')})"
        f" OR (kind = 'share' AND agency_id = ANY {agencies} AND expires_at > now())"
        f" OR (kind = 'grant' AND user_id = ANY {_setting_ids(s, 'user_id')}"
        f" AND agency_id = ANY {_setting_ids(s, 'member_agencies')}"
        f" AND expires_at > now())"
        f" OR (kind = 'standards'"
        f" AND agency_id = ANY {_setting_ids(s, 'standards_agencies')})"
    )


def protect_reach_table_sql(schema: str, table: str) -> str:
    """Row-level security on the reach table: read your own rows, write none
    (the triggers write as the owner, inside trusted work)."""
    t = f"{identifier(schema)}.{identifier(table)}"
    s = identifier(schema)
    return (
        f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY;\n"
        f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY;\n"
        f"DROP POLICY IF EXISTS {POLICY_REACH} ON {t};\n"
        f"CREATE POLICY {POLICY_REACH} ON {t} FOR SELECT"
        f" USING ({reach_rows_predicate(schema)});\n"
        f"DROP POLICY IF EXISTS masip_trusted_write ON {t};\n"
        f"CREATE POLICY masip_trusted_write ON {t} FOR ALL"
        f" USING ((SELECT {s}.masip_rls_bypass()))"
        f" WITH CHECK ((SELECT {s}.masip_rls_bypass()));"
    )


def reach_predicate_v3(
    names: ReachNames, table: str, key: Key, column: str, parent: str = ""
) -> str:
    """Version 3 of ``reach_predicate``: each row checked by its own key.

    The row's key is qualified by its table's name: inside a subquery an
    unqualified ``case_id`` would name the subquery's own column.
    """
    s = identifier(names.schema)
    bypass = f"(SELECT {s}.masip_rls_bypass())"
    every_case = f"(SELECT {s}.masip_rls_flag('all_cases'))"
    col = f"{identifier(table)}.{identifier(column)}"
    reach_table = f"{s}.{identifier(names.reach)}"

    def case_reached(case_column: str) -> str:
        # Only the reach rows that open a case to this request are visible.
        return f"EXISTS (SELECT 1 FROM {reach_table} r WHERE r.case_id = {case_column})"  # noqa: S608  # nosec B608: every name passed identifier()

    if key == Key.CASE_ROOT:
        # A case being inserted has no reach rows yet (the trigger writes them
        # after the row), so its own columns decide for the lead and referrer.
        site_agencies = f"((SELECT {s}.masip_rls_site_agency_ids())::bigint[])"
        return (
            f"{bypass} OR {every_case}"
            f" OR lead_agency_id = ANY {_setting_ids(s, 'agencies')}"
            f" OR lead_agency_id = ANY {site_agencies}"
            f" OR created_by_id = ANY {_setting_ids(s, 'referrer')}"
            f" OR {case_reached(col)}"
        )
    if key == Key.CASE:
        # As version 2's ``masip_rls_case_ids()``, a case closed to the user as
        # staff-involved is out of reach here too, so that the block probe
        # (which passes the restrictive policy) opens the case row alone.
        not_blocked = f"{col} NOT IN (SELECT {s}.masip_rls_blocked_case_ids())"
        addressed = ""
        if table == names.share:
            # A share in force to one of the user's agencies opens its case,
            # so the share row itself is in reach. Said first, on its own
            # columns, the application's "shared with my agency" reads
            # thousands of share rows without a reach lookup for each.
            addressed = (
                f" OR (agency_id = ANY {_setting_ids(s, 'agencies')}"
                f" AND revoked_at IS NULL AND expires_at > now() AND {not_blocked})"
            )
        return (
            f"{bypass} OR {every_case}{addressed}"
            f" OR ({case_reached(col)} AND {not_blocked})"
        )
    if key == Key.PERSON_ROOT:
        # A person just created is on no case yet: its creator reaches it
        # until it is added to one (in the same transaction, in practice).
        return (
            f"{bypass} OR {_person_on_case(names, case_reached, col)}"
            f" OR (created_by_id = ANY {_setting_ids(s, 'user_id')}"
            f" AND {s}.masip_rls_person_unattached({col}))"
        )
    if key == Key.PERSON:
        return (
            f"{bypass} OR {_person_on_case(names, case_reached, col)}"
            f" OR {s}.masip_rls_person_new({col})"
        )
    parent_table = f"{s}.{identifier(parent)}"
    return f"{bypass} OR EXISTS (SELECT 1 FROM {parent_table} p WHERE p.id = {col})"  # noqa: S608  # nosec B608: every name passed identifier()


def _person_on_case(
    names: ReachNames, case_reached: Callable[[str], str], col: str
) -> str:
    """A person on a case in reach, not closed to the user as staff-involved."""
    s = identifier(names.schema)
    every_case = f"(SELECT {s}.masip_rls_flag('all_cases'))"
    participant = f"{s}.{identifier(names.participant)}"
    return (
        f"EXISTS (SELECT 1 FROM {participant} p WHERE p.person_id = {col}"  # noqa: S608  # nosec B608: every name passed identifier()
        f" AND ({every_case} OR {case_reached('p.case_id')})"
        f" AND p.case_id NOT IN (SELECT {s}.masip_rls_blocked_case_ids()))"
    )
