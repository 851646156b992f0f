"""The request type that views see once the middleware has run."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

from masip.access.policy import Access

if TYPE_CHECKING:
    from masip.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request to a view that needs a signed-in user, for type annotations.

    ``LoginRequiredMiddleware`` has turned anonymous visitors away, so ``user``
    is a ``User``; ``AccessMiddleware`` has attached ``access``. No instance is
    ever made: views annotate ``request`` (or ``self.request``) with it.
    """

    user: "User"
    access: Access
