"""Identity matching across cases: one narrow door past row-level security.

Before a referral's people become people on a case, the referrer and the
coordinator are shown who on record may be the same person (ADR 0027). Under
row-level security the application's role sees only the people on cases in
the request's reach, so it cannot tell that the same perpetrator is on a case
another agency leads; yet that is exactly what intake must learn, without
learning anything else about that case.

``masip_referral_matches(probe_names, probe_family, probe_born, probe_indexes)``
is that door. It runs as the owner of the tables (``SECURITY DEFINER``, with a
fixed ``search_path``) with ``masip.trusted`` on for its own queries only (as
the ``masip_rls_*`` functions in masip/isolation/sql.py do: a setting the
application role cannot make count, restored before it returns), and takes:

* ``probe_names``: lower-case full names to look for (the probe's own name and
  its aliases, spaces collapsed);
* ``probe_family``: the lower-case family name, and ``probe_born``: an exact
  date of birth (a date of birth counts only together with the family name:
  a birthday alone is shared by one person in 365);
* ``probe_indexes``: blind indexes of identifiers (masip.crypto.blind
  ``identifier_index``: phone, email, social media handle, vehicle).

It returns one row per case on which a matching person is a participant:
``(case_id, lead_agency_id, matched)``, where ``matched`` lists what matched
(``name``, ``alias``, ``birth``, or an identifier kind). Never a name, a
reference, a role or anything else held about the case or the person. Cases
marked as involving the staff of an agency the user works for are left out
(``masip_rls_blocked_case_ids()``, from the request's ``masip.staff_agencies``):
the block beats every way in, this one included. The application shows a case
outside the user's reach only as "a possible match exists on a case led by
<agency>"; for cases in reach it reads the people through the ordinary,
policed queries.

SQLite has no row-level security: there ``masip/referrals/matching.py`` runs
the same query through the ORM.
"""

from django.db import migrations

from masip.isolation.operations import PostgresOnlySQL

FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION {schema}.masip_referral_matches(
    probe_names text[], probe_family text, probe_born date, probe_indexes text[]
) RETURNS TABLE (case_id bigint, lead_agency_id bigint, matched text[])
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE previous text := {schema}.masip_rls_text('trusted');
BEGIN
  PERFORM set_config('masip.trusted', 'on', true);
  RETURN QUERY
    WITH hits (person_id, why) AS (
      SELECT pe.id, 'name'::text FROM {schema}.people_person pe
       WHERE lower(btrim(pe.given_name || ' ' || pe.family_name))
             = ANY (coalesce(probe_names, '{}'::text[]))
      UNION ALL
      SELECT al.person_id, 'alias'::text FROM {schema}.people_personalias al
       WHERE lower(btrim(al.name)) = ANY (coalesce(probe_names, '{}'::text[]))
      UNION ALL
      SELECT pe.id, 'birth'::text FROM {schema}.people_person pe
       WHERE probe_born IS NOT NULL
         AND coalesce(probe_family, '') <> ''
         AND pe.date_of_birth = probe_born
         AND pe.birth_date_precision = 'exact'
         AND lower(pe.family_name) = probe_family
      UNION ALL
      SELECT pi.person_id, pi.kind::text FROM {schema}.people_personidentifier pi
       WHERE pi.value_index <> ''
         AND pi.value_index = ANY (coalesce(probe_indexes, '{}'::text[]))
    )
    SELECT c.id, c.lead_agency_id, array_agg(DISTINCT h.why ORDER BY h.why)
      FROM hits h
      JOIN {schema}.cases_caseparticipant p ON p.person_id = h.person_id
      JOIN {schema}.cases_case c ON c.id = p.case_id
     WHERE c.id NOT IN (SELECT {schema}.masip_rls_blocked_case_ids())
     GROUP BY c.id, c.lead_agency_id;
  PERFORM set_config('masip.trusted', previous, true);
END
$$;
"""

DROP_SQL = "DROP FUNCTION IF EXISTS {schema}.masip_referral_matches(text[], text, date, text[]);"


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_initial"),
        ("cases", "0005_case_recorded_as"),
        ("people", "0003_sealed_fields"),
        # masip_rls_text and masip_rls_blocked_case_ids (version 2).
        ("isolation", "0003_staff_involved_and_subject_access"),
    ]

    operations = [PostgresOnlySQL(sql=FUNCTION_SQL, reverse_sql=DROP_SQL)]
