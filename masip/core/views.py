"""Project-wide error views."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired or missing form token: explain, never show Django's debug page."""
    return render(request, "403_csrf.html", status=403)
