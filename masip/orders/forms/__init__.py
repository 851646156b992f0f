"""Forms for orders, conditions, notification requirements and breaches
(one module per area, as the views; shared field builders in ``_fields``).
Import them from here (``from masip.orders.forms import OrderRecordForm``).
"""

from masip.orders.forms.breaches import (
    BreachRecordForm,
    BreachUpdateForm,
    ReviewConfirmForm,
    ReviewDismissForm,
)
from masip.orders.forms.changes import DischargeForm, RenewForm, ServeForm, VaryForm
from masip.orders.forms.dashboard import ALL_AGENCIES, DashboardFilterForm
from masip.orders.forms.notifications import (
    NotificationChangeForm,
    NotificationMadeForm,
)
from masip.orders.forms.orders import (
    CONDITION_ROWS,
    NO_OWNER,
    ConditionAddForm,
    OrderRecordForm,
)

__all__ = [
    "ALL_AGENCIES",
    "CONDITION_ROWS",
    "NO_OWNER",
    "BreachRecordForm",
    "BreachUpdateForm",
    "ConditionAddForm",
    "DashboardFilterForm",
    "DischargeForm",
    "NotificationChangeForm",
    "NotificationMadeForm",
    "OrderRecordForm",
    "RenewForm",
    "ReviewConfirmForm",
    "ReviewDismissForm",
    "ServeForm",
    "VaryForm",
]
