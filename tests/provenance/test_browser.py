"""A leader in a real browser (Playwright driving Debian's chromium) on the demo's year in progress
(DEMO_TODAY, November's reports half in), reaching the source of a figure in three clicks from the
cockpit: 城镇新增就业人数 → 园林街道's November → the row of the report it sent; 创业担保贷款发放金额 →
a township's November → the loan records counted. Every number checked is read from the database."""

from __future__ import annotations

import pytest

from common.numbers import format_figure
from completion.models import Completion
from employment.models import GuaranteeLoan
from reporting.models import Submission, SubmissionValue
from tests.dashboard.test_browser import _sign_in, browser  # noqa: F401 (the browser tests' fixture)
from tests.entry.test_browser import _db

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

YEAR, MONTH = 2026, 11
CITY, YUANLIN = "429005", "429005001"
JOBS, LOAN_AMOUNT = "employment.urban_new_jobs", "employment.guarantee_loan_amount"


def _city_figure(code: str) -> str:
    cell = Completion.objects.select_related("indicator").get(
        indicator__code=code, org_unit__code=CITY, year=YEAR, month=MONTH
    )
    return format_figure(cell.actual, cell.indicator.value_places)


def _yuanlins_november() -> tuple[int, str, int]:
    """园林's November report as sent (the demo's: returned for a jump in new jobs): id, value, row."""
    report = Submission.objects.get(township__code=YUANLIN, year=YEAR, month=MONTH, version=1)
    row = SubmissionValue.objects.get(submission=report, indicator__code=JOBS)
    return report.pk, format_figure(row.value, 0), row.row


def _loans_in_november() -> tuple[str, list[str]]:
    """A township with loans issued in November, and their numbers."""
    loans = GuaranteeLoan.objects.filter(
        issued_on__year=YEAR, issued_on__month=MONTH, org_unit__level="township"
    )
    code = loans.order_by("org_unit__sort_order").values_list("org_unit__code", flat=True).first()
    return code, sorted(loans.filter(org_unit__code=code).values_list("loan_number", flat=True))


def test_a_leader_reaches_a_townships_report_row_in_three_clicks_from_the_cockpit(
    live_server,
    demo_current_year,
    leader_user,
    browser,  # noqa: F811
):
    shown = _db(lambda: _city_figure(JOBS))
    report_pk, sent, row = _db(_yuanlins_november)
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    _sign_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/dashboard/")

    page.click(f"tr[data-code='{JOBS}'] a.source")  # 1: the figure
    page.wait_for_url(f"**/dashboard/provenance/{JOBS}/?org={CITY}&year={YEAR}&month={MONTH}")
    assert page.locator("#figure").inner_text() == shown
    assert page.locator("table.provenance-table tfoot td b").inner_text() == shown  # the parts add up

    page.click(f"tr[data-org='{YUANLIN}'] td[data-month='{MONTH}'] a")  # 2: 园林街道's November
    page.wait_for_url(f"**/dashboard/provenance/{JOBS}/part/?org={YUANLIN}&year={YEAR}&month={MONTH}")
    returned = page.locator(f"table.reports tr[data-submission='{report_pk}']")
    assert "已退回" in returned.inner_text() and sent in returned.inner_text()
    # A returned report counts for nothing.
    assert "没有计入的数值" in page.locator("table.sources").inner_text()

    returned.locator("a.to-row").click()  # 3: the row of the report
    page.wait_for_url(f"**/reporting/submissions/{report_pk}/#value-{JOBS}")
    target = page.locator(f"tr[id='value-{JOBS}']")  # a code's dot is no class
    assert target.is_visible() and sent in target.inner_text() and f"第{row}行" in target.inner_text()
    assert page.evaluate("document.querySelector(':target').id") == f"value-{JOBS}"


def test_a_leader_reaches_the_loan_records_behind_a_figure_in_three_clicks(
    live_server,
    demo_current_year,
    leader_user,
    browser,  # noqa: F811
):
    shown = _db(lambda: _city_figure(LOAN_AMOUNT))
    township, numbers = _db(_loans_in_november)
    assert numbers  # the demo's register has November's loans
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    _sign_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/dashboard/")

    page.click(f"tr[data-code='{LOAN_AMOUNT}'] a.source")  # 1
    page.wait_for_url(f"**/dashboard/provenance/{LOAN_AMOUNT}/?org={CITY}**")
    assert page.locator("#figure").inner_text() == shown

    page.click(f"tr[data-org='{township}'] td[data-month='{MONTH}'] a")  # 2
    page.wait_for_url(f"**/dashboard/provenance/{LOAN_AMOUNT}/part/?org={township}**")
    assert "业务台账汇总" in page.locator("table.sources").inner_text()

    page.click("p.actions a.to-records")  # 3
    page.wait_for_url(f"**/dashboard/provenance/{LOAN_AMOUNT}/records/?org={township}**")
    assert page.locator("#record-count").inner_text() == str(len(numbers))
    listed = page.eval_on_selector_all(
        "table.records tbody tr", "rows => rows.map(r => r.cells[0].innerText)"
    )
    assert sorted(listed) == numbers
