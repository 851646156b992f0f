"""URLs of the accounts app: sign-in, sign-out, notifications, home."""

from django.urls import path

from masip.accounts import home_address_views, staff_views, views, webauthn_views

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
    path(
        "sign-in/set-up/security-key/",
        webauthn_views.SecurityKeyEnrolView.as_view(),
        name="webauthn-enrol",
    ),
    path(
        "sign-in/security-key/options/",
        webauthn_views.AuthenticationOptionsView.as_view(),
        name="webauthn-authenticate-options",
    ),
    path(
        "account/security/",
        webauthn_views.SecurityView.as_view(),
        name="security",
    ),
    path(
        "account/security/keys/options/",
        webauthn_views.RegistrationOptionsView.as_view(),
        name="webauthn-register-options",
    ),
    path(
        "account/security/keys/add/",
        webauthn_views.SecurityKeyAddView.as_view(),
        name="webauthn-add",
    ),
    path(
        "account/security/keys/<int:key_pk>/remove/",
        webauthn_views.SecurityKeyRemoveView.as_view(),
        name="webauthn-remove",
    ),
    path(
        "account/home-address/",
        home_address_views.OwnHomeAddressView.as_view(),
        name="home-address",
    ),
    path("sign-in/confirm/", views.StepUpConfirmView.as_view(), name="step-up"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/<int:pk>/open/",
        views.NotificationOpenView.as_view(),
        name="notification-open",
    ),
    path("healthz/", views.HealthView.as_view(), name="health"),
    path("staff/", staff_views.StaffListView.as_view(), name="staff-list"),
    path("staff/add/", staff_views.StaffAddView.as_view(), name="staff-add"),
    path("staff/<int:pk>/", staff_views.StaffEditView.as_view(), name="staff-edit"),
    path(
        "staff/<int:pk>/home-address/",
        home_address_views.StaffHomeAddressView.as_view(),
        name="staff-home-address",
    ),
    path(
        "staff/<int:pk>/reset-sign-in/",
        staff_views.StaffFactorResetView.as_view(),
        name="staff-factor-reset",
    ),
]
