from tests.browser.conftest import assert_no_axe_violations


def test_sign_in_page_is_accessible(live_server, page):
    page.goto(f"{live_server.url}/sign-in/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Sign in")
    assert_no_axe_violations(page)
