"""修改密码 in a real browser (Playwright, Debian's chromium): a township clerk on a phone opens the user
menu in the top bar, changes the password, stays signed in, and signs in again with the new one."""

from __future__ import annotations

import pytest

from tests.dashboard.test_browser import browser, shots  # noqa: F401 (the browser tests' fixtures)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.mark.parametrize("width", [1440, 390])
def test_a_township_changes_its_password_from_the_user_menu(
    live_server,
    township_a_user,
    shots,  # noqa: F811
    browser,  # noqa: F811
    width,
):
    page = browser.new_page(viewport={"width": width, "height": 844}, locale="en-US")
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "town_a")
    page.fill("input[name=password]", "pw-for-tests")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    _open_user_menu(page, width)
    link = page.get_by_role("link", name="修改密码")
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] >= 44
    link.click()
    page.wait_for_url(f"{base}/accounts/password_change/")
    page.fill("input[name=old_password]", "pw-for-tests")
    page.fill("input[name=new_password1]", "Qj-new-2024-pass")
    page.fill("input[name=new_password2]", "Qj-new-2024-pass")
    page.screenshot(path=shots / f"password-change-{width}.png", full_page=True)
    page.get_by_role("button", name="修改密码").click()
    page.wait_for_url(f"{base}/")

    assert "密码已修改,下次登录请使用新密码" in page.locator(".messages").inner_text()
    assert page.locator(".user-menu summary").count() == 1  # still signed in
    _open_user_menu(page, width)
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(f"{base}/accounts/login/")
    page.fill("input[name=username]", "town_a")
    page.fill("input[name=password]", "Qj-new-2024-pass")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")  # the new password signs in (the database is not the browser's to read)


def _open_user_menu(page, width: int) -> None:
    """On a phone the menu is folded behind 菜单 (issue 22 point 2): open it, then the person's own."""
    if width < 700:
        page.click("label.nav-toggle-label")
    page.click(".user-menu summary")
