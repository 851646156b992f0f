"""Domain errors that interfaces turn into messages for the user."""

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused the change; the message is for the user."""


class StaleEditError(DomainError):
    """The record changed since the user opened it.

    ``current`` holds the stored values (by field name), so the interface can
    show both versions side by side and nothing typed by the user is lost.
    """

    def __init__(self, *, current: dict[str, Any], current_version: int) -> None:
        super().__init__(
            "Someone else changed this record after you opened it. "
            "Check their changes below, then save again."
        )
        self.current = current
        self.current_version = current_version
