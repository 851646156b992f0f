"""Model fields that hold sealed values.

``EncryptedTextField``: code reads and assigns plaintext (``address.line_1``);
the column holds only ``v1.<kid>.<...>`` tokens. A value is sealed when the row
is saved (``save``, ``create``, ``bulk_create``), bound to the table, the
column and the row's seal id (a UUID set before the insert), and opened the
first time the attribute is read. Everything else fails loudly:

- filtering on the column with any lookup but ``isnull`` (and ``exact``
  against a stored token, which the key rotation uses to compare and swap);
- writing plaintext around the model (``QuerySet.update``, ``bulk_update``);
- a stored value moved to another row or column (``DecryptionError``).

``BlindIndexField``: an HMAC of a sealed field's normalised plaintext, kept in
step on every save, for exact-match lookups (see ``masip.crypto.blind``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.query_utils import DeferredAttribute

from masip.crypto import blind
from masip.crypto.cipher import associated_data, open_sealed, seal


class Ciphertext(str):
    """A stored token as read from or written to the column; never plaintext."""

    __slots__ = ()


class SealedFieldError(FieldError):
    """Plaintext reached an encrypted column other than through a model save."""


class SealedAttribute(DeferredAttribute):
    """Opens the stored token on first read and keeps the plaintext on the instance."""

    field: EncryptedTextField

    def __get__(self, instance: models.Model | None, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Ciphertext):
            value = self.field.open(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField[Any, Any]):
    """Text sealed with AES-256-GCM; ``max_length`` limits the plaintext in forms."""

    descriptor_class = SealedAttribute
    description = "Text encrypted at rest (AES-256-GCM, bound to its row)"

    def __init__(self, *args: Any, seal_field: str = "seal_id", **kwargs: Any) -> None:
        self.seal_field = seal_field
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _, args, kwargs = super().deconstruct()
        if self.seal_field != "seal_id":
            kwargs["seal_field"] = self.seal_field
        return name, "masip.crypto.fields.EncryptedTextField", args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        try:
            seal = self.model._meta.get_field(self.seal_field)
        except FieldDoesNotExist:
            seal = None
        if not isinstance(seal, models.UUIDField) or not seal.unique:
            errors.append(
                checks.Error(
                    f"{self.seal_field!r} must be a unique UUIDField on the model: "
                    "it binds each sealed value to its row.",
                    obj=self,
                    id="crypto.E002",
                )
            )
        return errors

    # Where a value belongs ------------------------------------------------

    def label(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def aad(self, seal_id: uuid.UUID | str | None) -> bytes:
        if seal_id is None:
            raise SealedFieldError(
                f"{self.label()} cannot be sealed or opened: the row has no "
                f"{self.seal_field}."
            )
        return associated_data(self.model._meta.db_table, str(self.column), seal_id)

    def seal_for(self, seal_id: uuid.UUID | str, plaintext: str) -> Ciphertext:
        return Ciphertext(seal(plaintext, aad=self.aad(seal_id)))

    def open_for(self, seal_id: uuid.UUID | str, token: str) -> str:
        where = f"{self.label()} (row {seal_id})"
        return open_sealed(token, aad=self.aad(seal_id), where=where)

    def open(self, instance: models.Model, token: Ciphertext) -> str:
        return self.open_for(getattr(instance, self.seal_field), token)

    # Django's hooks -----------------------------------------------------------

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        plaintext = getattr(model_instance, self.attname)
        if plaintext is None:
            return None
        if not isinstance(plaintext, str):
            raise SealedFieldError(f"{self.label()} holds text, not {type(plaintext)}.")
        return self.seal_for(getattr(model_instance, self.seal_field), plaintext)

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> Ciphertext | None:
        return None if value is None else Ciphertext(value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Ciphertext):
            return value
        raise SealedFieldError(
            f"{self.label()} is encrypted: write it by saving a model instance, and "
            "match on it through its blind index (only isnull can filter it)."
        )

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        return self.get_prep_value(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name in {"isnull", "exact"}:
            return super().get_lookup(lookup_name)
        raise SealedFieldError(
            f"{self.label()} is encrypted: it cannot be filtered with "
            f"'{lookup_name}'. Use its blind index for exact matches."
        )

    def get_transform(self, lookup_name: str) -> Any:
        raise SealedFieldError(
            f"{self.label()} is encrypted: '{lookup_name}' cannot apply to it."
        )


BlindScheme = Callable[[models.Model, str], str]
BLIND_SCHEMES: dict[str, BlindScheme] = {
    "postcode": lambda obj, source: blind.postcode_index(getattr(obj, source) or ""),
    # The identifier scheme reads the row's ``kind`` to normalise the value.
    "identifier": lambda obj, source: blind.identifier_index(
        str(obj.kind),  # type: ignore[attr-defined]
        getattr(obj, source) or "",
    ),
}


_BLIND_DEFAULTS: dict[str, Any] = {
    "max_length": 64,
    "editable": False,
    "blank": True,
    "default": "",
    "db_index": True,
}


class BlindIndexField(models.CharField[Any, Any]):
    """The blind index of ``source`` under ``scheme``, recomputed on every save."""

    description = "Keyed blind index (HMAC-SHA256) of a sealed field"

    def __init__(self, *args: Any, source: str = "", scheme: str = "", **kwargs: Any):
        self.source, self.scheme = source, scheme
        for option, default in _BLIND_DEFAULTS.items():
            kwargs.setdefault(option, default)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _, args, kwargs = super().deconstruct()
        for option, default in _BLIND_DEFAULTS.items():
            if option in kwargs and kwargs[option] == default:
                del kwargs[option]
        kwargs["source"], kwargs["scheme"] = self.source, self.scheme
        return name, "masip.crypto.fields.BlindIndexField", args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.scheme not in BLIND_SCHEMES:
            errors.append(
                checks.Error(
                    f"Unknown blind index scheme {self.scheme!r}.",
                    obj=self,
                    id="crypto.E003",
                )
            )
        return errors

    def index_of(self, instance: models.Model) -> str:
        return BLIND_SCHEMES[self.scheme](instance, self.source)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = self.index_of(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def sealed_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
