"""Pages about the people on a case. Thin: parse, call a service, render."""

import uuid
from abc import ABCMeta, abstractmethod
from functools import cached_property
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from masip.access import reveal
from masip.access.permissions import Permission
from masip.access.views import CaseView
from masip.audit.events import EventType
from masip.core.conflicts import conflict_rows, resubmittable_form
from masip.core.errors import DomainError, StaleEditError
from masip.people import selectors, services
from masip.people.forms import (
    AddressForm,
    ExistingPersonForm,
    IdentifierForm,
    NewPersonForm,
    PersonEditForm,
    PersonSearchForm,
    SafeContactForm,
)
from masip.people.models import Person


class PersonListView(CaseView):
    required_permission = Permission.PERSON_VIEW
    tab = "people"

    def get(self, request: HttpRequest) -> HttpResponse:
        groups = selectors.participant_groups(case=self.case)
        return render(
            request, "people/person_list.html", self.case_context(groups=groups)
        )


class PersonAddView(CaseView):
    required_permission = Permission.PERSON_ADD
    tab = "people"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(NewPersonForm(), self._existing_form())

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("mode") == "existing":
            existing = self._existing_form(request.POST)
            if existing.is_valid():
                return self._add(existing, **existing.cleaned_data)
            return self._render(NewPersonForm(), existing)
        form = NewPersonForm(request.POST)
        if form.is_valid():
            return self._add(form, **form.cleaned_data)
        return self._render(form, self._existing_form())

    def _search(self) -> PersonSearchForm:
        return PersonSearchForm(self.request.GET or None)

    def _existing_form(self, data: Any = None) -> ExistingPersonForm:
        search = self._search()
        query = search.cleaned_data["search"] if search.is_valid() else ""
        people = selectors.person_search_visible(access=self.access, query=query)
        return ExistingPersonForm(data, people=people)

    def _add(
        self, form: NewPersonForm | ExistingPersonForm, **values: Any
    ) -> HttpResponse:
        try:
            person = services.person_add_to_case(
                actor=self.actor(), case=self.case, **values
            )
        except DomainError as exc:
            form.add_error("role", str(exc))
            if isinstance(form, ExistingPersonForm):
                return self._render(NewPersonForm(), form)
            return self._render(form, self._existing_form())
        messages.success(self.request, f"{person.full_name} added to the case.")
        return redirect(
            _person_url("people:person-detail", self.case.reference, person)
        )

    def _render(
        self, form: NewPersonForm, existing: ExistingPersonForm
    ) -> HttpResponse:
        search = self._search()
        return render(
            self.request,
            "people/person_add.html",
            self.case_context(
                form=form,
                existing=existing,
                search_form=search if search.is_bound else PersonSearchForm(),
                searched=bool(self.request.GET.get("search", "").strip()),
            ),
        )


class _PersonView(CaseView):
    """A page about one person, found only among this case's participants."""

    tab = "people"
    person: Person

    @cached_property
    def sealed(self) -> reveal.SealedState:
        """Whether this user sees the case's victim contact details now."""
        return reveal.victim_contact(self.access, self.case)

    def load_person(self, public_id: uuid.UUID) -> Person:
        self.person = selectors.person_get_in_case(case=self.case, public_id=public_id)
        return self.person

    def detail_url(self) -> str:
        return _person_url("people:person-detail", self.case.reference, self.person)

    def page(self, template: str, **extra: Any) -> HttpResponse:
        return render(
            self.request,
            template,
            self.case_context(person=self.person, **extra),
        )


class PersonDetailView(_PersonView):
    required_permission = Permission.PERSON_VIEW

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        person = self.load_person(public_id)
        self.record_view(
            EventType.PERSON_VIEWED, target_type="person", target_id=person.public_id
        )
        return self.page(
            "people/person_detail.html",
            aliases=list(person.aliases.all()),
            roles=selectors.person_roles_in_case(case=self.case, person=person),
            contacts=selectors.person_contacts(person=person, sealed=self.sealed),
            sealed=self.sealed,
            other_cases=selectors.person_other_cases(
                access=self.access, case=self.case, person=person
            ),
        )


class PersonEditView(_PersonView):
    required_permission = Permission.PERSON_EDIT

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        person = self.load_person(public_id)
        initial = PersonEditForm.initial_from(services.person_current_values(person))
        form = PersonEditForm(initial={**initial, "version": person.version})
        return self.page("people/person_edit.html", form=form)

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        person = self.load_person(public_id)
        form = PersonEditForm(request.POST)
        if not form.is_valid():
            return self.page("people/person_edit.html", form=form)
        data = dict(form.cleaned_data)
        try:
            services.person_update(
                actor=self.actor(), case=self.case, person=person, **data
            )
        except StaleEditError as exc:
            return self._conflict(exc)
        messages.success(request, f"{person.full_name}'s details saved.")
        return redirect(self.detail_url())

    def _conflict(self, exc: StaleEditError) -> HttpResponse:
        form = resubmittable_form(PersonEditForm, self.request.POST, exc)
        theirs = PersonEditForm.initial_from(exc.current)
        return self.page(
            "people/person_edit.html", form=form, conflict=conflict_rows(form, theirs)
        )


class _ContactAddView(_PersonView, metaclass=ABCMeta):
    """Add a contact detail; restricted is offered only to those who see them."""

    template_name: ClassVar[str]
    form_class: ClassVar[type[AddressForm | IdentifierForm]]

    @abstractmethod
    def add(self, person: Person, data: dict[str, Any]) -> str:
        """Call the service; return the success message."""

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load_person(public_id)
        return self.page(self.template_name, form=self._form())

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        person = self.load_person(public_id)
        form = self._form(request.POST)
        if not form.is_valid():
            return self.page(self.template_name, form=form)
        messages.success(request, self.add(person, form.cleaned_data))
        return redirect(self.detail_url())

    def _form(self, data: Any = None) -> AddressForm | IdentifierForm:
        return self.form_class(data, may_restrict=self.sealed.granted)


class AddressAddView(_ContactAddView):
    required_permission = Permission.PERSON_EDIT
    template_name = "people/address_add.html"
    form_class = AddressForm

    def add(self, person: Person, data: dict[str, Any]) -> str:
        services.address_add(actor=self.actor(), case=self.case, person=person, **data)
        return "Address added."


class IdentifierAddView(_ContactAddView):
    required_permission = Permission.PERSON_EDIT
    template_name = "people/identifier_add.html"
    form_class = IdentifierForm

    def add(self, person: Person, data: dict[str, Any]) -> str:
        identifier = services.identifier_add(
            actor=self.actor(), case=self.case, person=person, **data
        )
        return f"{identifier.get_kind_display()} added."


class SafeContactEditView(_PersonView):
    """Safe-contact preferences: only for users who see victim contact details.

    Refused (403) without the compartment; with it, the form (which shows the
    current preferences) waits until the user has revealed them.
    """

    required_permission = Permission.PERSON_EDIT

    def load_person(self, public_id: uuid.UUID) -> Person:
        if self.sealed.withheld:
            raise PermissionDenied
        return super().load_person(public_id)

    def _reveal_first(self) -> HttpResponse | None:
        if not self.sealed.masked:
            return None
        target = reverse("cases:reveal", kwargs={"reference": self.case.reference})
        return redirect(f"{target}?{urlencode({'next': self.request.path})}")

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        person = self.load_person(public_id)
        if (reveal_first := self._reveal_first()) is not None:
            return reveal_first
        current = selectors.safe_contact_get(person=person)
        initial = (
            {
                **services.safe_contact_current_values(current),
                "version": current.version,
            }
            if current
            else {services.LETTER_ADDRESSES: services.letter_address_ids(person)}
        )
        return self.page(
            "people/safe_contact_edit.html", form=self._form(initial=initial)
        )

    def _form(self, data: Any = None, **kwargs: Any) -> SafeContactForm:
        """The form, offering the person's current addresses for letters (the
        page is shown only once the user has revealed the details)."""
        addresses = selectors.person_contacts(
            person=self.person, sealed=self.sealed
        ).addresses
        return SafeContactForm(data, addresses=addresses, **kwargs)

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        person = self.load_person(public_id)
        if (reveal_first := self._reveal_first()) is not None:
            messages.info(
                request,
                "Your reveal ended before you saved, so nothing was changed. Reveal "
                "the details again, then make your change.",
            )
            return reveal_first
        form = self._form(request.POST)
        if not form.is_valid():
            return self.page("people/safe_contact_edit.html", form=form)
        try:
            services.safe_contact_update(
                actor=self.actor(), case=self.case, person=person, **form.cleaned_data
            )
        except StaleEditError as exc:
            return self._conflict(exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.page("people/safe_contact_edit.html", form=form)
        messages.success(request, "Safe-contact preferences saved.")
        return redirect(self.detail_url())

    def _conflict(self, exc: StaleEditError) -> HttpResponse:
        # Sealed values: load_person has already refused anyone without the
        # victim-contact compartment, so only those who may see them get here.
        form = resubmittable_form(self._form, self.request.POST, exc)
        theirs = dict(exc.current)
        for name in ("contact_days", services.LETTER_ADDRESSES):
            # The choices are keyed by text, as the form posts them.
            theirs[name] = [str(value) for value in theirs.get(name, [])]
        return self.page(
            "people/safe_contact_edit.html",
            form=form,
            conflict=conflict_rows(form, theirs),
        )


def _person_url(name: str, reference: str, person: Person) -> str:
    return reverse(name, kwargs={"reference": reference, "public_id": person.public_id})
