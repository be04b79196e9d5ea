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

    row.locator("td:first-child a").click()  # the name; the figure links to where it came from
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


def _pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size in points, from the MediaBox of its page object (chromium writes them plain)."""
    import re

    boxes = re.findall(
        rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", pdf, re.S
    )
    if not boxes:  # MediaBox before /Type in the dictionary
        boxes = re.findall(
            rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\][^>]*?/Type\s*/Page\b(?!s)",
            pdf,
            re.S,
        )
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]


def test_leader_sorts_the_scorecard_and_prints_it_on_one_a4_landscape_page(
    live_server, demo, leader_user, shots, browser
):
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    _sign_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/dashboard/")
    page.click("nav >> text=考核排名")
    page.wait_for_url("**/dashboard/scorecard/**")
    page.goto(f"{live_server.url}/dashboard/scorecard/?year=2024&month=6")
    rows = page.locator("#scorecard tbody tr")
    assert rows.count() == 23
    assert page.locator("#scorecard thead tr.city-row td").nth(1).inner_text() == "潜江市"
    # Cells are coloured by the engine's status, the same colours as the workbook.
    far = page.locator("#scorecard td[data-status='far_behind']").first
    assert far.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(248, 210, 208)"
    ahead = page.locator("#scorecard td[data-status='ahead']").first
    assert ahead.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(216, 240, 220)"
    assert "与进度差" in far.get_attribute("title")
    # Sort by 新增返乡创业人数 (best first), then again (worst first).
    header = page.locator("#scorecard thead button", has_text="新增返乡创业人数")
    column = header.get_attribute("data-sort")
    header.click()
    values = [
        float(v)
        for v in page.eval_on_selector_all(
            f"#scorecard tbody td[data-{column}]",
            f"els => els.map(e => e.dataset.{column}).filter(v => v !== '')",
        )
    ]
    assert values == sorted(values, reverse=True) and len(values) > 10
    header.click()
    again = [
        float(v)
        for v in page.eval_on_selector_all(
            f"#scorecard tbody td[data-{column}]",
            f"els => els.map(e => e.dataset.{column}).filter(v => v !== '')",
        )
    ]
    assert again == sorted(values)
    page.locator("#scorecard thead button[data-sort='score']").click()
    page.screenshot(path=shots / "scorecard-2024-06.png", full_page=True)

    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 dpi
    page.screenshot(path=shots / "scorecard-2024-06-print.png", full_page=True)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (shots / "scorecard-2024-06.pdf").write_bytes(pdf)
    sizes = _pdf_pages(pdf)
    assert len(sizes) == 1, sizes  # one page
    width, height = sizes[0]
    assert abs(width - 841.89) < 1.5 and abs(height - 595.28) < 1.5  # A4 landscape, in points
