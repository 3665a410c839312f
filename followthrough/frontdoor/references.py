"""Receipt references for the public: random, short, unambiguous, and revealing nothing (no
date, no sequence, no count). Pure Python."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: easy to read out over the phone.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 10


def new_reference() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """What a person typed (spaces, dashes, lower case) as a stored reference."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def display(reference: str) -> str:
    """Grouped for reading aloud: ACDE FGHJ KM."""
    return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))
