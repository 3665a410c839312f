"""Field encryption for DBS certificate numbers, with the keys from FOLLOWTHROUGH_FIELD_KEYS.

The first key encrypts; every key decrypts, so keys can be rotated (see config/settings.py).
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.FOLLOWTHROUGH["FIELD_ENCRYPTION_KEYS"]))


def encrypt(text: str) -> str:
    if not text:
        return ""
    return _current().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _current().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:  # a key was removed before rotation finished
        raise ValueError(
            "This certificate number cannot be decrypted with the current keys"
        ) from exc


def rotate(token: str) -> str:
    """The same value encrypted under the newest key (empty stays empty)."""
    if not token:
        return ""
    try:
        return _current().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise ValueError(
            "This certificate number cannot be decrypted with the current keys"
        ) from exc
