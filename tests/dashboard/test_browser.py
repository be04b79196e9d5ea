"""A leader in a real browser (Playwright driving Debian's chromium): signs in, opens the cockpit for
December 2024, sees 176.7% for urban new jobs, opens the indicator page and its charts. Screenshots
are saved (SCREENSHOT_DIR, default the pytest temporary directory) for people to look at."""

import os
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser():
    """Request it last: Playwright's sync API runs an event loop, and Django refuses database work
    inside one, so the data fixtures must be set up before it starts."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: `make test` installs it (apt package chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_leader_reads_the_cockpit_and_an_indicator_chart(live_server, demo, leader_user, shots, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    _sign_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/dashboard/?year=2024&month=12")
    row = page.locator("tr[data-code='employment.urban_new_jobs']")
    assert row.locator("td.rate").inner_text() == "176.7%"
    assert "超序时进度" in row.inner_text()
    page.wait_for_selector("tr[data-code='employment.urban_new_jobs'] .spark svg")  # the trend is drawn
    page.screenshot(path=shots / "cockpit-2024-12.png", full_page=True)

    row.locator("a").click()
    page.wait_for_url("**/dashboard/indicators/employment.urban_new_jobs/**")
    page.wait_for_selector("body[data-charts-ready='1']")
    assert page.locator("#series-chart svg").count() == 1
    assert page.locator("#ranking-chart svg").count() == 1
    assert "区镇街道完成率排名" in page.content()
    assert page.locator("#series-chart").inner_text().count("年度目标") >= 1  # the legend is in Chinese
    page.screenshot(path=shots / "indicator-urban-new-jobs.png", full_page=True)
    assert (shots / "indicator-urban-new-jobs.png").stat().st_size > 10_000


def test_cockpit_fits_a_phone(live_server, demo, leader_user, shots, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    _sign_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/dashboard/?year=2024&month=12")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no sideways scrolling
    page.screenshot(path=shots / "cockpit-phone.png", full_page=True)
