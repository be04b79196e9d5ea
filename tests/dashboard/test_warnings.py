"""The warnings list (issue 22 point 5): filtered by township, indicator and area; sorted by how much is
missing (the default) or by the gap; grouped by unit; exported as the page shows it; and a township
page's 预警清单 opens that township's list."""

from __future__ import annotations

import re
from io import BytesIO
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from completion.models import CompletionRun
from completion.services import completion_recompute

from .conftest import JOBS, A, B

CITY = "429005"
REEMPLOYED = "employment.unemployed_reemployed"


@pytest.fixture
def two_behind(small, put, set_quota):
    """On top of `small` (city 80 short of 300 new jobs by March, 杨市 60 short of 100): 失业人员再就业 at
    the city, 30 of 250 due by March (a quota of 1,000): 220 short, the largest."""
    set_quota(REEMPLOYED, CITY, 2024, 1000)
    for month in (1, 2, 3):
        put(REEMPLOYED, A, 2024, month, 10)
    completion_recompute(year=2024, trigger=CompletionRun.Trigger.COMMAND)


def _rows(page: str) -> list[tuple[str, str]]:
    """(org code, indicator code) of the list's rows, in order."""
    return re.findall(r'<tr class="status-\w+" data-org="(\d+)" data-code="([\w.]+)">', page)


def _get(client, user, **query) -> str:
    client.force_login(user)
    return client.get("/dashboard/warnings/", {"year": 2024, "month": 3, **query}).content.decode()


def test_the_list_opens_on_the_largest_shortfall_first(client, leader_user, two_behind):
    page = _get(client, leader_user)
    assert _rows(page) == [(CITY, REEMPLOYED), (CITY, JOBS), (B, JOBS)]
    assert "220人" in page and "按距序时进度还差的数量从多到少排列" in page


def test_the_list_can_be_sorted_by_the_gap(client, leader_user, two_behind):
    page = _get(client, leader_user, sort="gap")
    assert _rows(page) == [(CITY, REEMPLOYED), (B, JOBS), (CITY, JOBS)]  # -22.0, -15.0, -6.7 points


def test_the_list_is_filtered_by_indicator_and_by_area(client, leader_user, two_behind):
    assert _rows(_get(client, leader_user, indicator=JOBS)) == [(CITY, JOBS), (B, JOBS)]
    assert _rows(_get(client, leader_user, area="employment")) == [
        (CITY, REEMPLOYED),
        (CITY, JOBS),
        (B, JOBS),
    ]
    assert _rows(_get(client, leader_user, area="social_insurance")) == []


def test_the_list_is_filtered_by_township(client, leader_user, two_behind):
    assert _rows(_get(client, leader_user, org=B)) == [(B, JOBS)]


def test_the_list_groups_by_unit_in_the_trees_order(client, leader_user, two_behind):
    page = _get(client, leader_user, group="unit")
    groups = page.split('class="card warning-group"')[1:]
    assert [re.search(r'data-org="(\d+)"', g).group(1) for g in groups] == [CITY, B]
    assert "潜江市(落后2项)" in groups[0] and "杨市街道(落后1项)" in groups[1]


def test_a_township_pages_warnings_link_keeps_the_township(client, leader_user, two_behind):
    client.force_login(leader_user)
    page = client.get(f"/dashboard/townships/{B}/", {"year": 2024, "month": 3}).content.decode()
    assert f'href="/dashboard/warnings/?year=2024&month=3&org={B}"' in page
    listed = client.get("/dashboard/warnings/", {"year": 2024, "month": 3, "org": B}).content.decode()
    assert _rows(listed) == [(B, JOBS)] and "杨市街道 2024年1-3月 落后时序进度预警" in listed


def test_the_export_holds_the_list_as_filtered_and_sorted(client, leader_user, two_behind):
    client.force_login(leader_user)
    response = client.get(
        "/dashboard/warnings.xlsx", {"year": 2024, "month": 3, "area": "employment", "sort": "gap"}
    )
    assert response.status_code == 200
    assert "落后时序进度预警清单.xlsx" in unquote(response["Content-Disposition"])
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [(r[0], r[1]) for r in sheet.iter_rows(min_row=5, max_col=2, values_only=True) if r[0]]
    assert rows == [
        ("潜江市", "失业人员再就业人数"),
        ("杨市街道", "城镇新增就业人数"),
        ("潜江市", "城镇新增就业人数"),
    ]
    assert sheet.cell(5, 9).value == 220  # 距序时进度还差


def test_a_township_user_exports_only_its_own_warnings(client, township_b_user, two_behind):
    client.force_login(township_b_user)
    sheet = load_workbook(
        BytesIO(client.get("/dashboard/warnings.xlsx", {"year": 2024, "month": 3}).content)
    ).active
    assert [r[0] for r in sheet.iter_rows(min_row=5, max_col=1, values_only=True) if r[0]] == ["杨市街道"]


@pytest.mark.parametrize("query", [{"indicator": "employment.nothing"}, {"area": "x"}, {"sort": "name"}])
def test_a_filter_that_means_nothing_is_refused_in_chinese(client, leader_user, two_behind, query):
    client.force_login(leader_user)
    response = client.get("/dashboard/warnings/", {"year": 2024, "month": 3, **query})
    assert response.status_code == 400 and any("\u4e00" <= ch <= "\u9fff" for ch in response.content.decode())
