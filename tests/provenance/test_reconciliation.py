"""Where the portal knows a figure twice and the two differ (核对): typed beside a register's count,
and 市本级's own typed figure beside the townships' sum; what "differ" means for a flow and a stock."""

from __future__ import annotations

from datetime import date

import pytest

from completion.services import completion_recompute
from indicators.models import Channel, Indicator
from provenance.reconciliation import REGISTER, TOWNSHIPS, reconciliation_checks
from tests.provenance.conftest import CITY, JOBS, LOANS, RESIDENTS, A, B, loans, typed


@pytest.fixture
def loans_typed_in_2023(indicator_sets):
    """2023's set has the bureau enter the loans (before the register counted them); the records of
    2023 are in the register all the same."""
    Indicator.objects.filter(year=2023, code__startswith="employment.guarantee_loan").update(
        source=Indicator.Source.BUREAU, fed_by=""
    )


def _check(checks, kind: str, code: str):
    found = [c for c in checks if c.kind == kind and c.indicator.code == code]
    return found[0] if found else None


def test_a_typed_figure_is_set_beside_the_registers_count_and_the_units_that_differ_are_named(
    loans_typed_in_2023, orgs, bureau_user
):
    loans(orgs, (A, date(2023, 3, 2), "10"), (A, date(2023, 3, 9), "10"), (B, date(2023, 5, 4), "10"))
    typed(orgs, LOANS, A, 2023, 3, 2, user=bureau_user, channel=Channel.SHEET)  # agrees
    typed(orgs, LOANS, CITY, 2023, 6, 1, user=bureau_user, channel=Channel.SHEET)  # no record at 市本级
    check = _check(reconciliation_checks(year=2023, month=12), REGISTER, LOANS)
    assert (check.typed, check.other, check.difference, check.flagged) == (3, 3, 0, False)
    rows = {r.org_code: r for r in check.rows}
    assert set(rows) == {CITY, B}  # 园林 agrees
    assert (rows[B].typed, rows[B].other, rows[B].months) == (None, 1, [(5, None, 1)])
    assert rows[CITY].months == [(6, 1, None)] and rows[CITY].who[0].startswith("经办人 ")
    assert "后台月度填报" in rows[CITY].who[0]
    assert check.other_label == "创业担保贷款台账汇总" and check.typed_label == "局业务科室录入"


def test_a_flow_typed_in_another_month_than_its_records_is_a_timing_difference_not_flagged(
    loans_typed_in_2023, orgs
):
    loans(orgs, (A, date(2023, 3, 2), "10"), (A, date(2023, 3, 9), "10"))
    typed(orgs, LOANS, A, 2023, 3, 1)
    typed(orgs, LOANS, A, 2023, 4, 1)
    check = _check(reconciliation_checks(year=2023, month=12), REGISTER, LOANS)
    assert check.rows[0].months == [(3, 1, 2), (4, 1, None)]
    assert check.typed == check.other == 2 and not check.flagged
    # Up to March alone, the year to date differs.
    assert _check(reconciliation_checks(year=2023, month=3), REGISTER, LOANS).flagged


def test_a_typed_figure_that_agrees_with_its_register_is_no_check(loans_typed_in_2023, orgs):
    loans(orgs, (A, date(2023, 3, 2), "10"))
    typed(orgs, LOANS, A, 2023, 3, 1)
    assert _check(reconciliation_checks(year=2023, month=12), REGISTER, LOANS) is None


def test_a_year_whose_register_counts_the_figure_has_nothing_typed_to_compare(indicators, orgs):
    loans(orgs, (A, date(2024, 3, 2), "10"))
    assert _check(reconciliation_checks(year=2024, month=12), REGISTER, LOANS) is None


def test_the_citys_own_flow_beside_the_townships_sum_names_the_months_and_who_did_not_report(jobs):
    check = _check(reconciliation_checks(year=2024, month=3), TOWNSHIPS, JOBS)
    assert (check.typed, check.other, check.flagged) == (5, 220, True)
    assert [(r.label, r.typed, r.other) for r in check.rows] == [
        ("1月", None, 60),
        ("2月", None, 70),
        ("3月", 5, 90),
    ]
    march = check.rows[2]
    assert "园林街道" not in march.missing and "周矶街道" in march.missing and len(march.missing) == 21
    assert march.who and march.who[0].startswith("系统")


def test_a_stock_compares_the_levels_carried_to_each_months_end(indicators, orgs):
    typed(orgs, RESIDENTS, CITY, 2024, 1, 1000)
    typed(orgs, RESIDENTS, A, 2024, 1, 600)
    typed(orgs, RESIDENTS, B, 2024, 2, 400)
    check = _check(reconciliation_checks(year=2024, month=3), TOWNSHIPS, RESIDENTS)
    # January: 1,000 against 600 (杨市 has no level yet); February and March: 1,000 against 600 + 400.
    assert [(r.label, r.typed, r.other) for r in check.rows] == [("1月", 1000, 600)]
    assert "杨市街道" in check.rows[0].missing
    assert (check.typed, check.other, check.flagged) == (1000, 1000, False)


def test_a_level_on_one_side_only_is_a_difference(indicators, orgs):
    typed(orgs, RESIDENTS, CITY, 2024, 1, 1000)
    typed(orgs, RESIDENTS, A, 2024, 2, 1000)
    check = _check(reconciliation_checks(year=2024, month=2), TOWNSHIPS, RESIDENTS)
    assert [(r.label, r.typed, r.other) for r in check.rows] == [("1月", 1000, None)]


def test_the_cockpit_says_when_figures_differ_and_links_the_page(client, leader_user, jobs, put):
    client.force_login(leader_user)
    html = client.get("/dashboard/", {"year": 2024, "month": 3}).content.decode()
    assert "/dashboard/reconciliation/?year=2024&month=3" in html and "数据核对" in html
    page = client.get("/dashboard/reconciliation/", {"year": 2024, "month": 3}).content.decode()
    assert f'id="{TOWNSHIPS}-{JOBS}"' in page and "周矶街道" in page
    provenance = client.get(f"/dashboard/provenance/{JOBS}/", {"org": CITY, "year": 2024, "month": 3})
    assert f"#{TOWNSHIPS}-{JOBS}" in provenance.content.decode()
    put(JOBS, CITY, 2024, 3, None)  # 市本级's figure removed: nothing typed twice
    completion_recompute(year=2024)
    assert "数据核对" not in client.get("/dashboard/", {"year": 2024, "month": 3}).content.decode()
