"""URLs of the accounts app: sign-in, sign-out, notifications, home."""

from django.urls import path

from masip.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("healthz/", views.HealthView.as_view(), name="health"),
]
