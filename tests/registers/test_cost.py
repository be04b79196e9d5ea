"""A batch of register writes costs the same number of queries for 5 records as for 50: the service
loads what the records point at and the old rows once per batch, writes in bulk and recounts each month
once (no per-row SELECT, no per-row recount)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from employment.models import GuaranteeLoan
from registers.resources import register_resource
from registers.services import records_import
from tests.employment.test_imports import LOAN_HEADERS, loan_row, messages, run

pytestmark = pytest.mark.django_db
GuaranteeLoanResource = register_resource(GuaranteeLoan)


def _queries(write) -> int:
    with CaptureQueriesContext(connection) as captured:
        write()
    return len(captured.captured_queries)


def _rows(count: int, start: int) -> list[list]:
    towns = ["429005001", "429005002", "429005003"]
    return [
        loan_row(f"QJCD2024{start + i:05d}", org=towns[i % 3], issued=date(2024, 3 + i % 2, 5))
        for i in range(count)
    ]


def test_an_import_asks_row_by_row_only_what_the_model_validates_per_row(bureau_user, indicators, orgs):
    """The import validates each row with the model's own rules, so that each message names its row: the
    unique loan number and the check constraints are asked per row (and import-export opens a savepoint
    per row). Nothing else is: not the org unit the row names (the widget found it), not the stored row,
    not a recount."""
    run(GuaranteeLoanResource(), LOAN_HEADERS, _rows(5, 1), bureau_user)
    with CaptureQueriesContext(connection) as captured:
        result = run(GuaranteeLoanResource(), LOAN_HEADERS, _rows(50, 100), bureau_user)
    assert not result.has_errors() and not result.has_validation_errors(), messages(result)
    assert GuaranteeLoan.objects.count() == 55
    shapes = Counter(re.sub(r"'[^']*'|\d+", "N", q["sql"]) for q in captured.captured_queries)
    per_row = {shape for shape, count in shapes.items() if count >= 50}
    allowed = re.compile(
        r'^(SAVEPOINT|RELEASE SAVEPOINT) |"_check" WHERE|WHERE "employment_guaranteeloan"."loan_number" = N'
    )
    assert [shape for shape in per_row if not allowed.search(shape)] == []
    # The batch: constant (43 today; the write path's set-based statements are a dozen of them).
    assert len(captured.captured_queries) - sum(shapes[s] for s in per_row) < 50


def test_a_batch_update_and_delete_cost_the_same_queries_for_5_records_as_for_50(
    bureau_user, indicators, orgs
):
    run(GuaranteeLoanResource(), LOAN_HEADERS, _rows(110, 1), bureau_user)
    loans = list(GuaranteeLoan.objects.order_by("pk"))
    for loan in loans:
        loan.borrower_name = "李娜"

    def update(records):
        return lambda: records_import(user=bureau_user, model=GuaranteeLoan, updated=records)

    def delete(records):
        return lambda: records_import(user=bureau_user, model=GuaranteeLoan, deleted=records)

    assert _queries(update(loans[:5])) == _queries(update(loans[5:55]))
    # Records are left in every month and township after each deletion: both recounts change figures
    # (none removes one), so both have figures for the year's rules to judge.
    assert _queries(delete(loans[:5])) == _queries(delete(loans[5:55]))
    assert GuaranteeLoan.objects.count() == 55
