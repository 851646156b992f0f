"""Which tables row-level security covers, and which case-scoped ones it misses.

A model is case-scoped when it is the case or the person model, or has a
foreign key to a case-scoped model. Each must be covered by a
``ProtectCaseScopedTable`` operation in some migration, or be listed in
``EXEMPT`` with the reason the database may show it to every request.
"""

from django.apps import apps
from django.db.models import ForeignKey, Model

from masip.isolation.operations import CASE_MODEL, PERSON_MODEL, protected_vias

# label_lower -> why the table is not under row-level security.
EXEMPT: dict[str, str] = {
    "disclosure.requestsubject": (
        "Links a subject access request to the person records it is about; it "
        "holds no personal data itself and is read only through the disclosure "
        "app's selectors, which are scoped to the request's agency."
    ),
}


def protected_models() -> set[str]:
    """Models (``app.model``) a migration protects, read from the migration files."""
    return set(protected_vias())


def _points_at(model: type[Model], targets: set[str]) -> bool:
    return any(
        isinstance(field, ForeignKey)
        and not isinstance(field.related_model, str)
        and field.related_model is not None
        and field.related_model._meta.label_lower in targets
        for field in model._meta.get_fields()
    )


def case_scoped_models() -> set[str]:
    """Every concrete, managed model that holds case data, by the rule above."""
    scoped = {CASE_MODEL, PERSON_MODEL}
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    grew = True
    while grew:
        grew = False
        for model in models:
            label = model._meta.label_lower
            if label not in scoped and _points_at(model, scoped):
                scoped.add(label)
                grew = True
    return scoped


def uncovered_models() -> list[str]:
    """Case-scoped models neither protected by a migration nor exempt."""
    return sorted(case_scoped_models() - protected_models() - set(EXEMPT))
