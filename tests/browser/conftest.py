"""Browser tests: Debian's Chromium driven by Playwright against Django's live_server.

Never `playwright install`: the browser is /usr/bin/chromium from Debian (scripts/test installs it).
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request: pytest.FixtureRequest):
    """Any page that breaks the Content-Security-Policy fails the test that visited it."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def assert_no_axe_violations(page: Any) -> None:
    """Run axe-core (WCAG 2.2 AA rules) on the current page and fail with a readable list."""
    from axe_playwright_python.sync_playwright import Axe

    # axe runs inside the page: with JavaScript off it would wait for ever. Our pages mark the
    # body "js-enabled" from a script, so its absence means this context has JavaScript off.
    if page.locator("body.js-enabled").count() == 0:
        raise AssertionError(
            "axe-core needs JavaScript: check this page in a JavaScript-enabled context "
            "(the no-JavaScript journey should only check behaviour)."
        )

    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
            }
        },
    )
    violations = results.response["violations"]
    assert not violations, f"axe violations on {page.url}:\n" + "\n".join(
        f"- {v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
        for v in violations
    )


def sign_in(page: Any, live_server_url: str, username: str, password: str) -> None:
    page.goto(f"{live_server_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
