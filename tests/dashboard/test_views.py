"""The dashboard pages and downloads: scope on every path, formatted workbooks, the Word report."""

from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from indicators.models import Indicator

from .conftest import JOBS, A, B

PAGES = [
    "/dashboard/",
    "/dashboard/warnings/",
    "/dashboard/report/",
    "/dashboard/report.docx",
    "/dashboard/cockpit.xlsx",
    f"/dashboard/indicators/{JOBS}/",
    f"/dashboard/townships/{A}/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_needs_sign_in(client, small, path):
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("path", PAGES)
def test_a_leader_opens_every_page(client, leader_user, small, path):
    client.force_login(leader_user)
    assert client.get(path, {"year": 2024, "month": 3}).status_code == 200


def test_cockpit_page_shows_the_figures(client, leader_user, small):
    client.force_login(leader_user)
    page = client.get("/dashboard/", {"year": 2024, "month": 3}).content.decode()
    assert "潜江市 2024年1-3月 人社主要指标完成情况" in page
    assert "18.3%" in page and "落后序时进度" in page and "2,420" in page


def test_a_township_user_lands_on_its_own_township_page(client, township_a_user, small):
    client.force_login(township_a_user)
    response = client.get("/dashboard/", {"year": 2024, "month": 3})
    assert response.status_code == 302 and response.url == f"/dashboard/townships/{A}/?year=2024&month=3"
    page = client.get(response.url).content.decode()
    assert "园林街道 2024年1-3月" in page and "月报报送记录" in page


@pytest.mark.parametrize(
    "path",
    [
        f"/dashboard/townships/{B}/",
        f"/dashboard/cockpit.xlsx?org={B}",
        f"/dashboard/report.docx?org={B}",
        f"/dashboard/indicators/{JOBS}/?org=429005",
        f"/dashboard/indicators/{JOBS}/ranking.xlsx?org=429005",
    ],
)
def test_a_township_user_is_refused_another_units_pages(client, township_a_user, small, path):
    client.force_login(township_a_user)
    assert client.get(path).status_code == 403


def test_cockpit_workbook_is_formatted(client, leader_user, small):
    client.force_login(leader_user)
    response = client.get("/dashboard/cockpit.xlsx", {"year": 2024, "month": 3})
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value == "潜江市 2024年1-3月 人社主要指标完成情况"
    assert sheet["A2"].value.startswith("数据截至2024年3月末")
    assert sheet.freeze_panes == "A5"
    assert [c.value for c in sheet[4]][:6] == ["领域", "指标", "单位", "累计完成", "年度目标", "完成率"]
    row = [c for c in sheet[5]]
    assert row[1].value == "城镇新增就业人数" and row[3].value == 220 and row[4].value == 1200
    assert round(row[5].value, 6) == round(220 / 1200, 6) and row[5].number_format == "0.0%"


def test_ranking_workbook_lists_townships_in_order(client, leader_user, small):
    client.force_login(leader_user)
    response = client.get(f"/dashboard/indicators/{JOBS}/ranking.xlsx", {"year": 2024, "month": 3})
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.freeze_panes == "A5"
    assert [(r[0].value, r[2].value) for r in sheet.iter_rows(min_row=5)] == [
        ("1", "园林街道"),
        ("2", "杨市街道"),
    ]


def test_workbook_text_never_becomes_a_formula(client, leader_user, small):
    Indicator.objects.filter(code=JOBS).update(name='=HYPERLINK("http://evil","点我")')
    client.force_login(leader_user)
    response = client.get("/dashboard/cockpit.xlsx", {"year": 2024, "month": 3})
    cell = load_workbook(BytesIO(response.content)).active["B5"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK") and cell.quotePrefix


def test_work_report_docx_writes_the_items_and_the_table(client, leader_user, small):
    client.force_login(leader_user)
    response = client.get("/dashboard/report.docx", {"year": 2024, "month": 3})
    assert response["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(BytesIO(response.content))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "潜江市人社工作2024年1-3月主要指标完成情况"
    first = text.index("(一)牢牢把握就业优先,推进高质量充分就业")
    assert text[first + 1] == (
        "1.强化指标落实,筑牢高质量就业发展“坚实路”。"
        "1-3月城镇新增就业人数220人,完成年度目标的18.3%,落后时序进度6.7个百分点。"
        "分区镇街道看,城镇新增就业人数落后时序进度的有杨市街道,其中杨市街道严重落后。"
    )
    assert [c.text for c in doc.tables[0].rows[1].cells][2:7] == [
        "城镇新增就业人数",
        "人",
        "1,200",
        "220",
        "18.3%",
    ]


def test_work_report_page_shows_the_items_and_the_table(client, leader_user, small):
    client.force_login(leader_user)
    page = client.get("/dashboard/report/", {"year": 2024, "month": 3}).content.decode()
    assert "<h2>(一)牢牢把握就业优先,推进高质量充分就业</h2>" in page
    assert "<strong>1.强化指标落实,筑牢高质量就业发展“坚实路”。</strong>1-3月城镇新增就业人数220人" in page
    assert "附表:主要指标完成情况" in page and '<th scope="row">城镇新增就业人数</th>' in page


def test_warnings_page_lists_what_is_behind_and_says_where_red_begins(client, leader_user, small):
    client.force_login(leader_user)
    page = client.get("/dashboard/warnings/", {"year": 2024, "month": 3}).content.decode()
    assert "共2项" in page and "落后10个百分点及以上为“严重落后”" in page
    assert page.index("杨市街道") < page.index("潜江市</a>")  # worst first
