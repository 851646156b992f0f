"""The evidence upload form."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from masip.core.forms import GovukForm
from masip.core.templatetags.govuk import govuk_date
from masip.evidence.services import too_large_message
from masip.incidents.models import Incident

DESCRIPTION_CHARS = 2000


class GovukFileInput(forms.FileInput):
    template_name = "evidence/widgets/file_input.html"


class EvidenceUploadForm(GovukForm):
    file = forms.FileField(
        label="File",
        widget=GovukFileInput,
        error_messages={
            "required": "Select a file to upload.",
            "invalid": "Select a file to upload.",
            "missing": "Select a file to upload.",
            "empty": "The selected file is empty.",
        },
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=DESCRIPTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the file shows, who gave it to you and when.",
        error_messages={
            "max_length": (
                f"Description must be {DESCRIPTION_CHARS:,} characters or fewer."
            )
        },
    )
    incident = forms.ChoiceField(
        label="Incident",
        required=False,
        help_text="The incident this file is evidence of, if there is one.",
        error_messages={"invalid_choice": "Select an incident of this case."},
    )

    def __init__(
        self, *args: Any, incidents: list[tuple[str, Incident]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.incidents = dict(incidents)
        self.max_bytes: int = settings.MASIP_EVIDENCE_MAX_BYTES
        self.fields["file"].help_text = (
            f"Up to {filesizeformat(self.max_bytes)}: images, PDF, text or CSV, "
            "zip exports, XML, emails (.eml or .mbox), audio or video. MASIP "
            "checks what the file is from its contents, not its name."
        )
        choice = self.fields["incident"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("", "Not linked to an incident")] + [
            (key, f"{govuk_date(incident.occurred_at)}: {incident.narrative[:60]}")
            for key, incident in incidents
        ]

    def clean_file(self) -> UploadedFile:
        uploaded: UploadedFile = self.cleaned_data["file"]
        if uploaded.size is not None and uploaded.size > self.max_bytes:
            raise forms.ValidationError(too_large_message(self.max_bytes))
        return uploaded

    def describe_fields(self) -> None:
        super().describe_fields()
        widget = self.fields["file"].widget
        if self.is_bound and "file" in self.errors:
            widget.attrs["class"] = "govuk-file-upload--error"

    def chosen_incident(self) -> Incident | None:
        key = self.cleaned_data.get("incident") or ""
        return self.incidents.get(key)
