"""A figure made again from its parts, as the engine makes it, and each part's sources."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from accounts.permissions import RecordScope
from completion.services import completion_recompute
from indicators.models import Channel
from orgs.models import OrgUnit
from orgs.services import org_unit_save
from provenance.records import records_page, records_summary
from provenance.selectors import figure_provenance, part_provenance
from tests.conftest import indicator_of
from tests.provenance.conftest import CITY, JOBS, LOAN_AMOUNT, LOANS, RESIDENTS, A, B, loans, typed


def _parts(data, component: int = 0) -> dict:
    return {p.org_code: p for p in data.components[component].parts}


def test_the_citys_figure_is_its_own_entries_plus_each_townships_months(jobs, indicators, city):
    data = figure_provenance(indicator=indicators[JOBS], org=city, year=2024, month=3)
    parts = _parts(data)
    assert parts[CITY].own and parts[CITY].figure == 5
    assert [c.value for c in parts[CITY].cells] == [None, None, 5]
    assert [c.value for c in parts[A].cells] == [50, 60, 70] and parts[A].figure == 180
    assert parts[B].figure == 40
    assert data.figure == data.from_parts == 225 and data.parts_agree
    assert (
        len(parts) == 24
    )  # every township, those with nothing too: a township with nothing has not reported


def test_each_month_cell_names_the_door_its_value_came_through(jobs, indicators, city, orgs, bureau_user):
    typed(orgs, JOBS, B, 2024, 2, 12, user=bureau_user, channel=Channel.SHEET)
    data = figure_provenance(indicator=indicators[JOBS], org=city, year=2024, month=3)
    cells = _parts(data)[B].cells
    assert cells[1].doors == "后台月度填报" and cells[0].doors == "命令行"


def test_a_townships_part_takes_in_its_villages(jobs, indicators, city, orgs, township_a):
    village = org_unit_save(
        unit=OrgUnit(code="429005001001", name="园林一村", level="village", kind="village", parent=township_a)
    )
    orgs[village.code] = village
    typed(orgs, JOBS, village.code, 2024, 2, 4)
    completion_recompute(year=2024)
    data = figure_provenance(indicator=indicators[JOBS], org=city, year=2024, month=3)
    assert [c.value for c in _parts(data)[A].cells] == [50, 64, 70]
    assert data.figure == data.from_parts == 229
    # At the township: its own entries, and the village as a part of its own.
    here = _parts(figure_provenance(indicator=indicators[JOBS], org=township_a, year=2024, month=3))
    assert (here[A].own, here[A].figure, here[village.code].figure) == (True, 180, 4)


def test_a_stock_takes_each_units_latest_level_up_to_the_month(indicators, city, orgs):
    typed(orgs, RESIDENTS, A, 2024, 1, 1000)
    typed(orgs, RESIDENTS, A, 2024, 3, 1100)
    typed(orgs, RESIDENTS, B, 2024, 2, 700)
    typed(orgs, RESIDENTS, A, 2024, 5, 9999)  # after the month asked: not counted
    completion_recompute(year=2024)
    data = figure_provenance(indicator=indicators[RESIDENTS], org=city, year=2024, month=4)
    parts = _parts(data)
    assert parts[A].figure == 1100 and parts[B].figure == 700
    assert [c.counted for c in parts[A].cells if c.value is not None] == [False, True]
    assert data.figure == data.from_parts == 1800


@pytest.mark.usefixtures("typed_by_hand")
def test_a_ratio_shows_its_numerator_and_denominator_parts(indicators, city, orgs):
    rate = indicator_of("labor_relations.mediation_rate", 2024)
    for org, closed, mediated in ((A, 8, 6), (B, 4, 1)):
        typed(orgs, "labor_relations.cases_closed", org, 2024, 1, closed)
        typed(orgs, "labor_relations.cases_mediated", org, 2024, 1, mediated)
    completion_recompute(year=2024)
    data = figure_provenance(indicator=rate, org=city, year=2024, month=1)
    assert [c.role for c in data.components] == ["分子", "分母"]
    assert (data.components[0].total, data.components[1].total) == (7, 12)
    assert data.from_parts == data.figure == D("58.333333")


def test_an_uploaded_figure_names_its_report_version_row_uploader_and_reviewer(
    reported, indicators, township_a
):
    part = part_provenance(indicator=indicators[JOBS], unit=township_a, own=False, year=2024, month=11)
    (source,) = part.sources
    approved = reported["approved"]
    assert (source.value, source.channel, source.submission_pk) == (120, Channel.UPLOAD, approved.pk)
    assert source.changed_by == "经办人"  # who approved it; the report names who uploaded it
    counted = [r for r in part.reports if r.counted]
    assert [r.submission.pk for r in counted] == [approved.pk]
    row = counted[0]
    assert (row.value, row.row, row.submission.version, row.submission.created_by.username) == (
        120,
        5,
        2,
        "town_a",
    )
    assert row.submission.reviewed_by.username == "bureau" and row.submission.submitted_at


def test_a_returned_version_is_shown_beside_the_one_that_counts(reported, indicators, township_a):
    part = part_provenance(indicator=indicators[JOBS], unit=township_a, own=False, year=2024, month=11)
    assert [(r.submission.version, r.submission.status, r.value, r.counted) for r in part.reports] == [
        (2, "approved", 120, True),
        (1, "returned", 1200, False),
    ]
    assert part.reports[1].submission.return_reason == "城镇新增就业人数多填了一个0"


def test_a_month_sheet_entry_names_who_typed_it_and_its_explanation(indicators, orgs, city, bureau_user):
    typed(
        orgs,
        RESIDENTS,
        CITY,
        2024,
        6,
        856000,
        user=bureau_user,
        channel=Channel.SHEET,
        explanation="统计年鉴口径,已核实",
    )
    part = part_provenance(indicator=indicators[RESIDENTS], unit=city, own=True, year=2024, month=6)
    (source,) = part.sources
    assert (source.door, source.changed_by, source.explanation) == (
        "后台月度填报",
        "经办人",
        "统计年鉴口径,已核实",
    )
    assert part.reports == [] and [h.channel for h in part.history] == [Channel.SHEET]


def test_the_city_part_of_its_own_entries_leaves_the_townships_out(jobs, indicators, city):
    own = part_provenance(indicator=indicators[JOBS], unit=city, own=True, year=2024, month=3)
    assert [(s.org_code, s.value) for s in own.sources] == [(CITY, 5)]
    everything = part_provenance(indicator=indicators[JOBS], unit=city, own=False, year=2024, month=3)
    assert everything.total == 95


def test_a_register_figure_lists_the_records_of_its_month_and_unit(indicators, orgs, township_a):
    loans(orgs, (A, date(2024, 11, 5), "10.5"), (A, date(2024, 11, 20), "20"), (A, date(2024, 10, 1), "7"),
          (B, date(2024, 11, 6), "99"))  # fmt: skip
    part = part_provenance(indicator=indicators[LOAN_AMOUNT], unit=township_a, own=False, year=2024, month=11)
    assert [(s.value, s.channel) for s in part.sources] == [(D("30.5"), Channel.REGISTER)]
    scope = RecordScope.whole_city()
    where = {"unit": township_a, "own": False, "year": 2024, "scope": scope}
    summary = records_summary(indicator=indicators[LOAN_AMOUNT], months=[11], **where)
    assert (summary.count, summary.figure, summary.feed.register) == (2, D("30.5"), "创业担保贷款台账")
    page = records_page(indicator=indicators[LOANS], months=[10, 11], page=1, **where)
    assert page.summary.count == 3 and page.summary.figure == 3
    assert "贷款编号" in page.headers and sorted(r[0] for r in page.rows) == ["QJ-P-1", "QJ-P-2", "QJ-P-3"]


def test_a_township_reads_only_its_own_records_whatever_unit_it_asks(indicators, orgs, city, township_a_user):
    loans(orgs, (A, date(2024, 11, 5), "10"), (B, date(2024, 11, 6), "99"))
    summary = records_summary(
        indicator=indicators[LOANS],
        unit=city,
        own=False,
        year=2024,
        months=[11],
        scope=RecordScope.of(township_a_user),
    )
    assert summary.count == 1 and summary.figure == 1
