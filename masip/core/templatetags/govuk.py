"""Template filters for GOV.UK-style display (loaded into every template)."""

from collections.abc import Mapping
from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def govuk_date(value: date | datetime | None) -> str:
    """``7 March 2026``; datetimes are shown in UK time with ``at 2:30pm``."""
    if value is None or value == "":
        return "Not recorded"
    if isinstance(value, datetime):
        local = timezone.localtime(value)
        hour = local.strftime("%-I:%M%p").lower().replace(":00", "")
        return f"{local.day} {local:%B %Y} at {hour}"
    return f"{value.day} {value:%B %Y}"


@register.filter
def govuk_day(value: date | datetime | None) -> str:
    """The date alone, for timeline headings."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


@register.filter
def yes_no(value: object) -> str:
    return "Yes" if value else "No"


@register.filter
def get_item(mapping: Mapping[str, object] | None, key: str) -> object:
    return mapping.get(key) if mapping else None


@register.filter
def words(name: str) -> str:
    """An identifier as words for a label: ``"risk_changes"`` -> ``"Risk changes"``."""
    return str(name).replace("_", " ").capitalize()
