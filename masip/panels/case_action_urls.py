"""A case's actions, mounted at ``/cases/<reference>/actions/``."""

from django.urls import path

from masip.panels import action_views as views

app_name = "case-actions"
urlpatterns = [
    path("", views.ActionListView.as_view(), name="list"),
    path("new/", views.ActionCreateView.as_view(), name="create"),
    path("<uuid:public_id>/", views.ActionDetailView.as_view(), name="detail"),
    path("<uuid:public_id>/update/", views.ActionUpdateView.as_view(), name="update"),
    path(
        "<uuid:public_id>/complete/",
        views.ActionCompleteView.as_view(),
        name="complete",
    ),
    path("<uuid:public_id>/cancel/", views.ActionCancelView.as_view(), name="cancel"),
]
