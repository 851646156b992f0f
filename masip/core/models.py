"""Abstract base models shared by the domain apps."""

from django.db import models


class TimeStampedModel(models.Model):
    """Creation and last-change times, set by the database layer."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A row edited through forms: ``version`` guards against lost updates.

    Services compare the version a form was opened with against the stored one
    and refuse the write (``StaleEditError``) if someone else saved in between.
    """

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class CspViolation(models.Model):
    """Content Security Policy violations reported by browsers, counted.

    One row per (directive, blocked source, page path). Only the path of the
    page is kept, never its query string, and only the scheme and host of a
    blocked address, so a report cannot carry case data into this table.
    """

    directive = models.CharField(max_length=64)
    blocked = models.CharField(max_length=200)
    page = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=1)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_seen", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "blocked", "page"], name="csp_violation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.directive} blocked {self.blocked} on {self.page}"
