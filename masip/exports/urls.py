"""URLs of the exports app: one per format, so each has its own permission."""

from django.urls import path

from masip.exports import views

app_name = "exports"
urlpatterns = [
    path("cases/csv/", views.CaseListCsvView.as_view(), name="case-list-csv"),
    path("cases/xlsx/", views.CaseListXlsxView.as_view(), name="case-list-xlsx"),
    path("cases/pdf/", views.CaseListPdfView.as_view(), name="case-list-pdf"),
]
