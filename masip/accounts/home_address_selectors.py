"""Reads: whether a member of staff's home address is on record (never what it says)."""

import datetime as dt

from masip.accounts.models import StaffHomeAddress, User


def staff_home_address_updated_at(user: User) -> dt.datetime | None:
    """When ``user``'s home address was last recorded, or None if there is none."""
    return (
        StaffHomeAddress.objects.filter(user=user)
        .values_list("updated_at", flat=True)
        .first()
    )
