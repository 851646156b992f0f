"""Exposes ``access`` to templates (navigation, memberships, global verbs)."""

from django.http import HttpRequest

from masip.access.policy import Access


def access(request: HttpRequest) -> dict[str, Access]:
    found = getattr(request, "access", None)
    return {"access": found} if found is not None else {}
