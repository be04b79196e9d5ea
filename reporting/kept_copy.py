"""The only file a submission keeps and serves: a workbook the portal writes itself from the cells it
read (parsing/kept.py), never the township's own bytes (issue 23).

Why not strip the upload's zip of its macros, controls, external links and pictures: that keeps every
part nobody listed (and .xls or .csv uploads could not be stripped at all), and serves the result
under a name and a type the township chose. Why not the portal's template filled with the figures
(template_workbook): a township that inserted a row or typed 1.2万 would find its figures at other
rows and written otherwise than in its own file, and the SubmissionValue's sheet and row would point
at nothing. This copy has only values (text stays text: put_text), every cell at the sheet, row and
column it had in the upload, a sheet saying what it is (文件说明) and the template's hidden `_meta`, so
sending it again is sending the same report. Always .xlsx, whatever was uploaded.

Written as SpreadsheetML by hand, not with openpyxl: the city-wide file's 23 copies hold 100,000 rows
(benchmarks/bench_reporting.py), which openpyxl's writer takes 4 s over, this one a fraction of that.
The package is the minimal one every spreadsheet program opens (content types, relationships, workbook,
styles, sheets); text is inline strings, so no text cell is ever a formula, and text that starts like
one also gets the quote prefix (common.xlsx.put_text's rule) so that editing it keeps it text."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from common.xlsx import FORMULA_STARTS
from orgs.models import OrgUnit

from .parsing import ParsedReport
from .parsing.cells import NO_CACHED_VALUE, ExcelError
from .parsing.kept import KEPT_CHARS, KeptRow, KeptSheet
from .templates_xlsx import META_KEYS, META_SHEET

NOTE_SHEET = "文件说明"
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# Cell formats (styles.xml cellXfs): 0 general, 1 text with Excel's quote prefix, 2 date, 3 date and time.
_QUOTED, _DATE, _DATETIME = 1, 2, 3
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/><name val="宋体"/><family val="2"/>'
    '<charset val="134"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/>'
    '<bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
_Rows = Iterable[tuple[int, tuple[object, ...]]]  # (1-based row number, cells from column A)
_LETTERS = [get_column_letter(n) for n in range(1, 16_385)]  # A … XFD: a row's cells by index


def kept_workbook(
    *,
    report: ParsedReport,
    township: OrgUnit,
    year: int,
    month: int,
    original_name: str,
    original_sha256: str,
    whole_file: bool = True,
) -> bytes:
    """The copy kept for one township's submission. `whole_file` False (the city-wide file): only the
    sheets holding this township's rows, and of their indicator rows only its own."""
    sheets: list[tuple[str, bool, list[float], _Rows]] = []
    titles: dict[str, str] = {}
    for kept in report.kept:
        if not whole_file and township.code not in kept.townships:
            continue  # (a city-wide file is 23 sheets of up to 4,000 rows: each township reads its own)
        rows = kept.rows + kept.indicator_rows(township.code, every=whole_file)
        titles[kept.name] = _title(kept.name, set(titles.values()))
        sheets.append((titles[kept.name], False, _widths(kept, rows), _in_order(rows)))
    note = _note(township, year, month, original_name, original_sha256, titles)
    sheets.append((_title(NOTE_SHEET, set(titles.values())), False, [24, 90], enumerate(note, start=1)))
    meta = [
        (key, value)
        for key, value in zip(META_KEYS, (township.code, year, month, report.template_version), strict=True)
        if value is not None
    ]
    sheets.append((META_SHEET, True, [], enumerate(meta, start=1)))
    return _package(sheets)


def _title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (no []:*?/\\, at most 31 characters), unique in the book."""
    base = _NOT_XML.sub("", _BAD_TITLE.sub("_", name)).strip("'")[:31] or "Sheet"
    title, n = base, 1
    while title in taken or title == META_SHEET:
        n += 1
        title = f"{base[: 31 - len(str(n)) - 2]}({n})"
    return title


def _in_order(rows: list[KeptRow]) -> list[tuple[int, tuple[object, ...]]]:
    by_number = {r.number: r.cells for r in reversed(rows)}  # one row a number: the first kept
    return sorted(by_number.items())


def _widths(kept: KeptSheet, rows: list[KeptRow]) -> list[float]:
    """From the first rows (title, labels, header, the first indicators): enough to read by."""
    longest = [0] * kept.width
    for row in rows[:200]:
        for i, value in enumerate(row.cells):
            if isinstance(value, str):
                longest[i] = max(longest[i], len(value))
    return [min(max(8, 2 * n + 2), 60) for n in longest]


def _note(
    township: OrgUnit, year: int, month: int, name: str, sha256: str, titles: dict[str, str]
) -> list[tuple]:
    lines = [
        ("说明", "本文件由潜江市人社数据门户根据区镇街道上传的文件重新生成,不是上传的文件本身。"),
        ("保留了什么", "系统读取的单元格内容(文字和数值;公式只保留计算结果),行号、列号与上传的文件相同。"),
        (
            "没有保留什么",
            "宏、控件、外部链接、图片、批注、格式,以及系统没有读取的工作表(隐藏的、填报说明等)。",
        ),
        ("区镇街道", f"{township.name}({township.code})"),
        ("报表期", f"{year}年{month}月"),
        ("上传的文件名", name),
        ("上传文件的SHA-256", sha256),
    ]
    return lines + [
        ("工作表改名", f"上传文件中的“{a}”在本文件中名为“{b}”") for a, b in titles.items() if a != b
    ]


def _package(sheets: list[tuple[str, bool, list[float], _Rows]]) -> bytes:
    out = BytesIO()
    # The fastest deflate: the parts are small, and the city-wide file's 23 copies are written at once.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", _content_types(len(sheets)))
        package.writestr("_rels/.rels", _rels([("officeDocument", "xl/workbook.xml")], _REL))
        package.writestr("xl/workbook.xml", _workbook(sheets))
        targets = [("worksheet", f"worksheets/sheet{n}.xml") for n in range(1, len(sheets) + 1)]
        package.writestr("xl/_rels/workbook.xml.rels", _rels([*targets, ("styles", "styles.xml")], _REL))
        package.writestr("xl/styles.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + _STYLES)
        for n, (_, _, widths, rows) in enumerate(sheets, start=1):
            with package.open(f"xl/worksheets/sheet{n}.xml", "w") as part:
                for chunk in _sheet_xml(widths, rows):
                    part.write(chunk.encode("utf-8"))
    return out.getvalue()


def _content_types(sheets: int) -> str:
    parts = [("/xl/workbook.xml", f"{_TYPES}.sheet.main+xml"), ("/xl/styles.xml", f"{_TYPES}.styles+xml")]
    parts += [(f"/xl/worksheets/sheet{n}.xml", f"{_TYPES}.worksheet+xml") for n in range(1, sheets + 1)]
    overrides = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in parts)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    )


def _rels(targets: list[tuple[str, str]], base: str) -> str:
    items = "".join(
        f'<Relationship Id="rId{n}" Type="{base}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, start=1)
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PKG}">{items}</Relationships>'


def _workbook(sheets: list[tuple[str, bool, list[float], _Rows]]) -> str:
    entries = []
    for n, (title, hidden, _, _) in enumerate(sheets, start=1):
        state = ' state="hidden"' if hidden else ""
        name = escape(title, {'"': "&quot;"})
        entries.append(f'<sheet name="{name}" sheetId="{n}"{state} r:id="rId{n}"/>')
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{"".join(entries)}</sheets></workbook>'
    )


def _sheet_xml(widths: list[float], rows: _Rows) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN}">'
    if widths:
        cols = "".join(
            f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
            for n, width in enumerate(widths, start=1)
        )
        yield f"<cols>{cols}</cols>"
    yield "<sheetData>"
    batch: list[str] = []
    for number, cells in rows:
        row = "".join([_cell(f"{_LETTERS[i]}{number}", v) for i, v in enumerate(cells) if v is not None])
        batch.append(f'<row r="{number}">{row}</row>')
        if len(batch) >= 1000:
            yield "".join(batch)
            batch = []
    yield "".join(batch) + "</sheetData></worksheet>"


def _cell(ref: str, value: object) -> str:
    """A value as read, written so that it stays what it was: text is text (never a formula), an error
    value is written as its text, a formula without a saved result as no cell at all."""
    if value is None or value is NO_CACHED_VALUE:
        return ""
    kind = type(value)
    if kind is str or kind is ExcelError:
        text = (value if kind is str else value.code)[:KEPT_CHARS]
        text = _NOT_XML.sub("", text) if _NOT_XML.search(text) else text
        style = f' s="{_QUOTED}"' if text.startswith(FORMULA_STARTS) else ""
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{ref}" t="inlineStr"{style}><is><t{space}>{escape(text)}</t></is></c>'
    if kind is bool:
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if kind is int or kind is float:
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, Decimal):
        return f'<c r="{ref}"><v>{value:f}</v></c>'
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        style = _DATE if kind is dt.date else _DATETIME
        return f'<c r="{ref}" s="{style}"><v>{to_excel(value)!r}</v></c>'
    return _cell(ref, str(value))
