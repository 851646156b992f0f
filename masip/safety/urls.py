"""The victim's safety plan and contacts, mounted at ``/cases/<reference>/safety/``.

Routes about one victim take the victim's ``public_id`` (a person on the
case as a victim); routes about one contact take the contact's.
"""

from django.urls import path

from masip.safety import views

app_name = "safety"
urlpatterns = [
    path("", views.SafetyOverviewView.as_view(), name="overview"),
    path("updates/", views.VictimUpdateLogView.as_view(), name="updates"),
    path(
        "victims/<uuid:public_id>/log/",
        views.ContactLogView.as_view(),
        name="contact-log",
    ),
    path(
        "victims/<uuid:public_id>/schedule/",
        views.ContactScheduleView.as_view(),
        name="contact-schedule",
    ),
    path("victims/<uuid:public_id>/plan/", views.PlanView.as_view(), name="plan"),
    path(
        "victims/<uuid:public_id>/plan/history/",
        views.PlanHistoryView.as_view(),
        name="plan-history",
    ),
    path(
        "victims/<uuid:public_id>/plan/edit/",
        views.PlanEditView.as_view(),
        name="plan-edit",
    ),
    path(
        "contacts/<uuid:public_id>/", views.ContactDetailView.as_view(), name="contact"
    ),
    path(
        "contacts/<uuid:public_id>/complete/",
        views.ContactCompleteView.as_view(),
        name="contact-complete",
    ),
    path(
        "contacts/<uuid:public_id>/cancel/",
        views.ContactCancelView.as_view(),
        name="contact-cancel",
    ),
]
