"""The township scorecard (考核排名表): every cell the engine's rate and status (page and workbook, the
same colours), the declared score and its ranking, the scope (leadership and bureau only), and a query
count that does not grow with the townships or indicators."""

import re
from decimal import Decimal as D
from io import BytesIO
from itertools import pairwise
from pathlib import Path

from openpyxl import load_workbook

from completion.models import Completion
from completion.services import completion_recompute
from dashboard.scorecard import STATUS_COLOURS, dashboard_scorecard
from indicators.models import Indicator
from orgs.models import OrgUnit

from .conftest import JOBS

REEMPLOYED = "employment.unemployed_reemployed"
CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "portal.css"


def _engine_cells(year: int, month: int) -> dict[tuple[str, str], Completion]:
    return {
        (c.org_unit.code, c.indicator.code): c
        for c in Completion.objects.filter(year=year, month=month).select_related("org_unit", "indicator")
    }


def test_rows_are_the_city_then_all_23_townships_and_columns_the_quota_indicators(small):
    card = dashboard_scorecard(year=2024, month=3)
    assert card.city.org_name == "潜江市" and card.city.rank is None
    assert len(card.townships) == 23
    assert [c.code for c in card.columns] == [JOBS]


def test_cell_is_the_engines_rate_status_and_gap(small):
    card = dashboard_scorecard(year=2024, month=3)
    cell = next(r for r in card.townships if r.org_name == "杨市街道").cells[0]
    assert (cell.completion_rate, cell.status, cell.gap) == (D("10.0000"), "far_behind", D("-15.0000"))
    assert cell.rate_display == "10.0%"
    assert cell.title == "城镇新增就业人数:完成率10.0%,与进度差-15.0个百分点(时序进度25.0%);严重落后"


def test_score_is_the_mean_of_capped_rates_against_schedule(small, put, set_quota):
    set_quota(REEMPLOYED, "429005001", 2024, 100)
    put(REEMPLOYED, "429005001", 2024, 2, 20)  # 20% of the quota by March: 20 ÷ 25 = 80 points
    completion_recompute(year=2024)
    row = next(r for r in dashboard_scorecard(year=2024, month=3).townships if r.org_name == "园林街道")
    # Jobs 30% against 25% is capped at 100 points; (100 + 80) ÷ 2 = 90.
    assert [c.score for c in row.cells] == [D(100), D(80)]
    assert row.score == D("90.0")


def test_a_quota_without_figures_scores_zero_and_ranks_last(small, set_quota):
    set_quota(JOBS, "429005003", 2024, 100)  # 周矶街道: a quota, nothing reported
    completion_recompute(year=2024)
    card = dashboard_scorecard(year=2024, month=3)
    ranked = [(r.rank, r.org_name, r.score) for r in card.townships if r.score is not None]
    assert ranked == [(1, "园林街道", D("100.0")), (2, "杨市街道", D("40.0")), (3, "周矶街道", D("0.0"))]
    assert all(r.rank is None for r in card.townships if r.score is None)  # no quota at all: unranked


def test_equal_scores_share_a_rank(demo):
    ranks = [(r.rank, r.score) for r in dashboard_scorecard(year=2024, month=12).townships]
    for (rank, score), (next_rank, next_score) in pairwise(ranks):
        assert next_score <= score
        assert next_rank == rank if next_score == score else next_rank > rank


def test_every_cell_agrees_with_the_engine_on_the_demo(demo):
    for month in (3, 12):
        engine = _engine_cells(2024, month)
        card = dashboard_scorecard(year=2024, month=month)
        for row in [card.city, *card.townships]:
            for cell in row.cells:
                stored = engine.get((row.org_code, cell.indicator.code))
                if stored is None:
                    assert cell.completion_rate is None and not cell.rated
                    continue
                assert (cell.completion_rate, cell.gap, cell.status) == (
                    stored.completion_rate,
                    stored.gap,
                    stored.status,
                )


def test_page_colours_every_cell_by_the_engines_status(client, leader_user, demo):
    client.force_login(leader_user)
    page = client.get("/dashboard/scorecard/", {"year": 2024, "month": 12}).content.decode()
    engine = _engine_cells(2024, 12)
    cells = re.findall(r'<tr(?: class="city-row")? data-org="(\d+)".*?</tr>', page, flags=re.S)
    assert len(cells) == 24  # the city and 23 townships
    found = re.findall(
        r'data-org="(\d+)"|<td class="num sc-(\w+)" data-status="(\w+)" data-code="([\w.]+)"', page
    )
    org, checked = None, 0
    for org_code, css_status, status, code in found:
        if org_code:
            org = org_code
            continue
        stored = engine.get((org, code))
        assert css_status == status == (stored.status if stored else "no_data")
        checked += 1
    with_quota = (
        Completion.objects.filter(year=2024, month=12, quota__isnull=False)
        .values("indicator")
        .distinct()
        .count()
    )
    assert (
        with_quota >= 11 and checked == 24 * with_quota
    )  # every township and the city × every quota indicator
    assert "总得分 = 各项有目标任务指标得分的平均值" in page  # the formula is shown


def test_page_and_workbook_use_the_same_colours():
    css = CSS.read_text(encoding="utf-8")
    for status, colour in STATUS_COLOURS.items():
        assert re.search(rf"\.sc-{status} {{ background: #{colour}", css), status


def test_workbook_fills_every_cell_with_its_status_colour(client, leader_user, demo):
    client.force_login(leader_user)
    response = client.get("/dashboard/scorecard.xlsx", {"year": 2024, "month": 12})
    sheet = load_workbook(BytesIO(response.content)).active
    engine = _engine_cells(2024, 12)
    codes = {f"{i.name}({i.unit})": i.code for i in Indicator.objects.all()}
    header = [c.value for c in sheet[4]]
    assert header[:2] == ["名次", "区镇街道"] and header[-1] == "总得分"
    names = {o.name: o.code for o in OrgUnit.objects.all()}
    rows = list(sheet.iter_rows(min_row=5, max_row=28))
    assert rows[0][1].value == "潜江市" and rows[0][0].value == "—"
    for row in rows:
        org = names[row[1].value]
        for cell, title in zip(row[2:-1], header[2:-1], strict=True):
            stored = engine.get((org, codes[title]))
            expected = STATUS_COLOURS.get(stored.status) if stored else None
            got = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
            assert got == (f"00{expected}" if expected else None), (org, title)
            if stored is not None and stored.completion_rate is not None:
                assert D(str(cell.value)) * 100 == stored.completion_rate
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage


def test_workbook_text_never_becomes_a_formula(client, leader_user, small):
    Indicator.objects.filter(code=JOBS).update(name='=HYPERLINK("http://evil","点我")')
    client.force_login(leader_user)
    response = client.get("/dashboard/scorecard.xlsx", {"year": 2024, "month": 3})
    cell = load_workbook(BytesIO(response.content)).active["C4"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK") and cell.quotePrefix


def test_a_township_user_is_refused_the_scorecard(client, township_a_user, small):
    client.force_login(township_a_user)
    for url in ("/dashboard/scorecard/", "/dashboard/scorecard.xlsx"):
        response = client.get(url, {"year": 2024, "month": 3})
        assert response.status_code == 403
        assert "杨市街道" not in response.content.decode()


def test_scorecard_is_linked_from_the_nav_for_leadership(client, leader_user, township_a_user, small):
    client.force_login(leader_user)
    assert (
        'href="/dashboard/scorecard/"'
        in client.get("/dashboard/", {"year": 2024, "month": 3}).content.decode()
    )
    client.force_login(township_a_user)
    page = client.get("/dashboard/townships/429005001/", {"year": 2024, "month": 3}).content.decode()
    assert "/dashboard/scorecard/" not in page


def test_the_scorecard_takes_the_same_queries_however_many_townships_and_indicators(
    small, put, set_quota, orgs, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(3) as before:
        dashboard_scorecard(year=2024, month=3)
    for code in [o for o in orgs if len(o) == 9]:
        for indicator in (JOBS, REEMPLOYED, "employment.hardship_reemployed"):
            set_quota(indicator, code, 2024, 300)
            for month in (1, 2, 3):
                put(indicator, code, 2024, month, 7)
    completion_recompute(year=2024)
    with django_assert_num_queries(len(before.captured_queries)):
        card = dashboard_scorecard(year=2024, month=3)
    assert len(card.columns) == 3 and all(r.score is not None for r in card.townships)


# The page's queries, whatever the data: session and user, the figures' state, the freshness notice
# (run, last change, requests), the scorecard's three, the top bar's unread-notices count.
PAGE_QUERIES = 11


def test_the_page_takes_the_same_queries_however_much_data(
    client, leader_user, small, put, set_quota, orgs, django_assert_max_num_queries
):
    client.force_login(leader_user)
    client.get("/dashboard/scorecard/", {"year": 2024, "month": 3})  # warm the caches
    with django_assert_max_num_queries(PAGE_QUERIES):
        client.get("/dashboard/scorecard/", {"year": 2024, "month": 3})
    for code in [o for o in orgs if len(o) == 9]:
        for indicator in (JOBS, REEMPLOYED):
            set_quota(indicator, code, 2024, 300)
            put(indicator, code, 2024, 1, 7)
    completion_recompute(year=2024)
    client.get("/dashboard/scorecard/", {"year": 2024, "month": 3})
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get("/dashboard/scorecard/", {"year": 2024, "month": 3})
    assert response.content.decode().count('data-code="employment.unemployed_reemployed"') == 24
