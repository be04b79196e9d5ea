"""How numbers are written (issue 22 point 6: one rule for a column's places, thousands grouped
everywhere, amounts in the admin as the bureau writes them) and how every workbook prints (point 7: A4
landscape, one page wide, the header rows on every page, the title and date in the page header; the
ranking file's 预计全年 and 预计完成率 filled)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from common.numbers import format_percent, format_points, format_rate
from completion.models import CompletionRun
from completion.services import completion_recompute

from .conftest import JOBS, A, B

CITY = "429005"
CERTIFICATES = "talent.skill_certificates"  # its own rate_places: 0 (the report writes 193%)
TRAINING = "employment.skills_training"  # 2 (the report writes 91.94%)


@pytest.mark.parametrize(
    ("value", "sign", "unit", "shown"),
    [
        (Decimal("95.8977"), False, True, "95.9%"),
        (Decimal("89"), False, True, "89.0%"),
        (Decimal("100.30"), False, True, "100.3%"),
        (Decimal("1234.56"), False, True, "1,234.6%"),
        (Decimal("4.25"), True, False, "+4.3"),
        (Decimal("-17"), True, False, "-17.0"),
        (Decimal("0.04"), True, False, "0.0"),
        (None, False, True, "—"),
    ],
)
def test_every_percentage_is_written_to_one_place(value, sign, unit, shown):
    assert format_percent(value, sign=sign, unit=unit) == shown
    if sign:  # a gap in points
        assert format_points(value) == shown


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Decimal("176.6667"), 1, "176.7%"),
        (Decimal("155.2"), 2, "155.20%"),
        (Decimal("192.5"), 0, "193%"),
        (Decimal("1234.56"), 1, "1234.6%"),
        (None, 2, "—"),
    ],
)
def test_the_written_report_writes_a_rate_at_the_indicators_places(value, places, shown):
    assert format_rate(value, places) == shown


@pytest.fixture
def three_precisions(small, typed_by_hand, put, set_quota):
    """Three indicators whose own rate_places are 1, 0 and 2, all at the city in March 2024."""
    set_quota(CERTIFICATES, CITY, 2024, 700)
    set_quota(TRAINING, CITY, 2024, 900)
    for month in (1, 2, 3):
        put(CERTIFICATES, A, 2024, month, 33)
        put(TRAINING, A, 2024, month, 71)
    put(JOBS, A, 2024, 4, 900)  # below the city's whole 2023 (990): no 核实 asked
    completion_recompute(year=2024, trigger=CompletionRun.Trigger.COMMAND)


@pytest.mark.parametrize("path", ["/", "/dashboard/"])
def test_a_column_of_rates_has_one_number_of_places(client, leader_user, three_precisions, path):
    client.force_login(leader_user)
    page = client.get(path, {"year": 2024, "month": 3}).content.decode()
    rates = re.findall(r'<td class="num rate">([^<]*)</td>', page)
    assert len(rates) == 3 and all(re.fullmatch(r"[\d,]+\.\d%", r) for r in rates), rates
    assert "14.1%" in rates and "23.7%" in rates  # 99 ÷ 700 (was 14%), 213 ÷ 900 (was 23.67%)


def test_the_charts_table_groups_thousands(client, leader_user, three_precisions):
    client.force_login(leader_user)
    page = client.get(f"/dashboard/indicators/{JOBS}/", {"year": 2024, "month": 4}).content.decode()
    table = page.split('id="series-table"')[1].split("</table>")[0]
    assert ">1,120<" in table  # 220 to March and 900 in April at 园林街道


def test_an_amount_in_the_admin_is_written_as_the_bureau_writes_it(client, bureau_user, orgs, indicators):
    from employment.models import GuaranteeLoan
    from registers.models import Door
    from registers.services import record_create

    loan = GuaranteeLoan(
        org_unit=orgs[A], loan_number="QJCD202400001", borrower_name="潜江市瑞丰建材有限公司",
        borrower_kind="small_business", issued_on=date(2024, 3, 5), amount=Decimal("26"), term_months=12,
        jobs_created=7,
    )  # fmt: skip
    record_create(user=bureau_user, record=loan, door=Door.ADMIN)
    client.force_login(bureau_user)
    page = client.get("/admin/employment/guaranteeloan/").content.decode()
    cell = re.search(r'<td class="field-amount">([^<]*)</td>', page).group(1)
    assert cell == "26"  # the stored 26.0000 written as the bureau writes 26万元


# --- every workbook prints ---


def _downloads(client) -> dict[str, bytes]:
    urls = {
        "cockpit": "/dashboard/cockpit.xlsx?year=2024&month=3",
        "ranking": f"/dashboard/indicators/{JOBS}/ranking.xlsx?year=2024&month=3",
        "scorecard": "/dashboard/scorecard.xlsx?year=2024&month=3",
        "warnings": "/dashboard/warnings.xlsx?year=2024&month=3",
        "status": "/reporting/status/export.xlsx?year=2024&month=3",
        "template": f"/reporting/template/{A}/2024/3.xlsx",
        "split": "/admin/entry/split/export/?year=2024",
    }
    out = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        out[name] = response.content
    return out


def test_every_workbook_prints_a4_landscape_one_page_wide_with_its_title_and_date(client, bureau_user, small):
    client.force_login(bureau_user)
    today = timezone.localdate().isoformat()
    for name, data in _downloads(client).items():
        for sheet in load_workbook(BytesIO(data)).worksheets:
            if sheet.sheet_state != "visible":
                continue
            where = f"{name}/{sheet.title}"
            setup = sheet.page_setup
            assert setup.orientation == "landscape" and str(setup.paperSize) == "9", where
            assert int(setup.fitToWidth) == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage, where
            assert sheet.oddHeader.center.text and f"制表日期:{today}" in sheet.oddHeader.right.text, where
            assert "&P" in sheet.oddFooter.center.text, where


@pytest.mark.parametrize(
    ("name", "title", "rows"),
    [
        ("cockpit", "潜江市 2024年1-3月 人社主要指标完成情况", "$4:$4"),
        ("warnings", "2024年1-3月 落后时序进度预警清单", "$4:$4"),
        ("status", "2024年3月 区镇街道月报报送情况", "$4:$4"),
        ("template", "区镇街道人社数据月报 园林街道 2024年3月", "$4:$4"),
        ("split", "2024年年度目标任务分解", "$2:$2"),
    ],
)
def test_a_workbook_repeats_its_header_rows_and_carries_its_title(
    client, bureau_user, small, name, title, rows
):
    client.force_login(bureau_user)
    sheet = load_workbook(BytesIO(_downloads(client)[name])).worksheets[0]
    assert title in sheet.oddHeader.center.text
    assert sheet.print_title_rows == rows


def test_the_ranking_file_fills_each_townships_projection(client, leader_user, small):
    client.force_login(leader_user)
    data = client.get(f"/dashboard/indicators/{JOBS}/ranking.xlsx", {"year": 2024, "month": 3}).content
    sheet = load_workbook(BytesIO(data)).active
    rows = {r[2]: r for r in sheet.iter_rows(min_row=5, values_only=True) if r[2]}
    # 园林街道: 180 by March, when last year had 90 of its 990: 1,980, 330% of 600. 杨市街道 has no last
    # year: by the calendar, 40 ÷ 3/12 = 160, 40% of 400.
    assert rows["园林街道"][9] == pytest.approx(1980) and rows["园林街道"][10] == pytest.approx(3.3)
    assert rows["杨市街道"][9] == pytest.approx(160) and rows["杨市街道"][10] == pytest.approx(0.4)
    assert all(r[9] is not None and r[10] is not None for r in rows.values() if r[3] is not None)
    assert B  # both townships listed
