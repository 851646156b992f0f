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
