"""URLs for conflicts of interest (mounted at ``account/conflicts/``)."""

from django.urls import path

from masip.accounts import conflict_views

app_name = "conflicts"
urlpatterns = [
    path("", conflict_views.ConflictListView.as_view(), name="list"),
    path("declare/", conflict_views.ConflictDeclareView.as_view(), name="declare"),
    path(
        "<int:pk>/withdraw/",
        conflict_views.ConflictWithdrawView.as_view(),
        name="withdraw",
    ),
    path("staff/", conflict_views.StaffConflictListView.as_view(), name="staff-list"),
]
