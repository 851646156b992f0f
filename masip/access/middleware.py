"""Attaches the per-request ``Access`` object as ``request.access``."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from masip.access.policy import Access


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The one place ``access`` is attached: HttpRequest declares no such
        # attribute, so views read it through ``AuthenticatedRequest``.
        request.access = SimpleLazyObject(lambda: Access(request.user))  # type: ignore[attr-defined]
        return self.get_response(request)
