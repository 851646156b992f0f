"""The helpline's handover pages (see config/urls.py for the mount)."""

from django.urls import path

from masip.helpline.handover_views import HandoverView

app_name = "helpline-handover"
urlpatterns = [
    path("<uuid:public_id>/", HandoverView.as_view(), name="handover"),
]
