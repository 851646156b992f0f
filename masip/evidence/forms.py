"""The evidence forms: upload, import into the timeline, timeline filters."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat, pluralize

from masip.core.forms import GovukForm, form_field
from masip.core.templatetags.govuk import govuk_date
from masip.evidence.imports import PARTICIPANT_CHARS
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


# Importing into the timeline ------------------------------------------------

DATE_ORDER_CHOICES = [
    ("", "Work it out from the file"),
    ("dmy", "Day first, for example 13/02/2024"),
    ("mdy", "Month first, for example 02/13/2024"),
]


# The roles a CSV column can play (parsers.csv_log.ColumnMapping), as asked.
COLUMN_ROLES = [
    ("time", "Date, or date and time"),
    ("clock", "Time of day, if it has a column of its own"),
    ("sender", "Who sent it"),
    ("recipient", "Who received it"),
    ("party", "The other person, if one column holds them both ways"),
    ("text", "Message text"),
    ("direction", "Direction (incoming or outgoing)"),
    ("duration", "Call length"),
    ("channel", "Channel (SMS, call, email...)"),
]
NOT_IN_FILE = ""


class EvidenceImportForm(GovukForm):
    """Import an export into the timeline; for a CSV log it also asks which
    column holds what, filled in with MASIP's guesses to confirm or correct."""

    perpetrator_participant = forms.CharField(
        label="The perpetrator's name or number in the export",
        required=False,
        max_length=PARTICIPANT_CHARS,
        help_text=(
            "Exactly as the chat or phone shows them, for example a name or "
            "07700 900123. Capitals, spaces and invisible marks do not matter. "
            "If you are not sure, leave it blank: you can choose from the people "
            "in the file once the import has finished."
        ),
        error_messages={
            "max_length": (
                f"The name or number must be {PARTICIPANT_CHARS} characters or fewer."
            )
        },
    )
    date_order = forms.ChoiceField(
        label="Order of the dates in the file",
        required=False,
        choices=DATE_ORDER_CHOICES,
        initial="",
        widget=forms.RadioSelect,
        help_text=(
            "Phones write dates day first or month first. MASIP works it out "
            "from the file, and asks you only when every date fits both."
        ),
        error_messages={"invalid_choice": "Select the order of the dates."},
    )

    def __init__(
        self,
        *args: Any,
        columns: list[str] | None = None,
        suggested: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns or []
        choices = [(NOT_IN_FILE, "Not in this file")] + [(c, c) for c in self.columns]
        for role, label in COLUMN_ROLES if self.columns else []:
            self.fields[f"column_{role}"] = forms.ChoiceField(
                label=label,
                required=role == "time",
                choices=choices,
                help_text=(
                    "This is a spreadsheet log: say which column holds what. "
                    "MASIP has filled in its guesses from the column names; "
                    "check each one."
                    if role == "time"
                    else ""
                ),
                initial=(suggested or {}).get(role, NOT_IN_FILE),
                error_messages={
                    "required": "Select the column that holds the date.",
                    "invalid_choice": "Select a column of this file.",
                },
            )

    def column_mapping(self) -> dict[str, str]:
        """The confirmed mapping, role to column; empty for other exports."""
        return {
            role: self.cleaned_data[f"column_{role}"]
            for role, _ in COLUMN_ROLES
            if self.cleaned_data.get(f"column_{role}")
        }


class PerpetratorChoiceForm(GovukForm):
    evidence_import = forms.UUIDField(widget=forms.HiddenInput)
    participant = forms.ChoiceField(
        label="Who is the perpetrator?",
        widget=forms.RadioSelect,
        help_text="Their messages and calls are tagged in the timeline.",
        error_messages={
            "required": "Select who the perpetrator is.",
            "invalid_choice": "Select who the perpetrator is.",
        },
    )

    def __init__(self, *args: Any, participants: list[dict[str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choice = form_field(self, "participant", forms.ChoiceField)
        choice.choices = [
            (p["name"], f"{p['name']} ({p['count']:,} item{pluralize(p['count'])})")
            for p in participants
        ]


CHANNEL_FILTER_CHOICES = [
    ("", "All"),
    ("whatsapp", "WhatsApp"),
    ("sms", "SMS"),
    ("mms", "MMS"),
    ("call", "Calls"),
    ("email", "Email"),
    ("other", "Other"),
]


class TimelineFilterForm(GovukForm):
    channel = forms.ChoiceField(
        label="Channel", required=False, choices=CHANNEL_FILTER_CHOICES
    )
    perpetrator = forms.BooleanField(
        label="Only items from the perpetrator", required=False
    )
