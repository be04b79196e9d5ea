"""The provenance pages answer in a fixed number of queries however many units, months, changes,
reports and records there are: each read is a query per panel, never one per cell."""

from __future__ import annotations

from datetime import date

import pytest

from completion.services import completion_recompute
from orgs.models import OrgUnit
from orgs.services import org_unit_save
from provenance.reconciliation import reconciliation_checks
from provenance.selectors import HISTORY_SHOWN, figure_provenance, part_provenance
from tests.provenance.conftest import CITY, JOBS, LOANS, A, loans


def _grow(orgs, township_a, put, *, villages: int = 3, changes: int = 12) -> None:
    """Every township reporting every month, villages under 园林 with figures of their own, 园林's
    March changed again and again, loans in every township, another indicator and another year."""
    for n in range(1, villages + 1):
        village = org_unit_save(
            unit=OrgUnit(
                code=f"42900500100{n}", name=f"园林{n}村", level="village", kind="village", parent=township_a
            )
        )
        orgs[village.code] = village
        put(JOBS, village.code, 2024, 2, n)
    for code in [o for o in orgs if len(o) == 9]:
        for month in (1, 2, 3):
            put(JOBS, code, 2024, month, 7)
            put("employment.unemployed_reemployed", code, 2024, month, 3)
            put(JOBS, code, 2023, month, 9)
    for n in range(changes):
        put(JOBS, A, 2024, 3, 100 + n)
    loans(orgs, *[(code, date(2024, 3, 5), "10") for code in orgs if len(orgs[code].code) == 9])
    completion_recompute(year=2024)


@pytest.fixture
def grow(orgs, township_a, put):
    return lambda: _grow(orgs, township_a, put)


def test_the_figure_reads_in_three_queries_however_much_data(
    jobs, grow, indicators, city, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(3) as before:
        figure_provenance(indicator=indicators[JOBS], org=city, year=2024, month=3)
    counted = len(before.captured_queries)  # now: the query log is a bounded deque
    grow()
    with django_assert_num_queries(counted):
        data = figure_provenance(indicator=indicators[JOBS], org=city, year=2024, month=3)
    assert data.parts_agree


def test_a_part_reads_in_five_queries_however_much_data(
    reported, grow, put, indicators, township_a, django_assert_max_num_queries
):
    def read():
        return part_provenance(indicator=indicators[JOBS], unit=township_a, own=False, year=2024, month=11)

    with django_assert_max_num_queries(5) as before:
        read()
    counted = len(before.captured_queries)  # now: the query log is a bounded deque
    grow()
    for n in range(
        1, 4
    ):  # 园林's villages report November too, and 园林's figure is corrected again and again
        put(JOBS, f"42900500100{n}", 2024, 11, n)
    for n in range(HISTORY_SHOWN + 5):
        put(JOBS, A, 2024, 11, 130 + n)
    with django_assert_max_num_queries(counted):
        part = read()
    assert part.reports and len(part.sources) == 4 and part.more_history


def test_reconciliation_reads_in_a_fixed_number_of_queries(jobs, grow, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as before:
        reconciliation_checks(year=2024, month=3)
    counted = len(before.captured_queries)  # now: the query log is a bounded deque
    grow()
    with django_assert_max_num_queries(counted):
        checks = reconciliation_checks(year=2024, month=3)
    assert checks


# The figure page's queries, whatever the data: session and user, the indicator, the figure's three,
# the check of its sources (the year's typed indicators, the city, the typed values, the units), the
# freshness notice (run, last change, requests) and the top bar's unread-notices count.
FIGURE_PAGE_QUERIES = 14
PART_PAGE_QUERIES = 12
RECORDS_PAGE_QUERIES = 8


def _pages() -> dict[str, tuple[str, dict, int]]:
    return {
        "figure": (f"/dashboard/provenance/{JOBS}/", {"org": CITY}, FIGURE_PAGE_QUERIES),
        "part": (f"/dashboard/provenance/{JOBS}/part/", {"org": A}, PART_PAGE_QUERIES),
        "records": (
            f"/dashboard/provenance/{LOANS}/records/",
            {"org": CITY, "ytd": "1"},
            RECORDS_PAGE_QUERIES,
        ),
    }


@pytest.mark.parametrize("page", ["figure", "part", "records"])
def test_the_provenance_pages_answer_in_a_fixed_number_of_queries_at_any_size(
    page, client, bureau_user, jobs, grow, django_assert_max_num_queries
):
    url, params, most = _pages()[page]
    params = {**params, "year": 2024, "month": 3}
    client.force_login(bureau_user)
    client.get(url, params)  # warm the caches (the org unit, the figures' state)
    with django_assert_max_num_queries(most) as before:
        assert client.get(url, params).status_code == 200
    counted = len(before.captured_queries)  # now: the query log is a bounded deque
    grow()
    client.get(url, params)
    with django_assert_max_num_queries(counted):
        response = client.get(url, params)
    assert response.status_code == 200
