"""Forms for interventions, their sessions, and custody."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from masip.accounts.models import Agency
from masip.core.forms import GovukDateField, GovukForm, VersionField, form_field
from masip.interventions.models import Custody, Intervention, InterventionSession
from masip.interventions.services._common import NOTE_MAX, TEXT_MAX
from masip.interventions.services.custody import custody_current_values
from masip.interventions.services.interventions import intervention_current_values
from masip.people.models import Person

_STALE_FORM = {
    "required": "Open the record again and make your change.",
    "invalid": "Open the record again and make your change.",
}


def _choice_errors(message: str) -> dict[str, str]:
    return {"required": message, "invalid_choice": message}


def _note(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"The note must be {NOTE_MAX} characters or fewer."
        },
    )


def _subject_field() -> forms.ModelChoiceField[Person]:
    return forms.ModelChoiceField(
        label="Person who stalks",
        queryset=Person.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages=_choice_errors("Select the person who stalks."),
    )


def _provider_field() -> forms.ModelChoiceField[Agency]:
    return forms.ModelChoiceField(
        label="Provider agency",
        queryset=Agency.objects.none(),
        empty_label="Select an agency",
        widget=forms.Select,
        help_text="The agency delivering the intervention.",
        error_messages=_choice_errors("Select the provider agency."),
    )


OPEN_STATUSES = [
    (s.value, s.label) for s in map(Intervention.Status, Intervention.OPEN)
]


def _status_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Status",
        choices=OPEN_STATUSES,
        widget=forms.RadioSelect,
        error_messages=_choice_errors("Select planned or active."),
    )


def _practitioner_field() -> forms.CharField:
    return forms.CharField(
        label="Practitioner",
        required=False,
        max_length=TEXT_MAX,
        help_text="The name and role of the person delivering it.",
        error_messages={
            "max_length": f"The practitioner must be {TEXT_MAX} characters or fewer."
        },
    )


class InterventionRecordForm(GovukForm):
    subject = _subject_field()
    kind = forms.ChoiceField(
        label="Kind of intervention",
        choices=Intervention.Kind.choices,
        widget=forms.RadioSelect,
        error_messages=_choice_errors("Select the kind of intervention."),
    )
    provider_agency = _provider_field()
    practitioner = _practitioner_field()
    status = _status_field()
    started_on = GovukDateField(
        label="Start date",
        help_text="When it started, or is planned to start. For example, 3 12 2026.",
        error_messages={"required": "Enter the start date."},
    )
    planned_end_on = GovukDateField(label="Planned end date", required=False)

    def __init__(
        self,
        *args: Any,
        subjects: QuerySet[Person],
        agencies: QuerySet[Agency],
        sees_health: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "subject", forms.ModelChoiceField).queryset = subjects
        form_field(self, "provider_agency", forms.ModelChoiceField).queryset = agencies
        if not sees_health:
            self.fields["practitioner"].help_text = (
                "Leave it empty for psychological or psychiatric treatment: the "
                "practitioner is health information your agency does not see."
            )


class InterventionUpdateForm(GovukForm):
    provider_agency = _provider_field()
    status = _status_field()
    started_on = GovukDateField(
        label="Start date", error_messages={"required": "Enter the start date."}
    )
    planned_end_on = GovukDateField(label="Planned end date", required=False)
    practitioner = _practitioner_field()
    engagement = forms.ChoiceField(
        label="Engagement",
        choices=Intervention.Engagement.choices,
        widget=forms.RadioSelect,
        help_text="How the person is engaging now. A change is dated today.",
        error_messages=_choice_errors("Select how the person is engaging."),
    )
    version = VersionField(error_messages=_STALE_FORM)

    def __init__(
        self, *args: Any, agencies: QuerySet[Agency], health: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "provider_agency", forms.ModelChoiceField).queryset = agencies
        if not health:
            # A treatment, for a reader who does not see health information.
            del self.fields["practitioner"]
            del self.fields["engagement"]

    @staticmethod
    def initial_from(intervention: Intervention) -> dict[str, Any]:
        """The stored values, and the version they are."""
        values = intervention_current_values(intervention)
        return {**values, "version": intervention.version}


class InterventionEndForm(GovukForm):
    ended_on = GovukDateField(
        label="Date it ended", error_messages={"required": "Enter the date it ended."}
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Intervention.Outcome.choices,
        widget=forms.RadioSelect,
        help_text=(
            "Completed or partly completed marks it completed; declined, "
            "declined; any other, ended early."
        ),
        error_messages=_choice_errors("Select the outcome."),
    )
    outcome_note = _note("About the outcome", "What happened, in a few sentences.")
    version = VersionField(error_messages=_STALE_FORM)


class SessionForm(GovukForm):
    on = GovukDateField(
        label="Date of the session",
        error_messages={"required": "Enter the date of the session."},
    )
    attendance = forms.ChoiceField(
        label="Attendance",
        choices=InterventionSession.Attendance.choices,
        widget=forms.RadioSelect,
        error_messages=_choice_errors("Select whether the person came."),
    )
    note = _note("Note", "Anything the other agencies should know.")


def _custody_fields() -> dict[str, forms.Field]:
    return {
        "kind": forms.ChoiceField(
            label="Kind of custody",
            choices=Custody.Kind.choices,
            widget=forms.RadioSelect,
            error_messages=_choice_errors("Select the kind of custody."),
        ),
        "establishment": forms.CharField(
            label="Prison or hospital",
            max_length=TEXT_MAX,
            error_messages={
                "required": "Enter the prison or hospital.",
                "max_length": (
                    f"The establishment must be {TEXT_MAX} characters or fewer."
                ),
            },
        ),
        "started_on": GovukDateField(
            label="Date custody began",
            error_messages={"required": "Enter the date custody began."},
        ),
        "expected_release_on": GovukDateField(
            label="Expected release date",
            required=False,
            help_text=(
                "The victim's advocate is told before this date. Leave it empty "
                "if it is not known."
            ),
        ),
    }


class CustodyRecordForm(GovukForm):
    subject = _subject_field()

    def __init__(self, *args: Any, subjects: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_custody_fields())
        form_field(self, "subject", forms.ModelChoiceField).queryset = subjects


class CustodyUpdateForm(GovukForm):
    version = VersionField(error_messages=_STALE_FORM)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = self.fields.pop("version")
        self.fields.update(_custody_fields())
        self.fields["version"] = version

    @staticmethod
    def initial_from(custody: Custody) -> dict[str, Any]:
        """The stored values, and the version they are."""
        return {**custody_current_values(custody), "version": custody.version}


class ReleaseForm(GovukForm):
    released_on = GovukDateField(
        label="Date of release",
        error_messages={"required": "Enter the date of release."},
    )
    release_kind = forms.ChoiceField(
        label="How the person was released",
        choices=Custody.ReleaseKind.choices,
        widget=forms.RadioSelect,
        error_messages=_choice_errors("Select how the person was released."),
    )
    version = VersionField(error_messages=_STALE_FORM)
