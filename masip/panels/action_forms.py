"""Forms for actions: adding one to a case, changing, completing, cancelling."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from masip.accounts.models import Agency, User
from masip.core.forms import GovukDateField, GovukForm, VersionField, form_field
from masip.panels.action_services import DESCRIPTION_MAX, NOTE_MAX
from masip.panels.models import Action

NO_OWNER = ""
_STALE_FORM = {
    "required": "Open the action again and make your change.",
    "invalid": "Open the action again and make your change.",
}


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def _people_choices(
    people: list[tuple[Agency, list[User]]], *, none_label: str, grouped: bool
) -> list[Any]:
    choices: list[Any] = [(NO_OWNER, none_label)]
    for agency, users in people:
        options = [(str(u.pk), u.full_name) for u in users]
        if grouped:
            choices.append((agency.name, options))
        else:
            choices.extend(options)
    return choices


class _OwnerMixin:
    """Turns the chosen person's id back into the ``User`` offered."""

    people: list[tuple[Agency, list[User]]]
    cleaned_data: dict[str, Any]

    def _user(self, value: str) -> User | None:
        if value == NO_OWNER:
            return None
        for _, users in self.people:
            for user in users:
                if str(user.pk) == value:
                    return user
        raise forms.ValidationError("Select a person from the list.")

    def works_for(self, user: User, agency: Agency) -> bool:
        return any(a.pk == agency.pk and user in users for a, users in self.people)


class ActionCreateForm(_OwnerMixin, GovukForm):
    description = forms.CharField(
        label="What is to be done",
        help_text="Say what the agency will do. Do not include addresses.",
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            **_required("Enter what the action is."),
            "max_length": f"The action must be {DESCRIPTION_MAX} characters or fewer.",
        },
    )
    owner_agency = forms.ModelChoiceField(
        label="Agency that owns the action",
        queryset=Agency.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="The lead agency or an agency the case is shared with.",
        error_messages={
            **_required("Select the agency that owns the action."),
            "invalid_choice": "Select the agency that owns the action.",
        },
    )
    owner = forms.ChoiceField(
        label="Person responsible",
        required=False,
        help_text=(
            "Someone in the owner agency. If you leave it empty, the agency's "
            "team managers are told."
        ),
        error_messages={"invalid_choice": "Select a person from the list."},
    )
    due_on = GovukDateField(
        label="Due date",
        help_text="For example, 3 12 2026.",
        error_messages=_required("Enter the date the action is due."),
    )

    def __init__(
        self,
        *args: Any,
        agencies: QuerySet[Agency],
        people: list[tuple[Agency, list[User]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        form_field(self, "owner_agency", forms.ModelChoiceField).queryset = agencies
        form_field(self, "owner", forms.ChoiceField).choices = _people_choices(
            people, none_label="No one yet", grouped=True
        )

    def clean_owner(self) -> User | None:
        return self._user(self.cleaned_data.get("owner") or NO_OWNER)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        owner, agency = data.get("owner"), data.get("owner_agency")
        if (
            owner is not None
            and agency is not None
            and not self.works_for(owner, agency)
        ):
            self.add_error(
                "owner",
                f"Select someone who works for {agency.name}, or leave the "
                "person empty.",
            )
        return data


class ActionUpdateForm(_OwnerMixin, GovukForm):
    status = forms.ChoiceField(
        label="Progress",
        choices=[(s.value, s.label) for s in map(Action.Status, Action.OUTSTANDING)],
        widget=forms.RadioSelect,
        error_messages={
            **_required("Select not started or in progress."),
            "invalid_choice": "Select not started or in progress.",
        },
    )
    owner = forms.ChoiceField(
        label="Person responsible",
        required=False,
        error_messages={"invalid_choice": "Select a person from the list."},
    )
    due_on = GovukDateField(
        label="Due date",
        error_messages=_required("Enter the date the action is due."),
    )
    due_reason = forms.CharField(
        label="Why the due date is changing",
        help_text="Needed only if you change the due date. It is kept as a case note.",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"The reason must be {NOTE_MAX} characters or fewer."
        },
    )
    version = VersionField(error_messages=_STALE_FORM)

    prefix = "update"

    def __init__(
        self,
        *args: Any,
        people: list[tuple[Agency, list[User]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        form_field(self, "owner", forms.ChoiceField).choices = _people_choices(
            people, none_label="No one: the team managers answer for it", grouped=False
        )

    @staticmethod
    def initial_from(action: Action) -> dict[str, Any]:
        return {
            "status": action.status,
            "owner": str(action.owner_id) if action.owner_id else NO_OWNER,
            "due_on": action.due_on,
            "version": action.version,
        }

    def clean_owner(self) -> User | None:
        return self._user(self.cleaned_data.get("owner") or NO_OWNER)


class ActionCompleteForm(GovukForm):
    completion_note = forms.CharField(
        label="What was done",
        help_text="The outcome, in a few sentences. It is shown on the case.",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            **_required("Enter what was done."),
            "max_length": f"The note must be {NOTE_MAX} characters or fewer.",
        },
    )
    version = VersionField(error_messages=_STALE_FORM)

    prefix = "complete"


class ActionCancelForm(GovukForm):
    reason = forms.CharField(
        label="Why the action is no longer needed",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            **_required("Enter why the action is cancelled."),
            "max_length": f"The reason must be {NOTE_MAX} characters or fewer.",
        },
    )
    version = VersionField(error_messages=_STALE_FORM)

    prefix = "cancel"
