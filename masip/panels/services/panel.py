"""Setting up a site's panel: its name, member agencies and chair."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from masip.access.actors import Actor
from masip.accounts.models import Agency, Site, User
from masip.audit.events import EventType
from masip.panels import selectors
from masip.panels.models import Panel
from masip.panels.services._common import PanelInputError, record_event, require_site


@transaction.atomic
def panel_save(
    *,
    actor: Actor,
    site: Site,
    name: str,
    member_agencies: Sequence[Agency],
    chair: User | None,
) -> Panel:
    """Set up the site's panel, or change its name, members and chair."""
    require_site(actor, site.pk)
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = "Enter the panel's name."
    allowed = set(selectors.candidate_agencies(site).values_list("pk", flat=True))
    member_ids = {a.pk for a in member_agencies}
    if not member_ids:
        errors["member_agencies"] = "Select the agencies that sit on the panel."
    elif not member_ids <= allowed:
        errors["member_agencies"] = (
            "Select agencies of this site, or national agencies."
        )
    if chair is None:
        errors["chair"] = "Select the panel's chair."
    elif (
        member_ids
        and not selectors.active_members(member_agencies).filter(pk=chair.pk).exists()
    ):
        errors["chair"] = "Select a chair who works for one of the member agencies."
    if errors:
        raise PanelInputError(errors)
    panel = Panel.objects.select_for_update().filter(site=site).first()
    created = panel is None
    if panel is None:
        panel = Panel(site=site)
        before: tuple[str, int | None, set[int]] = ("", None, set())
    else:
        before = (
            panel.name,
            panel.chair_id,
            set(panel.member_agencies.values_list("pk", flat=True)),
        )
    panel.name = name
    panel.chair = chair
    panel.save()
    panel.member_agencies.set(list(member_agencies))
    changed = [
        field
        for field, old, new in (
            ("name", before[0], name),
            ("chair", before[1], chair.pk if chair else None),
            ("member_agencies", before[2], member_ids),
        )
        if created or old != new
    ]
    if changed:
        record_event(
            EventType.PANEL_UPDATED,
            actor=actor,
            target_type="panel",
            target_id=panel.pk,
            changed_fields=changed,
        )
    return panel
