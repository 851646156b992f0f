"""Writes to the helpline: a contact's life (start, autosave, finish,
reopen, discard), the caller link, and the list of advice topics.

A draft belongs to the adviser who took the contact: only they fill it in;
a finished contact reopened to correct it may also be corrected by a
helpline manager, who may also discard a colleague's abandoned draft.
Starting, finishing, reopening, discarding, linking a caller and a
safeguarding override are audited; autosaves are not, one by one.

The services live in one module per thing they handle; import them from
here (``from masip.helpline import services``):

* ``contacts``: start, finish, reopen, discard, record a view;
* ``autosave``: saving a draft's answers as the adviser goes;
* ``callers``: the caller key, linking and unlinking;
* ``advice``: the advice topics;
* ``_common``: the refusal, who may act, locking, versions, auditing.
"""

from masip.helpline.services._common import ContactRefused
from masip.helpline.services.advice import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    advice_topic_add,
    advice_topic_change,
    advice_topic_move,
    advice_topic_set_active,
)
from masip.helpline.services.autosave import (
    CLASH_MARK,
    OVERRIDE_FIELDS,
    AutosaveResult,
    contact_autosave,
)
from masip.helpline.services.callers import (
    CALLER_DOMAIN,
    caller_key,
    contact_unlink_caller,
)
from masip.helpline.services.contacts import (
    ContactIncomplete,
    completion_problems,
    contact_complete,
    contact_discard,
    contact_reopen,
    contact_start,
    record_contact_view,
    risk_level,
)

__all__ = [
    "CALLER_DOMAIN",
    "CLASH_MARK",
    "DESCRIPTION_MAX",
    "OVERRIDE_FIELDS",
    "TITLE_MAX",
    "AutosaveResult",
    "ContactIncomplete",
    "ContactRefused",
    "advice_topic_add",
    "advice_topic_change",
    "advice_topic_move",
    "advice_topic_set_active",
    "caller_key",
    "completion_problems",
    "contact_autosave",
    "contact_complete",
    "contact_discard",
    "contact_reopen",
    "contact_start",
    "contact_unlink_caller",
    "record_contact_view",
    "risk_level",
]
