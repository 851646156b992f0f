"""Tells templates whether to offer the security alerts link."""

from django.http import HttpRequest

from masip.access.permissions import Permission


def alerts(request: HttpRequest) -> dict[str, bool]:
    access = getattr(request, "access", None)
    allowed = access is not None and access.has(Permission.ALERT_MANAGE)
    return {"can_manage_alerts": allowed}
