"""Forms of the referrals app: the referral, the answer, and the three
triage decisions, with GOV.UK wording."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.utils import timezone

from masip.accounts.models import Agency, Membership, Site
from masip.cases.models import LawfulBasis, ReferralSource
from masip.core.forms import GovukDateField, GovukForm, form_field
from masip.referrals.matching import Probe
from masip.referrals.models import IdentifierKind, ReferralConsent, Urgency
from masip.referrals.services import ReferredPeople

TEXT_MAX = 5000
NAME_MAX = 100
ALIAS_MAX = 200
IDENTIFIER_MAX = 200


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def _long_text(label: str, required: str, *, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            **_required(required),
            "max_length": f"{label} must be {TEXT_MAX} characters or fewer.",
        },
    )


def _name(label: str, *, required: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=NAME_MAX,
        required=bool(required),
        error_messages={
            **(_required(required) if required else {}),
            "max_length": f"{label} must be {NAME_MAX} characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _identifier(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=IDENTIFIER_MAX,
        required=False,
        error_messages={
            "max_length": f"{label} must be {IDENTIFIER_MAX} characters or fewer."
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _past(value: dt.date | None) -> None:
    if value is not None and value >= timezone.localdate():
        raise forms.ValidationError("The date of birth must be in the past.")


class MembershipChoiceField(forms.ModelChoiceField[Membership]):
    """A membership, shown as its agency's name."""

    def label_from_instance(self, obj: Membership) -> str:
        return obj.agency.name


SECTIONS = (
    (
        "The referral",
        (
            "membership",
            "site",
            "source",
            "urgency",
            "reason",
            "actions_taken",
            "consent",
            "consent_reason",
        ),
    ),
    (
        "The victim",
        ("victim_given_name", "victim_family_name", "victim_date_of_birth"),
    ),
    (
        "The person who stalks",
        (
            "perpetrator_given_name",
            "perpetrator_family_name",
            "perpetrator_date_of_birth",
            "perpetrator_aliases",
            "perpetrator_phone",
            "perpetrator_email",
            "perpetrator_social_media",
            "perpetrator_vehicle",
        ),
    ),
)
IDENTIFIER_FIELDS = {
    "perpetrator_phone": IdentifierKind.PHONE,
    "perpetrator_email": IdentifierKind.EMAIL,
    "perpetrator_social_media": IdentifierKind.SOCIAL_MEDIA,
    "perpetrator_vehicle": IdentifierKind.VEHICLE,
}


class ReferralForm(GovukForm):
    membership = MembershipChoiceField(
        label="Who are you referring for?",
        queryset=Membership.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages=_required("Select the agency you are referring for."),
    )
    site = forms.ModelChoiceField(
        label="Which programme are you referring to?",
        queryset=Site.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages=_required("Select the programme you are referring to."),
    )
    source = forms.ChoiceField(
        label="Who is referring?",
        choices=ReferralSource.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select who is referring."),
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        help_text=(
            "Urgent referrals are triaged within a day, routine ones within three days."
        ),
        error_messages=_required("Select how urgent the referral is."),
    )
    reason = _long_text(
        "Why are you referring?",
        "Enter why you are making the referral.",
        help_text="What is happening and why the programme should act. "
        "Do not include addresses.",
    )
    actions_taken = _long_text(
        "What have you already done?",
        "Enter what you have already done.",
        help_text="For example, a crime report, safety advice, a risk screening. "
        "Write 'Nothing yet' if you have not acted.",
    )
    consent = forms.ChoiceField(
        label="Did the victim consent to the referral?",
        choices=ReferralConsent.choices,
        widget=forms.RadioSelect,
        error_messages=_required(
            "Select whether the victim consented to the referral."
        ),
    )
    consent_reason = _long_text(
        "Why?",
        "Enter the reason for the consent answer.",
        help_text="Why consent was given, refused or not sought.",
    )
    victim_given_name = _name(
        "Victim's given name", required="Enter the victim's given name."
    )
    victim_family_name = _name("Victim's family name")
    victim_date_of_birth = GovukDateField(
        label="Victim's date of birth",
        help_text="For example, 27 3 1990",
        required=False,
        validators=[_past],
    )
    perpetrator_given_name = _name("Given name")
    perpetrator_family_name = _name("Family name")
    perpetrator_date_of_birth = GovukDateField(
        label="Date of birth",
        help_text="For example, 27 3 1985",
        required=False,
        validators=[_past],
    )
    perpetrator_aliases = forms.CharField(
        label="Other names they use",
        help_text="One name a line.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    perpetrator_phone = _identifier("Phone number")
    perpetrator_email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=IDENTIFIER_MAX,
        error_messages={
            "invalid": "Enter an email address in the correct format, "
            "like name@example.com.",
            "max_length": f"Email address must be {IDENTIFIER_MAX} characters "
            "or fewer.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    perpetrator_social_media = _identifier("Social media handle")
    perpetrator_vehicle = _identifier("Vehicle registration")

    def __init__(
        self,
        *args: Any,
        memberships: list[Membership],
        sites: QuerySet[Site],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.only_membership = memberships[0] if len(memberships) == 1 else None
        if self.only_membership is not None:
            # One agency: nothing to choose.
            del self.fields["membership"]
        else:
            choices = form_field(self, "membership", forms.ModelChoiceField)
            choices.queryset = Membership.objects.filter(
                pk__in=[m.pk for m in memberships]
            ).select_related("agency")
        form_field(self, "site", forms.ModelChoiceField).queryset = sites

    def chosen_membership(self) -> Membership:
        if self.only_membership is not None:
            return self.only_membership
        membership: Membership = self.cleaned_data["membership"]
        return membership

    def sections(self) -> list[tuple[str, list[BoundField]]]:
        return [
            (heading, [self[name] for name in names if name in self.fields])
            for heading, names in SECTIONS
        ]

    def clean_perpetrator_aliases(self) -> list[str]:
        text: str = self.cleaned_data.get("perpetrator_aliases", "")
        aliases = [" ".join(line.split()) for line in text.splitlines()]
        aliases = [alias for alias in aliases if alias]
        if any(len(alias) > ALIAS_MAX for alias in aliases):
            raise forms.ValidationError(
                f"Each name must be {ALIAS_MAX} characters or fewer."
            )
        return aliases

    # What the services and matching take --------------------------------------

    def people(self) -> ReferredPeople:
        data = self.cleaned_data
        return ReferredPeople(
            victim_given_name=data["victim_given_name"],
            victim_family_name=data.get("victim_family_name", ""),
            victim_date_of_birth=data.get("victim_date_of_birth"),
            perpetrator_given_name=data.get("perpetrator_given_name", ""),
            perpetrator_family_name=data.get("perpetrator_family_name", ""),
            perpetrator_date_of_birth=data.get("perpetrator_date_of_birth"),
            perpetrator_aliases=tuple(data.get("perpetrator_aliases", [])),
            identifiers=tuple(
                (kind.value, data[name].strip())
                for name, kind in IDENTIFIER_FIELDS.items()
                if data.get(name, "").strip()
            ),
        )

    def probes(self) -> list[Probe]:
        people = self.people()
        return [
            Probe(
                label="The victim",
                given_name=people.victim_given_name,
                family_name=people.victim_family_name,
                date_of_birth=people.victim_date_of_birth,
            ),
            Probe(
                label="The person who stalks",
                given_name=people.perpetrator_given_name,
                family_name=people.perpetrator_family_name,
                date_of_birth=people.perpetrator_date_of_birth,
                aliases=people.perpetrator_aliases,
                identifiers=people.identifiers,
            ),
        ]

    def answer_rows(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The answers as (section, [(question, answer)]) for the check page."""
        rows = []
        for heading, bound_fields in self.sections():
            answers = []
            for bound in bound_fields:
                answers.append((str(bound.label), self._shown(bound.name)))
            rows.append((heading, answers))
        return rows

    def _shown(self, name: str) -> str:
        value = self.cleaned_data.get(name)
        field = self.fields[name]
        if value in (None, "", []):
            return "Not given"
        if isinstance(value, dt.date):
            return value.strftime("%-d %B %Y")
        if isinstance(value, list):
            return "; ".join(value)
        if isinstance(field, forms.ModelChoiceField):
            return str(field.label_from_instance(value))
        if isinstance(field, forms.ChoiceField):
            labels = dict(cast(Iterable[tuple[Any, Any]], field.choices))
            return str(labels.get(value, value))
        return str(value)


class AnswerForm(GovukForm):
    answer = _long_text("Your answer", "Enter your answer.")


class DeclineForm(GovukForm):
    reason = _long_text(
        "Why is the referral declined?",
        "Enter why the referral is declined.",
        help_text="The referrer sees this reason.",
    )


class InfoRequestForm(GovukForm):
    question = _long_text(
        "What do you need to know?",
        "Enter what you need to know.",
        help_text="The referrer is told and answers on the referral's page.",
    )


NEW_CASE = "new"
EXISTING_CASE = "existing"


class AcceptForm(GovukForm):
    route = forms.ChoiceField(
        label="Where should the referral go?",
        choices=[
            (NEW_CASE, "Open a new case"),
            (EXISTING_CASE, "Add it to an existing case"),
        ],
        widget=forms.RadioSelect,
        error_messages=_required(
            "Select whether to open a new case or add the referral to an existing case."
        ),
    )
    lead_agency = forms.ModelChoiceField(
        label="Lead agency for a new case",
        help_text="Needed when opening a new case.",
        queryset=Agency.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        required=False,
        error_messages={"invalid_choice": "Select a lead agency from the list."},
    )
    case_reference = forms.CharField(
        label="Reference of the existing case",
        help_text="Needed when adding it to an existing case. For example, "
        "STK-7K3M-9QXR",
        max_length=20,
        required=False,
        error_messages={"max_length": "Enter a case reference such as STK-7K3M-9QXR."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies to involve",
        help_text=(
            "Each is given the case, without any sealed information, until the "
            "lead agency changes that. Their team managers are told."
        ),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select agencies from the list."},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for involving them",
        help_text="Needed when involving agencies.",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        lead_agencies: QuerySet[Agency],
        involve: QuerySet[Agency],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "lead_agency", forms.ModelChoiceField).queryset = lead_agencies
        involved = form_field(self, "agencies", forms.ModelMultipleChoiceField)
        involved.queryset = involve

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        route = data.get("route")
        lead_missing = not data.get("lead_agency") and "lead_agency" not in self.errors
        if route == NEW_CASE and lead_missing:
            self.add_error("lead_agency", "Select the lead agency for the new case.")
        if route == EXISTING_CASE:
            reference = data.get("case_reference", "").strip().upper()
            data["case_reference"] = reference
            if not reference and "case_reference" not in self.errors:
                self.add_error(
                    "case_reference", "Enter the reference of the existing case."
                )
        if data.get("agencies") and not data.get("lawful_basis"):
            self.add_error(
                "lawful_basis", "Select the lawful basis for involving the agencies."
            )
        return data
