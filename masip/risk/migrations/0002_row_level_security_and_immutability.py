"""Row-level security for assessments, and no updates to them (PostgreSQL
only; no-ops on SQLite, where ``Assessment.save`` refuses updates).

Assessments follow their case. A trigger refuses any UPDATE that changes
more than the sealed columns, so an assessment cannot be rewritten even by
SQL that bypasses the model. Key rotation (``masip keys rotate``) re-seals
those columns in place, which changes their ciphertext but not what they
say; deletion stays possible, for retention's disposal of a whole case.
"""

from django.db import migrations

from masip.isolation.operations import ProtectCaseScopedTable

FORBID = """
CREATE FUNCTION risk_assessment_refuse_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (to_jsonb(NEW) - 'answers_sealed' - 'result_sealed' - 'override_rationale')
       IS DISTINCT FROM
       (to_jsonb(OLD) - 'answers_sealed' - 'result_sealed' - 'override_rationale')
    THEN
        RAISE EXCEPTION 'A risk assessment is never changed; record a new one.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER risk_assessment_no_update BEFORE UPDATE ON risk_assessment
    FOR EACH ROW EXECUTE FUNCTION risk_assessment_refuse_update();
"""
ALLOW = """
DROP TRIGGER IF EXISTS risk_assessment_no_update ON risk_assessment;
DROP FUNCTION IF EXISTS risk_assessment_refuse_update();
"""


def forbid_updates(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def allow_updates(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [
        ("risk", "0001_initial"),
        ("isolation", "0003_staff_involved_and_subject_access"),
    ]

    operations = [
        ProtectCaseScopedTable("risk.Assessment", via="case"),
        migrations.RunPython(forbid_updates, allow_updates),
    ]
