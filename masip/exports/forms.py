"""The export form: a stated purpose and, when the factor is stale, the step-up."""

from django import forms

from masip.accounts.stepup import StepUpFormMixin
from masip.core.forms import GovukForm

PURPOSE_MIN = 10
PURPOSE_MAX = 500


class ExportForm(StepUpFormMixin, GovukForm):
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

    def clean_purpose(self) -> str:
        return " ".join(self.cleaned_data["purpose"].split())
