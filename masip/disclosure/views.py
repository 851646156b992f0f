"""Pages of the subject access workflow: thin, over selectors and services.

Every page is a ``GlobalView`` (a request is not a case page): 403 without the
verb anywhere, and 404 for a request of an agency in which the user does not
hold it, exactly as for a request that does not exist.
"""

import uuid
from typing import Any, ClassVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from masip.access.actors import Actor, actor_from_request
from masip.access.permissions import Permission as P
from masip.access.views import GlobalView
from masip.accounts import mfa, stepup
from masip.accounts.models import Membership
from masip.core.errors import DomainError
from masip.core.forms import GovukForm
from masip.disclosure import selectors, services
from masip.disclosure.forms import (
    DecisionForm,
    ExtendForm,
    IdentityForm,
    ReleaseForm,
    RequestForm,
    SubjectsForm,
)
from masip.disclosure.models import DisclosureItem, SubjectAccessRequest

RELEASE_ACTION = "sar.release"


def sar_url(sar: SubjectAccessRequest, name: str = "request-detail") -> str:
    return reverse(f"disclosure:{name}", kwargs={"public_id": sar.public_id})


class RequestListView(GlobalView):
    required_permission = P.SAR_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        requests = list(selectors.request_list(access=self.access))
        return render(request, "disclosure/request_list.html", {"requests": requests})


class RequestCreateView(GlobalView):
    required_permission = P.SAR_MANAGE

    def _form(self, data: Any = None) -> RequestForm:
        return RequestForm(
            data, agencies=selectors.handling_agencies(access=self.access)
        )

    def _render(self, form: RequestForm) -> HttpResponse:
        return render(self.request, "disclosure/request_form.html", {"form": form})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        data = dict(form.cleaned_data)
        agency_id = int(data.pop("agency"))
        membership = next(
            m
            for m in self.access.memberships_with(P.SAR_MANAGE)
            if m.agency_id == agency_id
        )
        try:
            sar = services.sar_record(
                actor=actor_from_request(self.request, membership),
                agency=membership.agency,
                **data,
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self._render(form)
        messages.success(request, f"Request {sar.reference} recorded.")
        return redirect(sar_url(sar))


class RequestView(GlobalView):
    """A page of one request: ``self.sar`` and the membership acting on it."""

    sar: SubjectAccessRequest
    membership: Membership

    def dispatch(
        self, request: HttpRequest, *args: Any, public_id: uuid.UUID, **kwargs: Any
    ) -> HttpResponseBase:
        self.public_id = public_id
        return super().dispatch(request, *args, **kwargs)

    def setup_request(self) -> None:
        self.sar, self.membership = selectors.request_get(
            access=self.access, public_id=self.public_id, need=self.required_permission
        )

    def actor(self) -> Actor:
        return actor_from_request(self.request, self.membership)

    def context(self, **extra: Any) -> dict[str, Any]:
        return {"sar": self.sar, "counts": selectors.item_counts(self.sar), **extra}

    def back_to_detail(self, message: str, *, error: bool = False) -> HttpResponse:
        (messages.error if error else messages.success)(self.request, message)
        return redirect(sar_url(self.sar))


class RequestFormView(RequestView):
    """GET shows the form; a valid POST calls ``perform`` and redirects."""

    template_name: ClassVar[str]

    def get_form(self, data: Any = None) -> GovukForm:
        raise NotImplementedError

    def perform(self, form: Any) -> str:
        raise NotImplementedError

    def extra(self) -> dict[str, Any]:
        return {}

    def render_form(self, form: GovukForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            self.context(form=form, **self.extra()),
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        self.setup_request()
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest) -> HttpResponse:
        self.setup_request()
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            message = self.perform(form)
        except DomainError as error:
            form.add_error(None, str(error))
            return self.render_form(form)
        messages.success(request, message)
        return redirect(self.success_url())

    def success_url(self) -> str:
        return sar_url(self.sar)


class RequestDetailView(RequestView):
    required_permission = P.SAR_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        self.setup_request()
        return render(
            request,
            "disclosure/request_detail.html",
            self.context(
                subjects=selectors.linked_people(self.sar),
                can_release=self.access.has(P.SAR_RELEASE),
                identity_hint=self._identity_hint(),
                review_hint=self._review_hint(),
            ),
        )

    def _identity_hint(self) -> str:
        verifier = self.sar.identity_verified_by
        if verifier is None:
            return ""
        return (
            f"Checked by {verifier.full_name} on "
            f"{self.sar.identity_verified_at:%-d %B %Y}: "
            f"{self.sar.get_identity_method_display()}"
        )

    def _review_hint(self) -> str:
        counts = selectors.item_counts(self.sar)
        return f"{counts.decided} of {counts.total} items decided"


class IdentityView(RequestFormView):
    required_permission = P.SAR_MANAGE
    template_name = "disclosure/identity_form.html"

    def get_form(self, data: Any = None) -> GovukForm:
        return IdentityForm(data)

    def perform(self, form: IdentityForm) -> str:
        services.sar_verify_identity(
            actor=self.actor(),
            sar=self.sar,
            method=form.cleaned_data["method"],
            evidence=form.cleaned_data["evidence"],
            evidence_received_on=form.cleaned_data["evidence_received_on"],
        )
        return "Identity verified."


class SubjectsView(RequestFormView):
    required_permission = P.SAR_MANAGE
    template_name = "disclosure/subjects_form.html"

    def get_form(self, data: Any = None) -> GovukForm:
        self.candidates = selectors.subject_candidates(self.sar)
        return SubjectsForm(data, candidates=self.candidates)

    def extra(self) -> dict[str, Any]:
        return {
            "candidates": self.candidates,
            "subjects": selectors.linked_people(self.sar),
        }

    def perform(self, form: SubjectsForm) -> str:
        people = services.sar_link_subjects(
            actor=self.actor(), sar=self.sar, person_ids=form.person_ids()
        )
        count = len(people)
        return f"{count} record{'' if count == 1 else 's'} linked to the requester."


class DraftView(RequestView):
    required_permission = P.SAR_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        self.setup_request()
        return render(
            request,
            "disclosure/draft.html",
            self.context(subjects=selectors.linked_people(self.sar)),
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        self.setup_request()
        try:
            count = services.sar_draft_build(actor=self.actor(), sar=self.sar)
        except DomainError as error:
            return self.back_to_detail(str(error), error=True)
        messages.success(request, f"Draft built with {count} items.")
        return redirect(sar_url(self.sar, "item-list"))


class ItemListView(RequestView):
    required_permission = P.SAR_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        self.setup_request()
        return render(
            request,
            "disclosure/item_list.html",
            self.context(
                items=list(selectors.item_list(self.sar)),
                is_builder=self.sar.draft_built_by_id == request.user.pk,
            ),
        )


class AcceptDefaultsView(RequestView):
    required_permission = P.SAR_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        self.setup_request()
        try:
            count = services.items_accept_defaults(actor=self.actor(), sar=self.sar)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"{count} item{'' if count == 1 else 's'} decided by default. "
                "Free text still needs your review.",
            )
        return redirect(sar_url(self.sar, "item-list"))


class ItemDecideView(RequestFormView):
    required_permission = P.SAR_MANAGE
    template_name = "disclosure/item_form.html"
    item: DisclosureItem

    def dispatch(
        self,
        request: HttpRequest,
        *args: Any,
        public_id: uuid.UUID,
        item_id: int = 0,
        **kwargs: Any,
    ) -> HttpResponseBase:
        self.item_id = item_id
        return super().dispatch(request, *args, public_id=public_id, **kwargs)

    def setup_request(self) -> None:
        super().setup_request()
        self.item = selectors.item_get(self.sar, self.item_id)
        self.item.request = self.sar
        self.content = selectors.item_content(self.item)
        if self.content is not None:
            services.item_view_record(actor=self.actor(), item=self.item)

    def get_form(self, data: Any = None) -> GovukForm:
        initial = {
            "decision": self.item.decision,
            "exemption": self.item.exemption,
            "note": self.item.note,
            "redacted_text": self.item.text
            if self.item.decision == "include_redacted"
            else "",
        }
        return DecisionForm(
            data, initial=initial, content_shown=self.content is not None
        )

    def extra(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "content": self.content,
            "is_builder": self.sar.draft_built_by_id == self.request.user.pk,
        }

    def perform(self, form: DecisionForm) -> str:
        services.item_decide(actor=self.actor(), item=self.item, **form.cleaned_data)
        return f"Decision saved for item {self.item.position}."

    def success_url(self) -> str:
        return sar_url(self.sar, "item-list")


class ExtendView(RequestFormView):
    required_permission = P.SAR_MANAGE
    template_name = "disclosure/extend_form.html"

    def get_form(self, data: Any = None) -> GovukForm:
        return ExtendForm(data)

    def perform(self, form: ExtendForm) -> str:
        sar = services.sar_extend(
            actor=self.actor(), sar=self.sar, reason=form.cleaned_data["reason"]
        )
        return f"Deadline extended to {sar.due_on:%-d %B %Y}."


class ReleaseView(RequestFormView):
    """Releasing the reviewed disclosure: four eyes and a fresh second factor.

    The step-up is ``masip.accounts.stepup``'s, on this page's own form (a
    code from the app or a security key), so the tick survives a wrong code.
    """

    required_permission = P.SAR_RELEASE
    template_name = "disclosure/release.html"

    def get_form(self, data: Any = None) -> GovukForm:
        return ReleaseForm(data, request=self.request)

    def extra(self) -> dict[str, Any]:
        blockers = services.release_blockers(
            sar=self.sar,
            user_id=self.request.user.pk,
            factor_fresh=True,  # the form asks for the step-up itself
        )
        return {
            "blockers": blockers,
            "released": [i for i in selectors.item_list(self.sar) if i.is_released],
        }

    def post(self, request: HttpRequest) -> HttpResponse:
        self.setup_request()
        form = ReleaseForm(request.POST, request=request)
        actor = self.actor()
        if not (
            form.is_valid() and stepup.confirm(form, action=RELEASE_ACTION, actor=actor)
        ):
            status = 429 if stepup.was_locked_out(form) else 200
            return self.render_form(form, status=status)
        try:
            services.sar_release(
                actor=actor,
                sar=self.sar,
                factor_fresh=mfa.factor_is_fresh(request),
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.render_form(form)
        messages.success(
            request, "Disclosure released. Download the document to send it."
        )
        return redirect(self.success_url())


class DocumentView(RequestView):
    required_permission = P.SAR_RELEASE

    def get(self, request: HttpRequest) -> HttpResponse:
        self.setup_request()
        try:
            pdf = services.document_download(actor=self.actor(), sar=self.sar)
        except DomainError as error:
            return self.back_to_detail(str(error), error=True)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.sar.reference}.pdf"'
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
