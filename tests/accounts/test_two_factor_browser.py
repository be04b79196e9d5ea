"""The second factor in a real browser (Playwright, Debian's chromium): bureau staff sign in with a
password, are sent to enrol, read the secret beside the QR code into their app (computed here from
the page, as the app would), confirm with a code, keep the recovery codes; then sign out and in again,
where the password alone is not enough: a code from the app lets them in, and later a recovery code."""

from __future__ import annotations

import pytest

from tests.accounts.two_factor_helpers import app_code
from tests.dashboard.test_browser import browser, shots  # noqa: F401 (the browser tests' fixtures)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _password(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "bureau")
    page.fill("input[name=password]", "pw-for-tests")
    page.click("button[type=submit]")


def _sign_out(page) -> None:
    page.click(".user-menu summary")
    page.get_by_role("button", name="退出登录").first.click()


def test_bureau_staff_enrol_by_qr_code_and_sign_in_with_two_factors(
    live_server,
    settings,
    bureau_user,
    shots,  # noqa: F811
    browser,  # noqa: F811
):
    settings.TWO_FACTOR_REQUIRED_FOR = "staff"
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")

    _password(page, base)
    page.wait_for_url(f"{base}/accounts/two-factor/enrol/**")
    assert page.locator(".qr svg").count() == 1
    secret = page.locator("#otp-secret").inner_text()
    page.screenshot(path=shots / "two-factor-enrol.png", full_page=True)
    page.fill("input[name=code]", app_code(secret))
    page.get_by_role("button", name="启用").click()
    page.wait_for_selector(".recovery-codes")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.screenshot(path=shots / "two-factor-recovery-codes.png", full_page=True)
    page.get_by_role("link", name="我已保存,继续").click()
    page.wait_for_url(f"{base}/**")

    page.goto(f"{base}/notices/")
    _sign_out(page)
    page.wait_for_url(f"{base}/accounts/login/")
    _password(page, base)
    page.wait_for_url(f"{base}/accounts/two-factor/verify/**")
    page.goto(f"{base}/notices/")  # the password alone opens nothing
    page.wait_for_url(f"{base}/accounts/two-factor/verify/**")
    page.fill("input[name=code]", app_code(secret, steps_ahead=1))  # the app's next code: a new time step
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{base}/notices/")
    assert page.locator(".user-menu summary").count() == 1

    _sign_out(page)
    page.wait_for_url(f"{base}/accounts/login/")
    _password(page, base)
    page.wait_for_url(f"{base}/accounts/two-factor/verify/**")
    page.fill("input[name=code]", codes[0])
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{base}/**")
    page.goto(f"{base}/accounts/two-factor/")
    assert "剩余恢复码:9 个" in page.locator("main").inner_text()
    page.screenshot(path=shots / "two-factor-status.png", full_page=True)
