"""The sign-in form, in GOV.UK markup."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from masip.access.roles import RoleName
from masip.accounts.models import Agency, Team
from masip.accounts.selectors import team_list_for_agency
from masip.accounts.stepup import StepUpFormMixin
from masip.core.forms import GovukForm, form_field


class SignInForm(AuthenticationForm, GovukForm):
    username = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address.",
            "invalid": (
                "Enter an email address in the correct format, like name@example.org."
            ),
        },
        widget=forms.EmailInput(
            attrs={"autocomplete": "username", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "This account has been disabled. Ask your agency administrator.",
    }


class MembershipForm(GovukForm):
    role = forms.ChoiceField(
        label="Role",
        choices=RoleName.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role."},
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="No team",
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = team_list_for_agency(agency=agency)
        form_field(self, "team", forms.ModelChoiceField).queryset = teams


class MembershipAddForm(MembershipForm):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter their email address.",
            "invalid": (
                "Enter an email address in the correct format, like name@example.org."
            ),
        },
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter their full name."},
    )
    field_order = ["email", "full_name", "role", "team"]


class MembershipEditForm(MembershipForm):
    is_active = forms.BooleanField(
        label="Membership is active",
        required=False,
        help_text=(
            "Switching it off removes their access to this agency's cases at once."
        ),
    )


class MfaCodeForm(GovukForm):
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text=(
            "The 6-digit code your authenticator app shows now, "
            "or one of your recovery codes."
        ),
        error_messages={"required": "Enter the code from your authenticator app."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        ),
    )


class MfaEnrolForm(MfaCodeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "The 6-digit code your authenticator app shows."
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class RecoveryCodeForm(MfaCodeForm):
    """The typed fallback for an account whose factor is a security key."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Recovery code"
        self.fields["code"].help_text = "One of the recovery codes you were given."
        self.fields["code"].error_messages["required"] = "Enter a recovery code."


BUTTON_ID = "webauthn-button"


class SecurityKeyResponseForm(GovukForm):
    """The browser's answer from a security key, put in by webauthn.js."""

    credential = forms.CharField(
        widget=forms.HiddenInput,
        max_length=20_000,
        error_messages={
            "required": (
                "Use your security key: select the button and follow your "
                "browser's instructions."
            ),
            "max_length": "Your security key's answer was not recognised. Try again.",
        },
    )

    def error_list(self) -> list[tuple[str, str]]:
        """Errors about the key's answer point at the button, not the hidden input."""
        hidden = self["credential"].id_for_label
        return [
            (BUTTON_ID if anchor == hidden else anchor, message)
            for anchor, message in super().error_list()
        ]


class SecurityKeyAddForm(SecurityKeyResponseForm):
    name = forms.CharField(
        label="Name for this security key",
        max_length=64,
        help_text=(
            "So you can tell your keys apart, for example: Blue key, or Work laptop."
        ),
        error_messages={
            "required": "Enter a name for this security key.",
            "max_length": "Name must be 64 characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    field_order = ["name", "credential"]


class SecondFactorResetForm(StepUpFormMixin, GovukForm):
    """An administrator resets a colleague's second factors (after checking who)."""

    identity_checked = forms.BooleanField(
        label=(
            "I have confirmed who is asking, in person or by calling them back "
            "on a number from their staff record"
        ),
        error_messages={
            "required": "Confirm that you have checked who is asking for the reset."
        },
    )
    reason = forms.CharField(
        label="Why are you resetting their sign-in methods?",
        help_text="For example: phone lost, and recovery codes lost.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the sign-in methods are being reset."},
    )
