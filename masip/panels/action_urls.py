"""Actions across cases (mine, my agency's, overdue), mounted at ``/actions/``."""

from django.urls import path

from masip.panels import action_views as views

app_name = "actions"
urlpatterns = [
    path("", views.MyActionsView.as_view(), name="mine"),
    path("overdue/", views.OverdueActionsView.as_view(), name="overdue"),
]
