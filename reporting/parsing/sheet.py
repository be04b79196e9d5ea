"""One worksheet as the readers hand it to the report builder."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

Row = tuple[int, Sequence[object]]  # (1-based row number, cell values from column A)
Merged = tuple[int, int, int, int]  # (first row, last row, first column, last column), 1-based


@dataclass
class Sheet:
    name: str
    rows: Iterator[Row]
    hidden: bool = False  # hidden or "very hidden" in the workbook
    # The sheet's merged ranges. An .xlsx lists them after its rows, so the list is complete only once
    # `rows` is exhausted.
    merged: list[Merged] = field(default_factory=list)
