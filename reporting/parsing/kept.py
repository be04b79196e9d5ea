"""What the portal keeps of a data sheet it has read: the cells of the rows it understood, each at its
own row and column, and nothing else of the file. reporting/kept_copy.py writes them as a workbook of
the portal's own, which is the only file a submission keeps and serves (issue 23): no macro, control,
external link, picture or unread sheet of the upload survives, yet the reviewer finds every figure at
the sheet, row and column its SubmissionValue names.

Bounded by what a template holds, whatever the file holds: the header's width (KEPT_COLUMNS, or as far
right as a recognised column lies), text cut at KEPT_CHARS, the labels above the header, the indicator
rows (at most one per indicator, or the upload is refused), and KEPT_EXTRA_ROWS sign-off and total rows
a sheet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .cells import has_content
from .layout import Columns
from .sheet import Row

# The template is 7 columns wide and its longest text (an indicator's name) is under 40 characters.
KEPT_COLUMNS = 16
KEPT_CHARS = 500
KEPT_EXTRA_ROWS = 20


class KeptRow(NamedTuple):
    number: int  # 1-based, as Excel shows it
    cells: tuple[object, ...]  # from column A, as read (str, number, date, ExcelError, ...)


@dataclass
class KeptSheet:
    """The rows kept of one sheet. The indicator rows (up to 100,000 in the city-wide file) are kept
    flat, their cells in one list `width` apart, with no object of their own: a container per row is
    what makes the garbage collector walk the whole heap again and again while the file is read."""

    name: str
    width: int
    rows: list[KeptRow] = field(default_factory=list)  # labels, header, sign-off and total rows
    numbers: list[int] = field(default_factory=list)  # the indicator rows'
    org_codes: list[str | None] = field(default_factory=list)  # their 区划代码 (None: the upload's own)
    cells: list[object] = field(default_factory=list)  # their cells, `width` a row
    townships: set[str | None] = field(default_factory=set)  # the 区划代码 they name, once each
    extra_rows: int = 0

    @classmethod
    def start(cls, name: str, header_row: int, header: Sequence[object], columns: Columns, above: list[Row]):
        """A data sheet's copy begins with the rows above its header (title, 区划代码, 报表期) and the
        header itself."""
        filled = [i for i, value in enumerate(header) if has_content(value)]
        recognised = [i for i in (columns.code, columns.value, columns.org, columns.remark) if i is not None]
        width = min(max(filled, default=0) + 1, max(KEPT_COLUMNS, max(recognised) + 1))
        sheet = cls(name, width)
        for number, values in [*above, (header_row, header)]:
            sheet.rows.append(KeptRow(number, tuple(values[:width])))
        return sheet

    def add_indicator(self, number: int, values: Sequence[object], org_code: str | None) -> None:
        # Text is cut to KEPT_CHARS as it is written (kept_copy): here, only slices, nothing per cell.
        row = values[: self.width]
        self.cells += row
        if len(row) < self.width:
            self.cells += [None] * (self.width - len(row))
        self.numbers.append(number)
        self.org_codes.append(org_code)
        self.townships.add(org_code)

    def add_extra(self, number: int, values: Sequence[object]) -> None:
        """A sign-off (填报人, 联系电话) or total row: kept as the township wrote it, a few a sheet."""
        if self.extra_rows < KEPT_EXTRA_ROWS:
            self.extra_rows += 1
            self.rows.append(KeptRow(number, tuple(values[: self.width])))

    def indicator_rows(self, org_code: str | None = None, *, every: bool = True) -> list[KeptRow]:
        """The indicator rows: every one, or those naming `org_code`."""
        width, cells = self.width, self.cells
        return [
            KeptRow(number, tuple(cells[i * width : (i + 1) * width]))
            for i, number in enumerate(self.numbers)
            if every or self.org_codes[i] == org_code
        ]
