"""A new year's indicator set, kept by bureau staff and used by a township, in a real browser (Playwright
driving Debian's chromium), on 3 February 2027 (January 2027 is due):

bureau staff copy 2026's set to 2027, add 零工驿站服务人次 (township-reported, 人次, flow), retire
新增高校毕业生就业创业人数, rename 失业人员再就业人数 and give 2027 a quota for the new indicator; the township
downloads its January 2027 template (the new row there, the retired one not, the new name), fills it, uploads
it and sees the new row in the preview; once approved, the cockpit rates the new indicator; and 2026's
template and cockpit are as they were."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
import time_machine

from accounts.models import User
from completion.services import completion_recompute
from indicators.catalog_sync import indicator_catalog_sync
from reporting.models import Submission
from reporting.services.workflow import submission_approve
from reporting.templates_xlsx import FIRST_DATA_ROW
from tests.conftest import TOWNSHIP_A, indicator_of
from tests.dashboard.test_browser import _sign_in
from tests.entry.test_browser import _db
from tests.reporting.conftest import fill

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

GIG, GRADUATES, REEMPLOYED, JOBS = (
    "employment.gig_station_services",
    "employment.graduates_employed",
    "employment.unemployed_reemployed",
    "employment.urban_new_jobs",
)
CITY = "429005"


@pytest.fixture
def world(orgs, put, set_quota):
    with time_machine.travel("2027-02-03 10:00 +0800", tick=False):
        indicator_catalog_sync(years=[2026])
        set_quota(JOBS, CITY, 2026, 7000)
        put(JOBS, TOWNSHIP_A, 2026, 12, 40)
        put(GRADUATES, TOWNSHIP_A, 2026, 12, 5)
        for username, role, org in (
            ("clerk", User.Role.BUREAU, None),
            ("town_a", User.Role.TOWNSHIP, orgs[TOWNSHIP_A]),
            ("leader", User.Role.LEADER, None),
        ):
            User.objects.create_user(
                username, password="pw-for-tests", role=role, org_unit=org, is_staff=role == User.Role.BUREAU
            )
        completion_recompute(year=2026)
        yield


def _admin_sign_in(page, base: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def _template(page, base: str, year: int, month: int) -> bytes:
    response = page.request.get(f"{base}/reporting/template/{TOWNSHIP_A}/{year}/{month}.xlsx")
    assert response.status == 200
    return response.body()


def _rows(data: bytes) -> dict[str, str]:
    sheet = openpyxl.load_workbook(BytesIO(data))["月报"]
    return {
        r[0].value: r[1].value
        for r in sheet.iter_rows(min_row=FIRST_DATA_ROW)
        if r[0].value and "." in r[0].value
    }


def _keep_the_2027_set(page, base: str) -> None:
    page.goto(f"{base}/admin/indicators/indicator/copy-year/")
    page.select_option("select[name=from_year]", "2026")
    page.fill("input[name=to_year]", "2027")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/indicators/indicator/?year__exact=2027")
    assert "已建立2027年指标体系" in page.inner_text(".messagelist")

    page.goto(f"{base}/admin/indicators/indicator/add/")
    assert page.input_value("input[name=year]") == "2027"  # the newest set's year
    page.fill("input[name=code]", GIG)
    page.fill("input[name=name]", "零工驿站服务人次")
    page.select_option("select[name=area]", "employment")
    page.fill("input[name=unit]", "人次")
    page.select_option("select[name=kind]", "flow")
    page.select_option("select[name=source]", "township")
    page.fill("input[name=sort_order]", "95")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/indicators/indicator/?year__exact=2027*")

    graduates = page.locator("tr", has=page.locator("a", has_text="新增高校毕业生就业创业人数"))
    graduates.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", "retire_selected")
    page.click("button[name=index]")
    assert "已停用:新增高校毕业生就业创业人数" in page.inner_text(".messagelist")

    page.locator("a", has_text="失业人员再就业人数").click()
    page.fill("input[name=name]", "失业人员实现再就业人数")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/indicators/indicator/?*")

    page.goto(f"{base}/admin/indicators/quota/add/")
    page.click(".field-indicator .select2-selection")
    page.fill(".select2-search__field", "2027 零工")
    page.locator(".select2-results__option", has_text="2027年 · 零工驿站服务人次").click()
    page.select_option("select[name=org_unit]", label="潜江市(429005)")
    page.fill("input[name=year]", "2027")
    page.fill("input[name=target]", "1000")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/indicators/quota/")


def test_a_new_years_set_reaches_the_township_template_and_the_cockpit(live_server, world, browser, tmp_path):
    base = live_server.url
    with time_machine.travel("2027-02-03 10:05 +0800", tick=False):
        clerk = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        _admin_sign_in(clerk, base)
        _keep_the_2027_set(clerk, base)

        town = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        _sign_in(town, base, "town_a")
        rows = _rows(_template(town, base, 2027, 1))
        assert rows[GIG] == "零工驿站服务人次" and GRADUATES not in rows
        assert rows[REEMPLOYED] == "失业人员实现再就业人数"
        file = Path(tmp_path) / "园林街道2027年1月.xlsx"
        file.write_bytes(fill(_template(town, base, 2027, 1), {GIG: 120, JOBS: 50}))
        town.goto(f"{base}/reporting/")
        town.fill("input[name=year]", "2027")
        town.fill("input[name=month]", "1")
        town.set_input_files("input[name=file]", str(file))
        town.click("#upload-form button[type=submit]")
        preview = town.locator("body").inner_text()
        assert "零工驿站服务人次" in preview and "120" in preview
        town.click("button:has-text('确认提交')")
        town.wait_for_url("**/reporting/submissions/*/")

        def approve():
            submission = Submission.objects.get(year=2027, month=1, township__code=TOWNSHIP_A)
            submission_approve(submission=submission, user=User.objects.get(username="clerk"))
            completion_recompute(year=2027)

        _db(approve)
        leader = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        _sign_in(leader, base, "leader")
        leader.goto(f"{base}/dashboard/?year=2027&month=1")
        assert leader.locator(f"tr[data-code='{GIG}'] td.rate").inner_text() == "12.0%"  # 120 ÷ 1,000

        # 2026 as it was: its template and its cockpit keep 2026's set.
        rows_2026 = _rows(_template(town, base, 2026, 12))
        assert GIG not in rows_2026 and rows_2026[GRADUATES] == "新增高校毕业生就业创业人数"
        assert rows_2026[REEMPLOYED] == "失业人员再就业人数"
        leader.goto(f"{base}/dashboard/?year=2026&month=12")
        cockpit_2026 = leader.locator("body").inner_text()
        assert "零工驿站服务人次" not in cockpit_2026 and "失业人员实现再就业人数" not in cockpit_2026
        assert _db(lambda: indicator_of(GIG, 2027).quotas.get().target) == Decimal(1000)
