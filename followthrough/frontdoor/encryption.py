"""Field-level encryption at rest for the front door's narratives and personal details.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under the keys in
`settings.FOLLOWTHROUGH["FIELD_ENCRYPTION_KEYS"]`, newest first: new values are always written
with the newest key, and any listed key can read. Rotation: put a new key first, run
`followthrough rotate_keys` (which rewrites every encrypted column with the newest key), then drop
the old key. The database (and its backups) never holds the plain text.

Encrypted columns cannot be searched or filtered on (each encryption of the same text differs),
so only `isnull` lookups are allowed: anything else is a programming mistake and fails loudly.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


class EncryptionKeyError(RuntimeError):
    """No key can read a stored value: a key was removed before rotation finished."""


def _configured_keys() -> tuple[str, ...]:
    keys = settings.FOLLOWTHROUGH.get("FIELD_ENCRYPTION_KEYS") or []
    if isinstance(keys, str):
        keys = [part.strip() for part in keys.split(",") if part.strip()]
    if not keys:
        raise EncryptionKeyError("FIELD_ENCRYPTION_KEYS is empty: set FOLLOWTHROUGH_FIELD_KEYS.")
    return tuple(keys)


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def cipher() -> MultiFernet:
    """The MultiFernet for the keys configured now (settings can change in tests)."""
    return _multifernet(_configured_keys())


def encrypt_text(plain: str) -> str:
    return cipher().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise EncryptionKeyError(
            "A stored value cannot be read with the configured keys: restore the old key "
            "and run `followthrough rotate_keys` before removing it."
        ) from exc


def token_uses_newest_key(token: str) -> bool:
    """True when the newest key alone can read the token (rotation has reached it)."""
    newest = Fernet(_configured_keys()[0].encode("ascii"))
    try:
        newest.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


class EncryptedTextField(models.TextField):
    """A text column whose content is stored encrypted. Python code sees plain `str`."""

    description = "Text, encrypted at rest"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    # Conversions between the Python value and the plain text that gets encrypted.
    def to_plain(self, value: Any) -> str:
        return "" if value is None else str(value)

    def from_plain(self, plain: str) -> Any:
        return plain

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return self.from_plain(decrypt_text(value))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None and self.null:
            return None
        return encrypt_text(self.to_plain(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise TypeError(f"Encrypted fields cannot be queried with '{lookup_name}'.")
        return super().get_lookup(lookup_name)

    def value_to_string(self, obj: Any) -> str:
        return self.to_plain(self.value_from_object(obj))


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (list, dict, number) stored encrypted."""

    description = "JSON, encrypted at rest"
    # Tell django-stubs what the attribute holds (any JSON value), not TextField's str.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", None)
        super().__init__(*args, **kwargs)

    def to_plain(self, value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    def from_plain(self, plain: str) -> Any:
        return json.loads(plain)

    def to_python(self, value: Any) -> Any:
        return value

    def formfield(self, **kwargs: Any) -> Any:  # never edited through a ModelForm
        return None


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def encrypted_columns(model: type[models.Model]) -> list[str]:
    return [str(f.column) for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
