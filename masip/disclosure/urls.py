from django.urls import path

from masip.disclosure import views

app_name = "disclosure"

urlpatterns = [
    path("", views.RequestListView.as_view(), name="request-list"),
    path("new/", views.RequestCreateView.as_view(), name="request-create"),
    path("<uuid:public_id>/", views.RequestDetailView.as_view(), name="request-detail"),
    path(
        "<uuid:public_id>/identity/",
        views.IdentityView.as_view(),
        name="request-identity",
    ),
    path(
        "<uuid:public_id>/records/",
        views.SubjectsView.as_view(),
        name="request-subjects",
    ),
    path("<uuid:public_id>/extend/", views.ExtendView.as_view(), name="request-extend"),
    path("<uuid:public_id>/draft/", views.DraftView.as_view(), name="draft-build"),
    path("<uuid:public_id>/items/", views.ItemListView.as_view(), name="item-list"),
    path(
        "<uuid:public_id>/items/defaults/",
        views.AcceptDefaultsView.as_view(),
        name="item-defaults",
    ),
    path(
        "<uuid:public_id>/items/<int:item_id>/",
        views.ItemDecideView.as_view(),
        name="item-decide",
    ),
    path("<uuid:public_id>/release/", views.ReleaseView.as_view(), name="release"),
    path(
        "<uuid:public_id>/document/",
        views.DocumentView.as_view(),
        name="document",
    ),
]
