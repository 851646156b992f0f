"""The export form: a stated purpose and, when the factor is stale, a fresh code."""

from typing import Any

from django import forms

from masip.core.forms import GovukForm

PURPOSE_MIN = 10
PURPOSE_MAX = 500


class ExportForm(GovukForm):
    purpose = forms.CharField(
        label="Why are you exporting this list?",
        help_text=(
            "For example, the panel meeting it is for. Your reason is printed on "
            "the file and kept in the audit trail."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=PURPOSE_MIN,
        max_length=PURPOSE_MAX,
        error_messages={
            "required": "Enter why you are exporting this list.",
            "min_length": f"Reason must be {PURPOSE_MIN} characters or more.",
            "max_length": f"Reason must be {PURPOSE_MAX} characters or fewer.",
        },
    )
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text=(
            "Exporting needs a second factor from the last few minutes. Enter the "
            "6-digit code your authenticator app shows now."
        ),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def __init__(self, *args: Any, needs_code: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_code = needs_code
        if needs_code:
            self.fields["code"].required = True
            self.fields["code"].error_messages["required"] = (
                "Enter the code from your authenticator app."
            )
        else:
            del self.fields["code"]

    def clean_purpose(self) -> str:
        return " ".join(self.cleaned_data["purpose"].split())
