"""The sheet's cost, the month overview, and the quota split (page, rules, workbook round trip)."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from entry.selectors import month_overview
from indicators.models import Area, Channel, FigureChange, Indicator, MonthlyValue, Quota
from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_confirm, submission_return
from reporting.templates_xlsx import template_workbook
from tests.entry.conftest import CITY, JOBS, SHEET_URL, A, B
from tests.reporting.conftest import fill

pytestmark = pytest.mark.django_db
SPLIT_URL = "/admin/entry/split/"


def _grow_catalogue(extra: int, catalogue: dict) -> None:
    for n in range(extra):
        catalogue[f"employment.extra_{n}"] = Indicator.objects.create(
            code=f"employment.extra_{n}", name=f"附加指标{n}", area=Area.EMPLOYMENT, unit="人",
            kind=Indicator.Kind.FLOW, sort_order=1000 + n, year=2024,
        )  # fmt: skip


def _sheet_queries(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(f"{SHEET_URL}?org={CITY}&year=2024&month=3").status_code == 200
    return len(captured)


def test_the_sheet_costs_the_same_queries_whatever_the_catalogue(
    clerk_client, world, orgs, put, django_assert_max_num_queries
):
    clerk_client.get(f"{SHEET_URL}?org={CITY}&year=2024&month=3")  # caches (content types, …) warmed
    small = _sheet_queries(clerk_client, django_assert_max_num_queries, 25)
    _grow_catalogue(40, world)
    for n in range(40):
        put(f"employment.extra_{n}", CITY, 2024, 2, n + 1)
        put(f"employment.extra_{n}", A, 2024, 2, n + 1)

    large = _sheet_queries(clerk_client, django_assert_max_num_queries, small)

    assert large == small


def test_the_overview_shows_reported_pending_returned_and_missing(
    world, orgs, clerk, typed_by_hand, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    for code, then in ((A, "pending"), (B, "returned")):
        data = fill(template_workbook(township=orgs[code], year=2024, month=2), {JOBS: 7})
        preview = submission_upload(
            user=clerk, township=orgs[code], year=2024, month=2, data=data, filename="m.xlsx"
        )
        sent = submission_confirm(submission=preview.submission, user=clerk)
        if then == "returned":
            submission_return(submission=sent, user=clerk, reason="数据有误")

    overview = month_overview(year=2024, month=2, user=clerk)

    column = [i.code for i in overview.columns].index(JOBS)
    states = {r.township.code: r.cells[column] for r in overview.rows}
    assert states[A] == "pending"  # A's approved 50 stands, but a new report waits
    assert states[B] == "returned"
    assert states["429005003"] == "missing"
    assert len(overview.rows) == 23


def test_the_overview_links_every_cell_to_that_townships_sheet(clerk_client, world):
    text = clerk_client.get("/admin/entry/overview/?year=2024&month=2").content.decode()

    assert f"{SHEET_URL}?org={A}&year=2024&month=2" in text
    assert "已报" in text and "未报" in text


def _post_split(client, parts: dict, rest: bool = False):
    data = {"year": "2024", "indicator": JOBS, **{f"q-{JOBS}-{org}": v for org, v in parts.items()}}
    if rest:
        data[f"rest-{JOBS}"] = "1"
    return client.post(f"{SPLIT_URL}?year=2024&indicator={JOBS}", data)


def test_by_last_years_share_the_parts_add_up_to_the_city_quota(clerk_client, world, put):
    put(JOBS, A, 2023, 5, 300)
    put(JOBS, B, 2023, 5, 100)  # 市本级 120, A 300, B 100 in 2023

    response = clerk_client.get(f"{SPLIT_URL}?year=2024&indicator={JOBS}&method=share")

    figures = response.context["figures"][JOBS]
    assert sum(figures.values()) == Decimal(7000)
    assert figures[A] == Decimal(4039) and figures[B] == Decimal(1346) and figures[CITY] == Decimal(1615)
    assert figures["429005003"] == Decimal(0)


def test_by_last_years_share_names_the_units_with_nothing_last_year(clerk_client, world, put):
    put(JOBS, A, 2023, 5, 300)

    response = clerk_client.get(f"{SPLIT_URL}?year=2024&indicator={JOBS}&method=share")

    assert sum(response.context["figures"][JOBS].values()) == Decimal(7000)
    notice = response.context["notices"][JOBS]
    assert "2023年没有实绩,按占比分得0" in notice and "杨市街道" in notice
    assert notice in response.content.decode()


def test_with_no_figures_last_year_the_share_split_says_so_and_proposes_nothing(clerk_client, world):
    MonthlyValue.objects.filter(year=2023).delete()  # the world's 市本级 figure of 2023 gone too

    response = clerk_client.get(f"{SPLIT_URL}?year=2024&indicator={JOBS}&method=share")

    stored = {p.org_unit.code: p.quota for p in response.context["tables"][0].parts}
    assert response.context["figures"][JOBS] == stored  # no silent equal split
    assert "2023年各单位都没有“城镇新增就业人数”的实绩,无法按上年实绩占比分解" in response.content.decode()


def test_an_equal_split_goes_to_the_townships_and_leaves_the_city_level_nothing(clerk_client, world):
    response = clerk_client.get(f"{SPLIT_URL}?year=2024&indicator={JOBS}&method=equal")

    figures = response.context["figures"][JOBS]
    townships = {code: f for code, f in figures.items() if code != CITY}
    assert figures[CITY] == 0 and sum(townships.values()) == Decimal(7000)
    assert max(townships.values()) - min(townships.values()) <= 1
    assert "平均分配到" in response.context["notices"][JOBS]


def test_a_split_above_the_city_quota_is_refused_and_nothing_is_written(clerk_client, world):
    response = _post_split(clerk_client, {A: "5000", B: "2500"}, rest=True)

    assert "超过全市目标" in response.content.decode()
    assert not Quota.objects.filter(org_unit__code__in=[A, B]).exists()


def test_a_split_short_of_the_city_quota_needs_the_remainder_left_at_city_level(clerk_client, world):
    refused = _post_split(clerk_client, {A: "3000", B: "2000"})
    assert (
        "余数留在市本级" in refused.content.decode() and not Quota.objects.filter(org_unit__code=A).exists()
    )

    saved = _post_split(clerk_client, {A: "3000", B: "2000"}, rest=True)

    assert saved.status_code == 302
    assert Quota.objects.get(org_unit__code=A, indicator__code=JOBS, year=2024).target == Decimal(3000)
    change = FigureChange.objects.get(subject="quota", org_unit__code=A)
    assert (change.new_value, change.channel) == (Decimal(3000), Channel.SPLIT)
    assert Quota.objects.get(org_unit__code=CITY, indicator__code=JOBS).target == Decimal(7000)  # untouched


def test_a_fraction_of_a_person_is_refused_at_its_cell(clerk_client, world):
    response = _post_split(clerk_client, {A: "10.5", CITY: "6989.5"})

    assert "须为整数" in response.content.decode()
    assert not Quota.objects.filter(org_unit__code=A).exists()


def test_the_split_goes_out_as_xlsx_and_comes_back_through_the_same_checks(clerk_client, world):
    exported = clerk_client.get(f"{SPLIT_URL}export/?year=2024&indicator={JOBS}")
    book = load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    rows = {sheet.cell(r, 5).value: r for r in range(3, sheet.max_row + 1)}
    sheet.cell(rows[A], 8).value = "１,２００"  # as WPS may leave it
    sheet.cell(rows[B], 8).value = 800
    sheet.cell(rows[CITY], 8).value = None  # the remainder stays at 市本级
    edited = io.BytesIO()
    book.save(edited)
    edited.seek(0)
    edited.name = "分解.xlsx"

    review = clerk_client.post(f"{SPLIT_URL}import/?year=2024&indicator={JOBS}", {"file": edited})

    assert review.status_code == 200 and not review.context["problems"]
    assert review.context["typed"][JOBS][A] == "１,２００" and JOBS in review.context["rest"]
    assert not Quota.objects.filter(org_unit__code=A).exists()  # reviewed first, saved on 保存
    saved = _post_split(clerk_client, review.context["typed"][JOBS], rest=True)
    assert saved.status_code == 302
    assert Quota.objects.get(org_unit__code=A, indicator__code=JOBS).target == Decimal(1200)


def test_a_file_that_is_not_a_workbook_is_named_and_nothing_changes(clerk_client, world):
    bogus = io.BytesIO(b"%PDF-1.4 not a sheet")
    bogus.name = "分解.xlsx"

    review = clerk_client.post(f"{SPLIT_URL}import/?year=2024&indicator={JOBS}", {"file": bogus})

    assert "PDF" in " ".join(review.context["problems"][""])
