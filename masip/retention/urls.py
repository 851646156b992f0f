"""URLs of the retention app."""

from django.urls import path

from masip.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("disposals/", views.DisposalListView.as_view(), name="disposals"),
    path("schedule/", views.ScheduleView.as_view(), name="schedule"),
    path("cases/<str:reference>/", views.ReviewView.as_view(), name="review"),
]
