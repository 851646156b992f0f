"""URLs of the accounts app: sign-in, sign-out, notifications, home."""

from django.urls import path

from masip.accounts import staff_views, views

app_name = "accounts"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/verify/", views.MfaVerifyView.as_view(), name="mfa-verify"),
    path("sign-in/set-up/", views.MfaEnrolView.as_view(), name="mfa-enrol"),
    path(
        "sign-in/recovery-codes/",
        views.MfaRecoveryCodesView.as_view(),
        name="mfa-recovery-codes",
    ),
    path("sign-in/confirm/", views.StepUpConfirmView.as_view(), name="step-up"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("healthz/", views.HealthView.as_view(), name="health"),
    path("staff/", staff_views.StaffListView.as_view(), name="staff-list"),
    path("staff/add/", staff_views.StaffAddView.as_view(), name="staff-add"),
    path("staff/<int:pk>/", staff_views.StaffEditView.as_view(), name="staff-edit"),
]
