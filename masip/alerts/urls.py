from django.urls import path

from masip.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.AlertListView.as_view(), name="alert-list"),
    path("<int:pk>/", views.AlertDetailView.as_view(), name="alert-detail"),
    path(
        "<int:pk>/acknowledge/",
        views.AlertAcknowledgeView.as_view(),
        name="alert-acknowledge",
    ),
    path("<int:pk>/close/", views.AlertCloseView.as_view(), name="alert-close"),
]
