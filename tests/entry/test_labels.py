"""What the bureau's entry pages say of themselves (issue 22): the 市本级 sheet tells its own entry from
the city-wide quota and rate (point 10); the overview's indicator headers read across, not vertically
and cut (point 15); the split workbook has a Chinese name like every other download (point 15)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings

from tests.entry.conftest import CITY, SHEET_URL, A

pytestmark = pytest.mark.django_db


def test_the_city_level_sheet_says_which_figures_are_its_own_and_which_the_citys(clerk_client, world):
    page = clerk_client.get(f"{SHEET_URL}?org={CITY}&year=2024&month=3").content.decode()
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert "市本级<br>3月数值" in head and "市本级<br>本年累计" in head
    assert "全市<br>年度目标" in head and "全市<br>完成率" in head
    assert "这张表填的是<strong>市本级自己的数</strong>(不含各区镇街道)" in page
    assert "全市完成率”是全市(市本级与23个区镇街道合计)累计÷全市目标" in page


def test_a_townships_sheet_holds_the_township_to_its_own_quota(clerk_client, world):
    page = clerk_client.get(f"{SHEET_URL}?org={A}&year=2024&month=3").content.decode()
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert "全市" not in head and ">年度目标<" in head
    assert "完成率 = 园林街道本年累计 ÷ 园林街道年度目标" in page


def test_the_overviews_indicator_headers_read_across(clerk_client, world):
    page = clerk_client.get("/admin/entry/overview/?year=2024&month=3").content.decode()
    assert '<th class="ind"><div>城镇新增就业人数</div></th>' in page
    css = (Path(settings.BASE_DIR) / "static" / "entry" / "entry.css").read_text()
    assert "writing-mode" not in css


def test_the_overview_states_each_townships_month_as_every_page_does(clerk_client, world):
    page = clerk_client.get("/admin/entry/overview/?year=2024&month=2").content.decode()
    row = page.split(f'data-org="{A}"')[1].split("</tr>")[0]
    assert 'class="report-bureau"' in row and "局代录" in row  # A's February typed by the bureau


def test_the_split_workbook_has_a_chinese_name(clerk_client, world):
    response = clerk_client.get("/admin/entry/split/export/?year=2024")
    assert unquote(response["Content-Disposition"]).endswith("2024年年度目标任务分解.xlsx")
