"""URLs of the JSON API (version 1)."""

from django.urls import path

from masip.api import views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.OpenApiView.as_view(), name="openapi"),
    path("cases/", views.CaseListApi.as_view(), name="case-list"),
    path("cases/<str:reference>/", views.CaseDetailApi.as_view(), name="case-detail"),
]
