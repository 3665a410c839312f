"""`Authorization: Token <key>`, checked against the stored digest (models.ApiToken)."""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiToken


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's token header, but the key is looked up by its digest: the key is never stored."""

    model = ApiToken

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = (
            ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()
        )
        if token is None or not token.user.is_active:
            raise AuthenticationFailed("Invalid token.")
        return token.user, token
