"""Forms of the helpline pages, one module per page group; import them from
here (``from masip.helpline.forms import ContactForm``).

* ``contact``: the home page's start and caller search, the live-call page;
* ``advice``: adding or changing an advice topic;
* ``handover``: the handover page (consent, programme, who to contact);
* ``stats``: the statistics page's month range.
"""

from masip.helpline.forms.advice import AdviceTopicForm
from masip.helpline.forms.contact import (
    PROBLEM_FIELD,
    CallerSearchForm,
    ContactForm,
    StartForm,
    query_dict,
    textarea,
)
from masip.helpline.forms.handover import HandoverForm
from masip.helpline.forms.stats import MonthRangeForm, MonthSelect, month_choices

__all__ = [
    "PROBLEM_FIELD",
    "AdviceTopicForm",
    "CallerSearchForm",
    "ContactForm",
    "HandoverForm",
    "MonthRangeForm",
    "MonthSelect",
    "StartForm",
    "month_choices",
    "query_dict",
    "textarea",
]
