"""The signs a member of the public can tick on the concern form, in plain words, and the
screening-tool indicator each one suggests (the practitioner confirms it). Pure Python."""

from __future__ import annotations

# (code, what the reporter sees, screening indicator it suggests or "")
SIGNS: tuple[tuple[str, str, str], ...] = (
    ("told_someone", "The child has told someone they are being abused or exploited", "disclosure"),
    (
        "missing",
        "Going missing from home, care or school, or staying out overnight",
        "missing_overnight",
    ),
    ("older_partner", "Has a much older boyfriend, girlfriend or 'friend'", "older_partner"),
    ("cars", "Being picked up or dropped off in cars by adults you do not know", "vehicles"),
    ("gifts", "Has money, a new phone, clothes or gifts they cannot explain", "gifts_money"),
    (
        "online",
        "Talking online to adults they do not know, or sharing sexual images",
        "online_contact",
    ),
    ("substances", "Using drugs or alcohol", "substances"),
    ("injuries", "Has injuries that have not been explained", "injuries"),
    ("school", "Missing school or not doing as well as before", "school_absence"),
    ("behaviour", "Has become secretive, angry or withdrawn", "secretive"),
)
SIGN_LABELS = {code: label for code, label, _ in SIGNS}
SIGN_TO_INDICATOR = {code: indicator for code, _, indicator in SIGNS if indicator}


def suggested_indicators(signs: list[str]) -> list[str]:
    return sorted({SIGN_TO_INDICATOR[s] for s in signs if s in SIGN_TO_INDICATOR})
