"""``{% case_list_export_links %}``: links to the exports the user may make."""

from typing import Any

from django import template
from django.urls import reverse

from masip.cases.keyset import CURSOR_PARAMS
from masip.exports.formats import FORMATS

register = template.Library()


@register.inclusion_tag("exports/_case_list_export_links.html", takes_context=True)
def case_list_export_links(context: dict[str, Any]) -> dict[str, Any]:
    """One link per format the user's memberships grant, keeping the filters
    (an export is the whole filtered list, so the page the user is on is not)."""
    request = context["request"]
    access = request.access
    query = request.GET.copy()
    for name in CURSOR_PARAMS:
        query.pop(name, None)
    suffix = f"?{query.urlencode()}" if query else ""
    links = [
        {
            "label": spec.label,
            "href": reverse(f"exports:case-list-{fmt.value}") + suffix,
        }
        for fmt, spec in FORMATS.items()
        if access.has(spec.permission)
    ]
    return {"links": links}
