"""The sign-in form, in GOV.UK markup."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from masip.core.forms import GovukForm


class SignInForm(AuthenticationForm, GovukForm):
    username = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address in the correct format, like name@example.org.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
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
