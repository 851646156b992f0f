"""The list of advice topics by area, with adding, editing, ordering and
withdrawing (helpline managers)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from masip.access.permissions import Permission
from masip.access.views import GlobalView
from masip.core.errors import DomainError
from masip.core.forms import show_refusal
from masip.helpline import selectors, services
from masip.helpline.forms import AdviceTopicForm
from masip.helpline.models import AdviceTopic


class AdviceListView(GlobalView):
    """The advice topics by area, with adding, editing, ordering and withdrawing."""

    required_permission = Permission.HELPLINE_ADVICE_MANAGE
    template = "helpline/advice.html"

    def page(self, form: AdviceTopicForm) -> HttpResponse:
        topics = list(selectors.advice_topics(include_inactive=True))
        return render(
            self.request,
            self.template,
            {"form": form, "areas": selectors.advice_by_area(topics)},
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(AdviceTopicForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AdviceTopicForm(request.POST)
        if form.is_valid():
            try:
                topic = services.advice_topic_add(
                    actor=self.actor(), **form.cleaned_data
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, f"Added '{topic.title}'.")
                return redirect("helpline:advice")
        return self.page(form)


class _TopicView(GlobalView):
    """A page or button about one topic, named by the posted ``topic``; a GET
    goes back to the list."""

    required_permission = Permission.HELPLINE_ADVICE_MANAGE

    def topic(self, value: str | None) -> AdviceTopic | None:
        return selectors.advice_topic((value or "").strip())

    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect("helpline:advice")


class AdviceEditView(_TopicView):
    template = "helpline/advice_edit.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        topic = self.topic(request.GET.get("topic"))
        if topic is None:
            return redirect("helpline:advice")
        form = AdviceTopicForm(
            initial={
                "area": topic.area,
                "title": topic.title,
                "description": topic.description,
            }
        )
        return render(request, self.template, {"form": form, "topic": topic})

    def post(self, request: HttpRequest) -> HttpResponse:
        topic = self.topic(request.POST.get("topic"))
        if topic is None:
            messages.warning(request, "That topic no longer exists.")
            return redirect("helpline:advice")
        form = AdviceTopicForm(request.POST)
        if form.is_valid():
            try:
                services.advice_topic_change(
                    actor=self.actor(), topic=topic, **form.cleaned_data
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, "Topic saved.")
                return redirect("helpline:advice")
        return render(request, self.template, {"form": form, "topic": topic})


class AdviceMoveView(_TopicView):
    def post(self, request: HttpRequest) -> HttpResponse:
        topic = self.topic(request.POST.get("topic"))
        if topic is not None:
            services.advice_topic_move(
                actor=self.actor(),
                topic=topic,
                up=request.POST.get("direction") == "up",
            )
            messages.success(request, f"Moved '{topic.title}'.")
        return redirect(
            f"{reverse('helpline:advice')}#area-{topic.area if topic else ''}"
        )


class AdviceActiveView(_TopicView):
    def post(self, request: HttpRequest) -> HttpResponse:
        topic = self.topic(request.POST.get("topic"))
        if topic is not None:
            active = request.POST.get("active") == "1"
            services.advice_topic_set_active(
                actor=self.actor(), topic=topic, active=active
            )
            messages.success(
                request,
                f"'{topic.title}' is "
                f"{'back on' if active else 'no longer on'} the list.",
            )
        return redirect("helpline:advice")
