"""Panels and their meetings, mounted at ``/panels/``."""

from django.urls import path

from masip.panels import views

app_name = "panels"

MEETING = "meetings/<uuid:public_id>/"
ITEM = MEETING + "items/<uuid:item_id>/"

urlpatterns = [
    path("", views.PanelListView.as_view(), name="panel-list"),
    path("set-up/", views.PanelEditView.as_view(), name="panel-edit"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path(MEETING, views.MeetingDetailView.as_view(), name="meeting-detail"),
    path(MEETING + "edit/", views.MeetingEditView.as_view(), name="meeting-edit"),
    path(MEETING + "cancel/", views.MeetingCancelView.as_view(), name="meeting-cancel"),
    path(MEETING + "held/", views.MeetingHeldView.as_view(), name="meeting-held"),
    path(MEETING + "agenda/", views.AgendaView.as_view(), name="agenda"),
    path(MEETING + "attendance/", views.AttendanceView.as_view(), name="attendance"),
    path(
        MEETING + "minutes/issue/",
        views.MinutesIssueView.as_view(),
        name="minutes-issue",
    ),
    path(ITEM, views.ItemDetailView.as_view(), name="item-detail"),
    path(ITEM + "discussion/", views.DiscussionView.as_view(), name="item-discussion"),
    path(
        ITEM + "not-discussed/",
        views.NotDiscussedView.as_view(),
        name="item-not-discussed",
    ),
    path(ITEM + "shares/", views.InformationShareView.as_view(), name="item-share"),
    path(ITEM + "actions/", views.ActionCreateView.as_view(), name="item-action"),
]
