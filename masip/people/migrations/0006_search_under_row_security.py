"""Name and alias search that the trigram indexes can answer under row-level
security (PostgreSQL only; ADR 0033, ADR 0035).

Under row-level security PostgreSQL checks a table's policies before any
condition that is not leakproof, and ``LIKE`` is not: a search by name as the
application role therefore checked the policy of every person (a million at
national scale) before looking at a name. ``masip_people_matching(words,
phrase, cap)`` finds the people whose given or family name holds every word,
or who have an alias holding the phrase, as the owner inside trusted work and
through the GIN trigram indexes, then keeps only the people the request
reaches (the people table's policy, written out): never an id outside its
reach, and the caller reads them through the policies again. More than ``cap`` matches return ``NULL`` (too common to look up by id; the
caller falls back to the plain filter).
"""

from django.db import migrations

from masip.isolation.operations import PostgresOnlySQL

FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION {schema}.masip_people_matching(
  words text[], phrase text, cap integer
)
RETURNS bigint[]
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  previous text := {schema}.masip_rls_text('trusted');
  patterns text[];
  named text := '';
  aliased text := '';
  user_ids bigint[] := {schema}.masip_rls_ids('user_id');
  agencies bigint[] := {schema}.masip_rls_ids('agencies');
  site_agencies bigint[] := {schema}.masip_rls_site_agency_ids();
  referrer bigint[] := {schema}.masip_rls_ids('referrer');
  member_agencies bigint[] := {schema}.masip_rls_ids('member_agencies');
  standards bigint[] := {schema}.masip_rls_ids('standards_agencies');
  every_case boolean := {schema}.masip_rls_flag('all_cases');
  blocked bigint[] := ARRAY(SELECT {schema}.masip_rls_blocked_case_ids());
  found bigint[];
  visible bigint[];
BEGIN
  IF cardinality(user_ids) = 0 THEN
    RETURN '{}'::bigint[];
  END IF;
  -- Each word (and the phrase) as a LIKE pattern, its wildcards taken
  -- literally, upper case as the indexes are: $1[i] the words, $2 the phrase.
  SELECT coalesce(array_agg('%' || upper(replace(replace(replace(
           w, '\', '\\'), '%', '\%'), '_', '\_')) || '%' ORDER BY n), '{}')
    INTO patterns FROM unnest(coalesce(words, '{}')) WITH ORDINALITY AS u(w, n);
  FOR i IN 1 .. cardinality(patterns) LOOP
    named := named || CASE WHEN i = 1 THEN '' ELSE ' AND ' END
      || format('(upper(pe.given_name::text) LIKE $1[%s]'
                ' OR upper(pe.family_name::text) LIKE $1[%s])', i, i);
  END LOOP;
  IF named = '' THEN
    named := 'false';
  END IF;
  IF phrase IS NOT NULL THEN
    aliased := ' UNION SELECT a.person_id FROM {schema}.people_personalias a'
               ' WHERE upper(a.name::text) LIKE $2';
  END IF;
  PERFORM set_config('masip.trusted', 'on', true);
  -- EXECUTE plans with the patterns' values, so the trigram indexes are used
  -- (every word at once: the intersection of common words is small).
  EXECUTE
    'SELECT array_agg(m.id) FROM ('
    ' SELECT pe.id FROM {schema}.people_person pe WHERE ' || named
    || aliased || ' LIMIT $3 + 1) m'
    INTO found
    USING patterns,
          '%' || upper(replace(replace(replace(
            coalesce(phrase, ''), '\', '\\'), '%', '\%'), '_', '\_')) || '%',
          cap;
  IF cardinality(found) > cap THEN
    PERFORM set_config('masip.trusted', previous, true);
    RETURN NULL;
  END IF;
  -- Only the people the request reaches, by the people table's policy
  -- written out (the owner may be a superuser, whom policies do not bind):
  -- on a case in reach and not closed to the user as staff-involved, or
  -- created by the user and on no case yet.
  SELECT array_agg(pe.id ORDER BY pe.id) INTO visible
    FROM {schema}.people_person pe
   WHERE pe.id = ANY (coalesce(found, '{}'::bigint[]))
     AND (EXISTS (
           SELECT 1 FROM {schema}.cases_caseparticipant p
            WHERE p.person_id = pe.id
              AND NOT (p.case_id = ANY (blocked))
              AND (every_case OR EXISTS (
                SELECT 1 FROM {schema}.isolation_casereach r
                 WHERE r.case_id = p.case_id
                   AND ((r.kind = 'lead' AND (r.agency_id = ANY (agencies)
                                              OR r.agency_id = ANY (site_agencies)))
                        OR (r.kind = 'referrer' AND r.user_id = ANY (referrer))
                        OR (r.kind = 'share' AND r.agency_id = ANY (agencies)
                            AND r.expires_at > now())
                        OR (r.kind = 'grant' AND r.user_id = ANY (user_ids)
                            AND r.agency_id = ANY (member_agencies)
                            AND r.expires_at > now())
                        OR (r.kind = 'standards' AND r.agency_id = ANY (standards))))))
          OR (pe.created_by_id = ANY (user_ids)
              AND NOT EXISTS (SELECT 1 FROM {schema}.cases_caseparticipant x
                               WHERE x.person_id = pe.id)));
  PERFORM set_config('masip.trusted', previous, true);
  RETURN coalesce(visible, '{}'::bigint[]);
END
$$;
"""
DROP_SQL = "DROP FUNCTION IF EXISTS {schema}.masip_people_matching(text[], text, integer);"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_search_indexes"),
        ("isolation", "0004_case_reach"),
    ]

    operations = [PostgresOnlySQL(FUNCTION_SQL, DROP_SQL)]
