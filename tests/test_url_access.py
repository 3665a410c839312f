"""Deny by default, across every module: walks the whole URL configuration.

- Anonymous visitors reach only the pages listed as public here; everything else sends them to
  sign in (or, for front-door records, answers "not found"). A new page is private until someone adds it to PUBLIC on purpose.
- Signed-in people in a role a module is not for get "not found" from that module's pages.
Each module's own matrix tests go further (own/other organisation, every object).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from followthrough.core.roles import TRACKER_READERS, Role

PUBLIC_NAMES = {
    "core:login",
    "core:accessibility",
    "core:logout",  # signing out is harmless for anyone
    "reports:follow-confirm",
    "reports:follow-stop",
}
PUBLIC_NAMESPACES = {"public", "api"}
PUBLIC_PREFIXES = ("frontdoor:report-",)
# Pages a signed-in person may reach before giving their second factor.
SIGN_IN_STEPS = {"core:second-factor-setup", "core:second-factor", "core:session-keepalive"}

# Which roles each module is for; everyone else gets 404 from its parameter-free pages.
MODULE_ROLES = {
    "tracker": set(TRACKER_READERS),
    "documents": {Role.ADMIN, Role.SCRUTINY_OFFICER},
    "insights": {Role.ADMIN, Role.ANALYST},
    "frontdoor": {Role.FRONTDOOR_PRACTITIONER, Role.FRONTDOOR_MANAGER},
    "licensing": {Role.ADMIN, Role.LICENSING_OFFICER},
    "reports": set(TRACKER_READERS),
}

_CONVERTERS = {
    "int": "999999",
    "slug": "no-such-thing",
    "str": "no-such-thing",
    "path": "x",
    "uuid": "0" * 32,
}


def _walk(resolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and not prefix.startswith("django-admin"):
            yield namespace + (pattern.name or ""), prefix + str(pattern.pattern)


def _concrete(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: _CONVERTERS[m.group(1) or "str"], route)


ALL_URLS = sorted(set(_walk(get_resolver())))


def _is_public(name: str) -> bool:
    return (
        name in PUBLIC_NAMES
        or name.split(":")[0] in PUBLIC_NAMESPACES
        or name.startswith(PUBLIC_PREFIXES)
    )


def test_the_walk_finds_every_module():
    namespaces = {name.split(":")[0] for name, _ in ALL_URLS}
    assert {
        "core",
        "public",
        "tracker",
        "documents",
        "insights",
        "reports",
        "frontdoor",
        "licensing",
        "api",
    } <= namespaces


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), ALL_URLS, ids=[n for n, _ in ALL_URLS])
def test_anonymous_visitors_reach_only_public_pages(name, route):
    path = _concrete(route)
    for method in ("get", "post"):
        response = getattr(Client(), method)(path)
        assert response.status_code < 500, f"{method.upper()} {path}"
        if not _is_public(name):
            # Denied: sent to sign in, or (front-door records) simply "not found".
            denied = response.status_code == 404 or (
                response.status_code == 302 and response["Location"].startswith("/sign-in/")
            )
            assert denied, f"{method.upper()} {path} gave {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_module_is_not_found_for_roles_it_is_not_for(role, user_factory):
    client = Client()
    client.force_login(user_factory(role))
    failures = []
    for name, route in ALL_URLS:
        module = name.split(":")[0]
        if (
            "<" in route
            or module not in MODULE_ROLES
            or role in MODULE_ROLES[module]
            or _is_public(name)
        ):
            continue
        status = client.get(_concrete(route)).status_code
        if status == 405:  # a POST-only endpoint: what matters is that posting is refused
            status = client.post(_concrete(route)).status_code
        if status != 404:
            failures.append(f"{name} /{route}: {status}")
    assert not failures, f"{role} reached pages not meant for that role:\n" + "\n".join(failures)
