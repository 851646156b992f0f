"""Forms for marking a case as involving an agency's staff, and clearing it."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from masip.accounts.models import Agency
from masip.cases.models import CaseStaffInvolvement
from masip.core.forms import GovukForm, form_field

REASON_MIN = 10


def _reason_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        min_length=REASON_MIN,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the reason.",
            "min_length": f"The reason must be at least {REASON_MIN} characters.",
        },
    )


class StaffInvolvedMarkForm(GovukForm):
    agency = forms.ModelChoiceField(
        label="Agency whose staff are involved",
        help_text=(
            "Everyone in that agency loses access to the case at once, except "
            "its professional standards staff. If it is your own agency, you "
            "lose access too."
        ),
        queryset=Agency.objects.none(),
        error_messages={
            "required": "Select the agency.",
            "invalid_choice": "Select an agency from the list.",
        },
    )
    reason = _reason_field(
        "Why the case involves that agency's staff",
        "For example: the person who stalks is a serving officer. Do not "
        "include addresses.",
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any):
        super().__init__(*args, **kwargs)
        form_field(self, "agency", forms.ModelChoiceField).queryset = agencies


class MarkChoiceField(forms.ModelChoiceField):
    """Marks, each labelled by the agency it names."""

    def label_from_instance(self, obj: CaseStaffInvolvement) -> str:
        return obj.agency.name


class StaffInvolvedClearForm(GovukForm):
    mark = MarkChoiceField(
        label="Mark to clear",
        queryset=CaseStaffInvolvement.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the mark to clear.",
            "invalid_choice": "Select a mark from the list.",
        },
    )
    reason = _reason_field(
        "Why the mark is no longer needed",
        "That agency's staff can open the case again once it is cleared.",
    )

    def __init__(
        self, *args: Any, marks: QuerySet[CaseStaffInvolvement], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        form_field(self, "mark", MarkChoiceField).queryset = marks
