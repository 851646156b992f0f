"""Referrals into a site's programme, mounted at ``/referrals/``."""

from django.urls import path

from masip.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.MyReferralsView.as_view(), name="mine"),
    path("new/", views.ReferralNewView.as_view(), name="new"),
    path("triage/", views.TriageQueueView.as_view(), name="triage"),
    path(
        "triage/<uuid:public_id>/",
        views.TriageDetailView.as_view(),
        name="triage-detail",
    ),
    path("triage/<uuid:public_id>/accept/", views.AcceptView.as_view(), name="accept"),
    path(
        "triage/<uuid:public_id>/decline/",
        views.DeclineView.as_view(),
        name="decline",
    ),
    path(
        "triage/<uuid:public_id>/more-information/",
        views.InfoRequestView.as_view(),
        name="request-info",
    ),
    path("<uuid:public_id>/", views.ReferralDetailView.as_view(), name="detail"),
    path("<uuid:public_id>/answer/", views.AnswerView.as_view(), name="answer"),
]
