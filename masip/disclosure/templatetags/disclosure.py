"""The navigation link to subject access requests, for those who handle them."""

from typing import Any

from django import template
from django.urls import reverse

from masip.access.permissions import Permission

register = template.Library()


@register.inclusion_tag("disclosure/_navigation_item.html", takes_context=True)
def disclosure_navigation_item(context: dict[str, Any]) -> dict[str, Any]:
    access = context.get("access")
    request = context.get("request")
    if access is None or not access.has(Permission.SAR_MANAGE):
        return {"show": False}
    href = reverse("disclosure:request-list")
    path = getattr(request, "path", "")
    return {"show": True, "href": href, "active": path == href}
