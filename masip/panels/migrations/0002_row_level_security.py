"""Row-level security for the panel records about a case (PostgreSQL only).

Agenda items, information-sharing records and actions follow their case:
a request reads them only on cases in its reach. Panels, meetings and
attendance hold no case data.
"""

from django.db import migrations

from masip.isolation.operations import ProtectCaseScopedTable


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0001_initial"),
        # The version 2 policy functions every protected table's policies call.
        ("isolation", "0003_staff_involved_and_subject_access"),
    ]

    operations = [
        ProtectCaseScopedTable("panels.AgendaItem", via="case"),
        ProtectCaseScopedTable("panels.InformationShare", via="case"),
        ProtectCaseScopedTable("panels.Action", via="case"),
    ]
