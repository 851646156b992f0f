"""Panel packs and minutes, mounted at ``/panels/``."""

from django.urls import URLPattern, path

from masip.panels import pack_views

app_name = "panel-packs"
urlpatterns: list[URLPattern] = [
    path(
        "meetings/<uuid:public_id>/pack/",
        pack_views.PackView.as_view(),
        name="pack",
    ),
    path(
        "meetings/<uuid:public_id>/pack.pdf",
        pack_views.PackPdfView.as_view(),
        name="pack-pdf",
    ),
    path(
        "meetings/<uuid:public_id>/minutes/",
        pack_views.MinutesView.as_view(),
        name="minutes",
    ),
    path(
        "meetings/<uuid:public_id>/minutes.pdf",
        pack_views.MinutesPdfView.as_view(),
        name="minutes-pdf",
    ),
]
