"""The case notes: the list (sealed kinds only for those who see them) and adding."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from masip.access.permissions import Permission as P
from masip.access.views import CaseView
from masip.cases import selectors, services
from masip.cases.forms import NoteForm
from masip.cases.views._base import CaseFormView


class NoteListView(CaseView):
    required_permission = P.NOTE_VIEW
    tab = "notes"

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        listing = selectors.note_list_for(self.case, self.case_access.compartments)
        return render(
            request, "cases/note_list.html", self.case_context(listing=listing)
        )


class NoteAddView(CaseFormView):
    required_permission = P.NOTE_ADD
    template_name = "cases/note_add.html"
    form_class = NoteForm
    return_to = "note-list"
    tab = "notes"

    def form_kwargs(self) -> dict[str, Any]:
        return {"kinds": selectors.note_kinds_seen(self.case_access.compartments)}

    def perform(self, form: NoteForm) -> str:
        services.note_add(actor=self.actor(), case=self.case, **form.cleaned_data)
        return "Note added."
