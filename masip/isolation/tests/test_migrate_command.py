"""``masip migrate`` refuses a database alias it cannot migrate through."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_migrate_through_another_alias_is_refused_with_the_command_that_works():
    with pytest.raises(CommandError) as refused:
        call_command("migrate", database="owner", verbosity=0)

    message = str(refused.value)
    assert "'owner'" in message
    assert 'DATABASE_URL="$MASIP_MIGRATE_DATABASE_URL" masip migrate' in message


@pytest.mark.django_db
def test_migrate_on_the_default_database_runs():
    call_command("migrate", verbosity=0, check_unapplied=True)
