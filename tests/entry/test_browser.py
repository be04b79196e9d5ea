"""A bureau clerk in a real browser (Playwright driving Debian's chromium): opens 市本级's March 2024
sheet, types a figure (the completion rate follows as typed), pastes a column copied from Excel/WPS,
saves, sees the cell the write path refused, fixes it, saves, and sees the cockpit change; then splits
the city quota by last year's share and checks the sum. Screenshots go to SCREENSHOT_DIR
(tests/artifacts/screenshots/ when run so)."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connections
from playwright.sync_api import expect

from completion.rule import completion_rate
from entry.templatetags.entry_tags import rate_text
from indicators.models import MonthlyValue, Quota
from tests.entry.conftest import CITY, JOBS, REEMPLOYED, A, B

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _db(read):
    """Run a database read or write beside the browser: Playwright's sync API keeps an event loop
    running in this thread (Django refuses database work there, and a connection opened in it would
    outlive the test), so it runs in a thread of its own, which closes its connection."""

    def run():
        try:
            return read()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def _paste(page, selector: str, text: str) -> None:
    """What Ctrl+V of a column copied from Excel or WPS delivers: tab/newline separated text."""
    page.locator(selector).focus()
    page.evaluate(
        """([selector, text]) => {
            const data = new DataTransfer();
            data.setData('text/plain', text);
            document.querySelector(selector).dispatchEvent(
                new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        [selector, text],
    )


def test_clerk_fills_a_month_pastes_a_column_fixes_a_cell_and_the_cockpit_moves(
    live_server,
    world,
    clerk,
    typed_by_hand,
    shots,
    browser,
):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/entry/sheet/?org={CITY}&year=2024&month=3")
    jobs = page.locator(f"tr[data-code='{JOBS}']")
    assert jobs.locator(".rate").inner_text() == "4.3%"  # 300 before March ÷ 7,000

    # The rate a typed figure would give comes from the server (entry:sheet-rates), by the one rule.
    jobs.locator("input[name^='v-']").fill("300")
    expect(jobs.locator(".rate")).to_have_text("8.6%")
    assert rate_text(completion_rate(Decimal(600), 1, Decimal(7000), ceiling=False)) == "8.6%"
    for typed, figure in (("0", 0), ("1", 1), ("4,699", 4699), ("１２３", 123), ("1.2万", 12000), ("", None)):
        jobs.locator("input[name^='v-']").fill(typed)
        expected = rate_text(completion_rate(Decimal(300 + (figure or 0)), 1, Decimal(7000), ceiling=False))
        expect(jobs.locator(".rate")).to_have_text(expected)  # the server's reading and rounding
    jobs.locator("input[name^='v-']").fill("3OO")
    expect(jobs.locator(".cell-hint")).to_be_visible()
    expect(jobs.locator(".rate")).to_have_text("—")
    jobs.locator("input[name^='v-']").fill("300")
    page.keyboard.press("Enter")  # down to the next cell
    focused = page.evaluate("document.activeElement.name")
    assert focused == f"v-{REEMPLOYED}"
    # A column from Excel: thousands separators, full-width digits, a fraction of a person.
    _paste(page, f"input[name='v-{REEMPLOYED}']", "1,234\r\n１２０\r\n12.5\r\n")
    names = page.evaluate("Array.from(document.querySelectorAll(\"input[name^='v-']\")).map(i => i.name)")
    at = names.index(f"v-{REEMPLOYED}")
    assert page.input_value(f"input[name='{names[at + 1]}']") == "１２０"
    third = names[at + 2]
    assert page.input_value(f"input[name='{third}']") == "12.5"
    expect(page.locator("#sheet-status")).to_contain_text("已修改4项")
    expect(page.locator("#sheet-status")).to_contain_text("已粘贴3格")
    page.screenshot(path=shots / "month-sheet-typing.png", full_page=True)

    page.click("#save")
    page.wait_for_selector("#problems")
    row = page.locator(f"tr:has(input[name='{third}'])")
    assert "须为整数" in row.locator(".cell-error").inner_text()
    assert not _db(MonthlyValue.objects.filter(year=2024, month=3).exists)  # nothing half-saved
    page.screenshot(path=shots / "month-sheet-error.png", full_page=True)

    page.fill(f"input[name='{third}']", "12")
    page.keyboard.press("Control+s")
    page.wait_for_selector(".messagelist .success")
    saved = _db(
        lambda: MonthlyValue.objects.get(indicator__code=JOBS, org_unit__code=CITY, year=2024, month=3)
    )
    assert saved.value == 300
    assert "王经办" in page.locator(f"tr[data-code='{JOBS}'] .c-who").inner_text()
    assert page.locator(f"tr[data-code='{JOBS}'] .rate").inner_text() == "8.6%"
    page.screenshot(path=shots / "month-sheet-saved.png", full_page=True)

    page.goto(f"{live_server.url}/dashboard/?year=2024&month=3")
    cockpit = page.locator(f"tr[data-code='{JOBS}']")
    assert cockpit.locator("td.rate").inner_text() == "8.6%"

    page.goto(f"{live_server.url}/admin/entry/overview/?year=2024&month=2")
    page.screenshot(path=shots / "month-overview.png", full_page=True)
    page.click(f"tr[data-org='{A}'] td.st-reported a")
    page.wait_for_url(f"**org={A}**")
    assert "园林街道" in page.locator("h1").inner_text()


def test_clerk_splits_the_city_quota_by_last_years_share_and_the_sum_matches(
    live_server,
    world,
    clerk,
    put,
    shots,
    browser,
):
    _db(lambda: (put(JOBS, A, 2023, 5, 300), put(JOBS, B, 2023, 5, 100)))
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/entry/split/?year=2024&indicator={JOBS}")
    page.click("#method-share")
    page.wait_for_url("**method=share**")
    section = page.locator(f"section[data-code='{JOBS}']")
    assert "与全市目标相等" in section.locator(".split-sum").inner_text()
    assert page.input_value(f"input[name='q-{JOBS}-{A}']") == "4039"
    page.fill(f"input[name='q-{JOBS}-{B}']", "2000")
    assert "超过全市目标 654" in section.locator(".split-sum").inner_text()
    page.screenshot(path=shots / "quota-split.png", full_page=True)

    page.click("#save-split")
    page.wait_for_selector("#split-problems")
    assert "超过全市目标" in page.content()
    assert not _db(Quota.objects.filter(org_unit__code=A).exists)

    page.fill(f"input[name='q-{JOBS}-{B}']", "1346")
    page.click("#save-split")
    page.wait_for_selector(".messagelist .success")
    targets = _db(
        lambda: dict(
            Quota.objects.filter(year=2024, indicator__code=JOBS).values_list("org_unit__code", "target")
        )
    )
    assert (targets[A], targets[B], targets[CITY]) == (4039, 1346, 7000)
