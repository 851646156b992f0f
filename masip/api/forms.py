"""The query parameters of the API's case list, checked strictly (400 if bad)."""

from typing import Any

from django import forms

from masip.cases.models import CaseStatus, RiskLevel

Q_MAX = 100


class CaseListQuery(forms.Form):
    status = forms.ChoiceField(choices=CaseStatus.choices, required=False)
    risk_level = forms.ChoiceField(choices=RiskLevel.choices, required=False)
    q = forms.CharField(max_length=Q_MAX, required=False)
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``case_list_for`` (call once valid)."""
        data = self.cleaned_data
        return {
            "status": data["status"],
            "risk_level": data["risk_level"],
            "q": data["q"],
        }
