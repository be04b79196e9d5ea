"""A township office in a real browser (Playwright, Debian's chromium): the badge in the top bar counts
its unread notices, the notices page lists them, marking one read counts the badge down; the bureau's
status page shows the record and the 一键催报 form. Screenshots in tests/artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from notices.services import reminders_send_due
from tests.dashboard.test_browser import browser  # noqa: F401 (the fixture)

from .conftest import MONTH, YEAR, at

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


@pytest.fixture
def reminded(people):
    with at("2026-12-07 09:00"):
        reminders_send_due()
    with at("2026-12-10 09:00"):
        reminders_send_due()
    return people


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_the_township_reads_its_notices_and_the_badge_counts_down(live_server, reminded, browser):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    _sign_in(page, live_server.url, "town_b")
    assert page.locator(".topbar .notice-badge").inner_text() == "2"

    page.click(".topbar a.notices-link")
    page.wait_for_url("**/notices/")
    assert page.locator("li.notice-unread").count() == 2
    assert "杨市街道" in page.locator("li.notice").first.inner_text()
    page.screenshot(path=SHOTS / "notices-unread.png", full_page=True)

    page.locator("li.notice-unread button.mark-read").first.click()
    page.wait_for_load_state()
    assert page.locator(".topbar .notice-badge").inner_text() == "1"
    assert page.locator("li.notice-read").count() == 1

    page.click("#read-all")
    page.wait_for_load_state()
    assert page.locator(".topbar .notice-badge").count() == 0
    assert page.locator("li.notice-unread").count() == 0
    page.screenshot(path=SHOTS / "notices-all-read.png", full_page=True)


def test_the_bureau_sees_the_record_and_the_one_click_form(live_server, reminded, browser):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    _sign_in(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}/reporting/status/?year={YEAR}&month={MONTH}")
    row = page.locator("tr[data-code='429005002']")
    assert "已催报 2 次,最近 12月10日 09:00" in row.inner_text()
    assert row.locator("input[type=checkbox]").is_checked()  # it owes: selected already
    page.screenshot(path=SHOTS / "status-reminders.png", full_page=True)
