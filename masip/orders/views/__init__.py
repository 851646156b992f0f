"""Order pages on a case: the list, recording one, one order with its
conditions, history, notification requirements and breaches, the forms that
change it, breaches, and the decision on a possible breach.

Thin: the case comes from the access module (CaseView), reads from
``selectors``, writes through ``services``. One module per area; what the
pages share (the form page) is in ``_base``. The views are re-exported here
for ``masip/orders/urls.py`` (``views.OrderListView``).
"""

from masip.orders.views.breaches import (
    BreachDetailView,
    BreachRecordView,
    BreachUpdateView,
)
from masip.orders.views.changes import (
    ConditionAddView,
    DischargeView,
    RenewView,
    ServeView,
    VaryView,
)
from masip.orders.views.notifications import (
    NotificationChangeView,
    NotificationMadeView,
)
from masip.orders.views.orders import OrderDetailView, OrderListView, OrderRecordView
from masip.orders.views.reviews import ReviewConfirmView, ReviewDismissView

__all__ = [
    "BreachDetailView",
    "BreachRecordView",
    "BreachUpdateView",
    "ConditionAddView",
    "DischargeView",
    "NotificationChangeView",
    "NotificationMadeView",
    "OrderDetailView",
    "OrderListView",
    "OrderRecordView",
    "RenewView",
    "ReviewConfirmView",
    "ReviewDismissView",
    "ServeView",
    "VaryView",
]
