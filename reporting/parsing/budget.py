"""How much work reading one uploaded file may take, and the meter that holds a reading to it.

A file under the size limit can still hold far more than it weighs: a 6 MB workbook unpacked into
195 MB of distinct shared strings took 21.8 s and 525 MB to read (issue 10). Every count that costs
time or memory is metered while the file is read (cells, rows, strings and their characters, styles,
sheets, merged ranges, XML elements, seconds) and reading stops at the first one past its limit, with
a Chinese message naming the limit. The web door reads one township's month (about 30 rows) and gets
a tight budget; the bureau's import command reads the city-wide file (23 sheets, up to 100,000
values) and gets a larger one."""

from __future__ import annotations

import time
from dataclasses import dataclass

from .sniff import FileProblem

RESAVE = "请只保留月报工作表,删除多余的行、列、格式和内容后另存为新文件,再上传。"


@dataclass(frozen=True)
class ReadBudget:
    seconds: float
    max_unpacked_bytes: int  # every member of an .xlsx package together, uncompressed
    max_part_bytes: int  # one small package part read whole (content types, workbook, relationships)
    max_sheets: int
    max_rows: int  # row records, empty ones too
    max_cells: int  # cell records, empty (formatted) ones and the gaps before a far-right cell too
    max_row_cells: int
    max_cell_chars: int
    max_strings: int  # distinct strings (the shared-string table)
    max_string_chars: int  # their characters together
    max_styles: int  # cell formats
    max_merged: int  # merged ranges
    max_elements: int  # XML elements (.xlsx) or BIFF records (.xls)


# Excel's own limits, whatever the door: a cell holds at most 32,767 characters, a row 16,384
# columns, a workbook 64,000 cell formats (and a few built in).
EXCEL_CELL_CHARS, EXCEL_COLUMNS, EXCEL_STYLES = 32_767, 16_384, 65_000

# The township's upload through the web: the template is 3 sheets, about 30 rows and 7 columns, a
# few hundred strings. The limits leave room for a hand-made file a hundred times that size and keep
# any file under the size limit within 3 s and 150 MB (benchmarks/bench_hostile_uploads.py).
UPLOAD_BUDGET = ReadBudget(
    seconds=2.0,
    max_unpacked_bytes=64 * 2**20,
    max_part_bytes=4 * 2**20,
    max_sheets=30,
    max_rows=10_000,
    max_cells=200_000,
    max_row_cells=EXCEL_COLUMNS,
    max_cell_chars=EXCEL_CELL_CHARS,
    max_strings=100_000,
    max_string_chars=5_000_000,
    max_styles=EXCEL_STYLES,
    max_merged=10_000,
    max_elements=1_500_000,
)

# The bureau's `import_report` (and the benchmark): the city-wide file, 23 township sheets of up to
# 4,350 indicator rows each (100,000 values, benchmarks/bench_reporting.py), with room to spare.
IMPORT_BUDGET = ReadBudget(
    seconds=300.0,
    max_unpacked_bytes=200 * 2**20,
    max_part_bytes=16 * 2**20,
    max_sheets=100,
    max_rows=300_000,
    max_cells=3_000_000,
    max_row_cells=EXCEL_COLUMNS,
    max_cell_chars=EXCEL_CELL_CHARS,
    max_strings=1_000_000,
    max_string_chars=50_000_000,
    max_styles=EXCEL_STYLES,
    max_merged=100_000,
    max_elements=30_000_000,
)


class BudgetExceeded(FileProblem):
    """Reading stopped at a limit of the budget. str(error) is the Chinese message."""


class Meter:
    """The work done so far reading one file, against its budget. Each count raises BudgetExceeded
    the moment it passes its limit, so reading stops there and nothing more is held."""

    def __init__(self, budget: ReadBudget):
        self.budget = budget
        # perf_counter: monotonic, and not frozen by the tests' time travel as time.monotonic is.
        self.deadline = time.perf_counter() + budget.seconds
        self.rows = self.cells = self.strings = self.string_chars = 0
        self.styles = self.merged = self.elements = self.sheets = 0

    def check_time(self) -> None:
        if time.perf_counter() > self.deadline:
            raise BudgetExceeded(
                f"读取文件超过了{self.budget.seconds:g}秒的处理时限(文件内容过多或结构异常),系统已停止处理。{RESAVE}"
            )

    def add_sheets(self, count: int) -> None:
        self.sheets += count
        if self.sheets > self.budget.max_sheets:
            raise BudgetExceeded(
                f"文件中有{self.sheets}个工作表,超过了{self.budget.max_sheets}个的上限。{RESAVE}"
            )

    def add_rows(self, count: int = 1) -> None:
        self.rows += count
        if self.rows > self.budget.max_rows:
            raise BudgetExceeded(
                f"文件中的行数超过了{self.budget.max_rows:,}行的上限(空行也计算在内),系统已停止读取。{RESAVE}"
            )

    def add_cells(self, count: int = 1) -> None:
        self.cells += count
        if self.cells > self.budget.max_cells:
            raise BudgetExceeded(
                f"文件中的单元格超过了{self.budget.max_cells:,}个的上限(设置了格式的空单元格也计算在内),"
                f"系统已停止读取。{RESAVE}"
            )

    def check_row_cells(self, count: int, where: str) -> None:
        if count > self.budget.max_row_cells:
            raise BudgetExceeded(
                f"{where}的单元格超过了{self.budget.max_row_cells:,}个(Excel一行最多{EXCEL_COLUMNS:,}列),"
                f"不是正常的表格,系统拒绝处理。{RESAVE}"
            )

    def check_cell_chars(self, count: int, where: str) -> None:
        if count > self.budget.max_cell_chars:
            raise BudgetExceeded(
                f"{where}的内容超过了{self.budget.max_cell_chars:,}个字符的上限"
                f"(Excel一个单元格最多{EXCEL_CELL_CHARS:,}个字符),系统拒绝处理。请删除这段内容后再上传。"
            )

    def add_string(self, chars: int) -> None:
        self.add_strings(1, chars)

    def add_strings(self, count: int, chars: int) -> None:
        self.strings += count
        self.string_chars += chars
        self.check_strings(self.strings, self.string_chars)

    def check_strings(self, count: int, chars: int) -> None:
        if count > self.budget.max_strings:
            raise BudgetExceeded(
                f"文件中的不同文字内容(共享字符串)超过了{self.budget.max_strings:,}条的上限,"
                f"系统已停止读取。{RESAVE}"
            )
        if chars > self.budget.max_string_chars:
            raise BudgetExceeded(
                f"文件中的文字内容合计超过了{self.budget.max_string_chars:,}个字符的上限,系统已停止读取。{RESAVE}"
            )

    def add_styles(self, count: int = 1) -> None:
        self.styles += count
        if self.styles > self.budget.max_styles:
            raise BudgetExceeded(
                f"文件中的单元格格式超过了{self.budget.max_styles:,}种的上限,系统拒绝处理。"
                "请复制月报内容到新的工作簿(选择性粘贴“数值”)后保存,再上传。"
            )

    def add_merged(self, count: int = 1) -> None:
        self.merged += count
        if self.merged > self.budget.max_merged:
            raise BudgetExceeded(f"文件中的合并单元格超过了{self.budget.max_merged:,}处的上限。{RESAVE}")

    def add_elements(self, count: int) -> None:
        self.elements += count
        if self.elements > self.budget.max_elements:
            raise BudgetExceeded(
                f"文件内部结构过于庞大(超过{self.budget.max_elements:,}个结构元素),系统已停止读取。{RESAVE}"
            )

    def check_part_size(self, size: int, part: str) -> None:
        if size > self.budget.max_part_bytes:
            raise BudgetExceeded(
                f"文件内部的“{part}”部件解压后为{size / 2**20:.1f}MB,超过了"
                f"{self.budget.max_part_bytes / 2**20:g}MB的上限,结构异常,系统拒绝处理。{RESAVE}"
            )
