"""common.db.insert_rows writes what it is given, exactly, whichever way it goes: COPY as CSV (from
COPY_FROM_ROWS rows on PostgreSQL), INSERT … VALUES (fewer), or bulk_create (SQLite). Text that CSV
treats specially, NULL beside "", decimals at the field's limits and in exponent notation, times with
their offset, and a column whose values are of mixed types."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from common.db import COPY_FROM_ROWS, insert_rows
from indicators.models import FigureChange

FIELDS = (
    "subject",
    "indicator_id",
    "org_unit_id",
    "year",
    "month",
    "old_value",
    "new_value",
    "old_remark",
    "new_remark",
    "explanation",
    "changed_at",
    "changed_by_name",
    "channel",
    "note",
    "submission_pk",
)
TEXTS = ["", 'say "hi"', "a,b", "two\nlines", "\\.", "NULL", "\\N", '就业 ,"”', " padded "]
DECIMALS = [
    None,
    Decimal("0"),
    Decimal("0.000001"),
    Decimal("1E+1"),
    Decimal("12.500"),
    Decimal("99999999999999.999999"),
    Decimal("-0"),
]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _rows(indicator_id: int, org_unit_id: int, count: int) -> list[tuple]:
    return [
        (
            "value",
            indicator_id,
            org_unit_id,
            2024,
            None if i % 5 == 0 else 1 + i % 12,
            DECIMALS[i % len(DECIMALS)],
            # A column of mixed types: whole numbers and decimals, as a caller may hand them.
            i if i % 2 else Decimal(i) / 8,
            TEXTS[i % len(TEXTS)],
            TEXTS[(i + 3) % len(TEXTS)],
            TEXTS[(i + 5) % len(TEXTS)],
            datetime(2024, 12, 5, 10, 0, i % 60, 123456, tzinfo=SHANGHAI),
            "测试",
            "upload",
            f"第{i}行",
            None,  # a foreign key (to the submission) kept by the database
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [COPY_FROM_ROWS + 7, 40], ids=["copy", "values"])
def test_rows_come_back_exactly_as_written(count, indicators, township_a):
    indicator_id = indicators["employment.urban_new_jobs"].pk
    rows = _rows(indicator_id, township_a.pk, count)
    insert_rows(FigureChange, FIELDS, rows)
    stored = list(FigureChange.objects.filter(note__startswith="第").order_by("id").values_list(*FIELDS))
    assert len(stored) == count
    for written, read in zip(rows, stored, strict=True):
        assert read[:5] == written[:5]
        assert read[5] == written[5] and (read[5] is None) == (written[5] is None)
        assert read[6] == written[6]
        assert read[7:10] == written[7:10]  # "" stays "", never NULL; quotes, commas, newlines kept
        assert read[10] == written[10]  # the same instant, to the microsecond
        assert read[11:] == written[11:]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_a_value_copy_cannot_write_is_refused(indicators, township_a):
    row = list(_rows(indicators["employment.urban_new_jobs"].pk, township_a.pk, 1)[0])
    row[11] = ["not", "text"]
    with pytest.raises(TypeError):
        insert_rows(FigureChange, FIELDS, [tuple(row)] * (COPY_FROM_ROWS + 1))
