"""The starting retention schedule: every agency kind, both record classes.

These are defaults for an agency to confirm or replace with its own schedule
(`masip retention_schedule --set ...`); they never delete anything, they only
say when a closed case is first reviewed and how often after that.
"""

from django.db import migrations

POLICE_BASIS = {
    "public_protection": (
        "Modelled on the earlier MoPI grouping for certain public-protection "
        "matters, reviewed every 10 years. Confirm against the College of "
        "Policing APP on review, retention and disposal."
    ),
    "standard": (
        "The earlier MoPI guidance's normal minimum of six years before "
        "review. Confirm against the College of Policing APP on review, "
        "retention and disposal."
    ),
}
OTHER_BASIS = (
    "A starting point only: replace it with your organisation's own records "
    "retention schedule."
)
PERIODS = {"public_protection": (10, 10), "standard": (6, 6)}
KINDS = (
    "police",
    "probation",
    "nhs_mental_health",
    "advocacy",
    "helpline",
    "cps",
    "local_authority",
    "programme_office",
)


def create(apps, schema_editor):
    schedules = apps.get_model("retention", "RetentionSchedule").objects.using(
        schema_editor.connection.alias
    )
    for kind in KINDS:
        for record_class, (first, interval) in PERIODS.items():
            basis = POLICE_BASIS[record_class] if kind == "police" else OTHER_BASIS
            schedules.update_or_create(
                agency_kind=kind,
                record_class=record_class,
                defaults={
                    "first_review_years": first,
                    "review_interval_years": interval,
                    "basis": basis,
                },
            )


def remove(apps, schema_editor):
    schedules = apps.get_model("retention", "RetentionSchedule").objects
    schedules.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
