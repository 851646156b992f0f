"""Row-level security version 3: the reach table and row-by-row policies.

Versions 1 and 2 listed a user's whole reach once per statement, so every
statement on a case-keyed table took time in proportion to the cases the user
reaches (seconds at 500,000 cases). From here each row is checked by its own
key: the reach table holds one row per way into a case (lead agency,
referrer, share in force, break-the-glass grant, staff-involved mark), kept by
triggers; its policy shows a request only the rows that open a case to it;
and a row of a case-keyed table passes when its case has one (an index lookup
by case id). Tables protected by later migrations get the same policies from
``ProtectCaseScopedTable``. Depends on every app's latest migration so that
every table protected so far is rewritten here. See ADR 0035. PostgreSQL
only; on SQLite the table is created and stays empty.
"""

from django.db import migrations, models

from masip.isolation.operations import InstallCaseReach


class Migration(migrations.Migration):

    dependencies = [
        ('isolation', '0003_staff_involved_and_subject_access'),
        ('accounts', '0010_alter_membership_role'),
        ('alerts', '0002_address_match_rule'),
        ('cases', '0008_case_list_filter_indexes'),
        ('disclosure', '0002_alter_disclosureitem_source_type'),
        ('evidence', '0003_csv_column_mapping'),
        ('helpline', '0002_seed_advice_topics'),
        ('incidents', '0003_incident_escalations'),
        ('interventions', '0002_row_level_security'),
        ('orders', '0002_row_level_security'),
        ('panels', '0004_agenda_reason_breach'),
        ('people', '0005_search_indexes'),
        ('referrals', '0003_helpline_handover'),
        ('risk', '0004_recognitiondecision'),
        ('safety', '0003_contact_initiated_by_victim'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseReach',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('case_id', models.BigIntegerField()),
                ('kind', models.CharField(choices=[('lead', 'lead'), ('referrer', 'referrer'), ('share', 'share'), ('grant', 'grant'), ('standards', 'standards')], max_length=9)),
                ('source_id', models.BigIntegerField()),
                ('agency_id', models.BigIntegerField(null=True)),
                ('user_id', models.BigIntegerField(null=True)),
                ('expires_at', models.DateTimeField(null=True)),
            ],
            options={
                'indexes': [models.Index(fields=['case_id'], name='case_reach_case'), models.Index(fields=['agency_id', 'kind'], name='case_reach_agency'), models.Index(fields=['user_id', 'kind'], name='case_reach_user')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'source_id'), name='case_reach_one_per_source')],
            },
        ),
        InstallCaseReach(),
    ]
