"""Row-level security for orders and what hangs off them (PostgreSQL only).

Orders follow their case; conditions, history, notification requirements,
breaches and reviews follow their order; the link tables follow their order,
breach or review.
"""

from django.db import migrations

from masip.isolation.operations import ProtectCaseScopedTable


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        # The version 2 policy functions every protected table's policies call.
        ("isolation", "0003_staff_involved_and_subject_access"),
    ]

    operations = [
        ProtectCaseScopedTable("orders.Order", via="case"),
        ProtectCaseScopedTable("orders.OrderProtectedPerson", via="order"),
        ProtectCaseScopedTable("orders.OrderCondition", via="order"),
        ProtectCaseScopedTable("orders.OrderEvent", via="order"),
        ProtectCaseScopedTable("orders.NotificationRequirement", via="order"),
        ProtectCaseScopedTable("orders.Breach", via="order"),
        ProtectCaseScopedTable("orders.BreachCondition", via="breach"),
        ProtectCaseScopedTable("orders.BreachReview", via="order"),
        ProtectCaseScopedTable("orders.BreachReviewCondition", via="review"),
    ]
