"""The URL map: each app mounts its own ``urls.py``."""

from django.urls import include, path

urlpatterns = [
    path("", include("masip.accounts.urls")),
    path("", include("masip.core.urls")),
    path("cases/", include("masip.cases.urls")),
    path("cases/<str:reference>/people/", include("masip.people.urls")),
    path("cases/<str:reference>/incidents/", include("masip.incidents.urls")),
    path("cases/<str:reference>/evidence/", include("masip.evidence.urls")),
    path("cases/<str:reference>/assessments/", include("masip.risk.urls")),
    path("cases/<str:reference>/actions/", include("masip.panels.case_action_urls")),
    path("cases/<str:reference>/orders/", include("masip.orders.urls")),
    path("cases/<str:reference>/interventions/", include("masip.interventions.urls")),
    path("cases/<str:reference>/safety/", include("masip.safety.urls")),
    path("protection/", include("masip.orders.dashboard_urls")),
    path("helpline/statistics/", include("masip.helpline.stats_urls")),
    path("helpline/handover/", include("masip.helpline.handover_urls")),
    path("helpline/", include("masip.helpline.urls")),
    path("referrals/", include("masip.referrals.urls")),
    path("panels/", include("masip.panels.urls")),
    path("panels/", include("masip.panels.pack_urls")),
    path("actions/", include("masip.panels.action_urls")),
    path("reports/", include("masip.reporting.urls")),
    path("audit/", include("masip.audit.urls")),
    path("retention/", include("masip.retention.urls")),
    path("risk/", include("masip.risk.global_urls")),
    path("alerts/", include("masip.alerts.urls")),
    path("account/conflicts/", include("masip.accounts.conflict_urls")),
    path("subject-access/", include("masip.disclosure.urls")),
    path("exports/", include("masip.exports.urls")),
    path("api/v1/", include("masip.api.urls")),
]
