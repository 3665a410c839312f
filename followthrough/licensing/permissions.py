"""Who may use the licensing register: can_<verb>_<entity>(user, obj) -> bool.

The register holds criminal-record and safeguarding information about named people, so only
licensing officers (and administrators) see any of it. Everyone else gets "not found".
"""

from __future__ import annotations

from typing import Any

from followthrough.core.roles import Role

_REGISTER_ROLES = (Role.LICENSING_OFFICER, Role.ADMIN)


def can_view_register(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(*_REGISTER_ROLES))


def can_edit_register(user: Any) -> bool:
    return can_view_register(user)


def can_record_decision(user: Any, licensee: Any = None) -> bool:
    return can_view_register(user)


def can_manage_training(user: Any) -> bool:
    return can_view_register(user)
