"""Lost updates: what the edit pages show when someone else saved first.

A service raises ``StaleEditError`` (carrying the stored values and version).
The view re-renders the user's form with their input kept and bound to the
current version (``resubmittable_form``), and shows the other person's saved
values beside it (``conflict_rows``, rendered by ``includes/conflict.html``).
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.http import QueryDict

from masip.core.errors import StaleEditError
from masip.core.templatetags.govuk import govuk_date


def resubmittable_form[F: forms.Form](
    make_form: Callable[[QueryDict], F], data: QueryDict, error: StaleEditError
) -> F:
    """The user's input again, on the current version, with ``error`` shown.

    Taking the current version means a second submit saves over the other
    person's values, so nothing typed is lost.
    """
    data = data.copy()
    data["version"] = str(error.current_version)
    form = make_form(data)
    form.is_valid()
    form.add_error(None, str(error))
    return form


def conflict_rows(form: forms.Form, current: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, display value) pairs of the other person's saved version.

    Only the form's own fields are shown, so a sealed value the form leaves
    out (for example a restricted location) never reaches the page.
    """
    rows = []
    for name, field in form.fields.items():
        if name not in current or isinstance(field.widget, forms.HiddenInput):
            continue
        rows.append((str(field.label), display_value(field, current[name])))
    return rows


def display_value(field: forms.Field, value: Any) -> str:
    """A stored value as the user reads it: choice labels, GOV.UK dates."""
    choices = dict(getattr(field, "choices", ()) or ())
    if isinstance(value, list | tuple):
        shown = [str(choices.get(v, v)) for v in value]
        return ", ".join(shown) if shown else "None"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value in (None, ""):
        return "Not recorded"
    if isinstance(value, dt.date):
        return govuk_date(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(choices.get(value, value))
