"""URLs of the people app, mounted at ``/cases/<reference>/people/``."""

from django.urls import path

from masip.people import views

app_name = "people"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="person-list"),
    path("add/", views.PersonAddView.as_view(), name="person-add"),
    path("<uuid:public_id>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("<uuid:public_id>/edit/", views.PersonEditView.as_view(), name="person-edit"),
    path(
        "<uuid:public_id>/addresses/add/",
        views.AddressAddView.as_view(),
        name="address-add",
    ),
    path(
        "<uuid:public_id>/identifiers/add/",
        views.IdentifierAddView.as_view(),
        name="identifier-add",
    ),
    path(
        "<uuid:public_id>/safe-contact/",
        views.SafeContactEditView.as_view(),
        name="safe-contact-edit",
    ),
]
