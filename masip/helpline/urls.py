"""The helpline, mounted at ``/helpline/`` (statistics and handover have
their own URL files, mounted beside this one)."""

from django.urls import URLPattern, path

from masip.helpline import views

app_name = "helpline"
urlpatterns: list[URLPattern] = [
    path("", views.HomeView.as_view(), name="home"),
    path("contacts/start/", views.ContactStartView.as_view(), name="contact-start"),
    path("callers/search/", views.CallerSearchView.as_view(), name="caller-search"),
    path("contacts/<uuid:public_id>/", views.ContactView.as_view(), name="contact"),
    path(
        "contacts/<uuid:public_id>/autosave/",
        views.ContactAutosaveView.as_view(),
        name="contact-autosave",
    ),
    path(
        "contacts/<uuid:public_id>/summary/",
        views.ContactDetailView.as_view(),
        name="contact-detail",
    ),
    path(
        "contacts/<uuid:public_id>/reopen/",
        views.ContactReopenView.as_view(),
        name="contact-reopen",
    ),
    path(
        "contacts/<uuid:public_id>/discard/",
        views.ContactDiscardView.as_view(),
        name="contact-discard",
    ),
    path(
        "contacts/<uuid:public_id>/unlink-caller/",
        views.ContactUnlinkCallerView.as_view(),
        name="contact-unlink-caller",
    ),
    path("advice/", views.AdviceListView.as_view(), name="advice"),
    path("advice/edit/", views.AdviceEditView.as_view(), name="advice-edit"),
    path("advice/move/", views.AdviceMoveView.as_view(), name="advice-move"),
    path("advice/active/", views.AdviceActiveView.as_view(), name="advice-active"),
]
