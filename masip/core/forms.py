"""GOV.UK Design System forms on Django's form machinery.

``GovukFormRenderer`` renders every form and field through the templates in
``templates/govuk/forms/`` (label, hint, error message, widget), so forms stay
plain Django forms. ``GovukDateField`` is the GOV.UK three-box date input.
"""

import datetime as dt
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

from masip.core.errors import DomainError


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


class GovukDateWidget(forms.MultiWidget):
    template_name = "govuk/forms/date_widget.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "size": 2}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "size": 2}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: dt.date | None) -> list[int | None]:
        if value is None:
            return [None, None, None]
        return [value.day, value.month, value.year]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK error wording."""

    widget = GovukDateWidget
    default_error_messages = {
        "invalid": "Enter a real date.",
        "incomplete": "Enter a full date, with a day, month and year.",
    }

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.IntegerField(min_value=1, max_value=31),
            forms.IntegerField(min_value=1, max_value=12),
            forms.IntegerField(min_value=1900, max_value=2200),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[int | None]) -> dt.date | None:
        # Each part has been through IntegerField.clean: an int, or None if blank.
        if not data_list or all(part is None for part in data_list):
            return None
        day, month, year = data_list
        if day is None or month is None or year is None:
            raise forms.ValidationError(self.error_messages["incomplete"])
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"]) from exc


class GovukTimeField(forms.TimeField):
    """A time typed as 14:30 or 2:30pm."""

    input_formats = ["%H:%M", "%H.%M", "%I:%M%p", "%I:%M %p", "%I%p", "%I %p"]
    default_error_messages = {"invalid": "Enter a time such as 14:30 or 2:30pm."}
    widget = forms.TextInput(
        attrs={
            "class": "govuk-input--width-5",
            "autocomplete": "off",
            "spellcheck": "false",
        }
    )

    def to_python(self, value: Any) -> dt.time | None:
        if isinstance(value, str):
            value = value.strip().lower().replace("am", "AM").replace("pm", "PM")
        return super().to_python(value)


class VersionField(forms.IntegerField):
    """The version of the record the form was opened with (lost-update guard)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, **kwargs)


def form_field[F: forms.Field](form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """``form.fields[name]`` as the kind of field the form declares there.

    ``BaseForm.fields`` holds plain ``Field``s as far as the type checker knows;
    this narrows one so that its ``choices`` or ``queryset`` can be set.
    """
    field = form.fields[name]
    assert isinstance(field, kind), f"{name} is a {type(field).__name__}"
    return field


def show_refusal(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal on the field it names (its ``field``), else
    on the whole form (the top of the error summary)."""
    name = getattr(error, "field", "")
    form.add_error(name if name in form.fields else None, str(error))


class GovukForm(forms.Form):
    """A form whose inputs point at their hint and error (``aria-describedby``)."""

    def clean(self) -> dict[str, Any]:
        # Form.clean returns cleaned_data; the stubs say "or None" only because
        # an override may return nothing.
        super().clean()
        return self.cleaned_data

    def full_clean(self) -> None:
        super().full_clean()
        self.describe_fields()

    def describe_fields(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}-hint")
            if self.is_bound and name in self.errors:
                ids.append(f"{bound.auto_id}-error")
                css = field.widget.attrs.get("class", "")
                if "error" not in css:
                    error_class = _ERROR_CLASSES.get(type(field.widget).__name__, "")
                    field.widget.attrs["class"] = f"{css} {error_class}".strip()
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def error_list(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the GOV.UK error summary."""
        items: list[tuple[str, str]] = []
        for name, errors in self.errors.items():
            anchor = self._anchor(name) if name in self.fields else ""
            items.extend((anchor, str(message)) for message in errors)
        return items

    def _anchor(self, name: str) -> str:
        """The id of the first input of a field, for the error summary link."""
        bound = self[name]
        if bound.id_for_label:
            return bound.id_for_label
        # Multi-part inputs (the date) and choice lists number their inputs.
        return f"{bound.auto_id}_0"


_ERROR_CLASSES = {
    "TextInput": "govuk-input--error",
    "EmailInput": "govuk-input--error",
    "NumberInput": "govuk-input--error",
    "PasswordInput": "govuk-input--error",
    "TimeInput": "govuk-input--error",
    "Textarea": "govuk-textarea--error",
    "Select": "govuk-select--error",
    "GovukDateWidget": "govuk-input--error",
}
