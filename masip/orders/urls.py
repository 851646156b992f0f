"""The orders on a case, mounted at ``/cases/<reference>/orders/``."""

from django.urls import path

from masip.orders import views

app_name = "orders"
urlpatterns = [
    path("", views.OrderListView.as_view(), name="list"),
    path("new/", views.OrderRecordView.as_view(), name="record"),
    path("<uuid:public_id>/", views.OrderDetailView.as_view(), name="detail"),
    path(
        "<uuid:public_id>/conditions/new/",
        views.ConditionAddView.as_view(),
        name="condition-add",
    ),
    path("<uuid:public_id>/serve/", views.ServeView.as_view(), name="serve"),
    path("<uuid:public_id>/vary/", views.VaryView.as_view(), name="vary"),
    path("<uuid:public_id>/renew/", views.RenewView.as_view(), name="renew"),
    path(
        "<uuid:public_id>/discharge/", views.DischargeView.as_view(), name="discharge"
    ),
    path(
        "<uuid:public_id>/notification-change/",
        views.NotificationChangeView.as_view(),
        name="notification-change",
    ),
    path(
        "<uuid:public_id>/breaches/new/",
        views.BreachRecordView.as_view(),
        name="breach-record",
    ),
    path(
        "requirements/<uuid:public_id>/notified/",
        views.NotificationMadeView.as_view(),
        name="notification-made",
    ),
    path(
        "breaches/<uuid:public_id>/",
        views.BreachDetailView.as_view(),
        name="breach-detail",
    ),
    path(
        "breaches/<uuid:public_id>/update/",
        views.BreachUpdateView.as_view(),
        name="breach-update",
    ),
    path(
        "reviews/<uuid:public_id>/confirm/",
        views.ReviewConfirmView.as_view(),
        name="review-confirm",
    ),
    path(
        "reviews/<uuid:public_id>/dismiss/",
        views.ReviewDismissView.as_view(),
        name="review-dismiss",
    ),
]
