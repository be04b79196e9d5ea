"""Worst-case upload files, generated in memory: what a hostile (or merely broken) file under the 10 MB
size limit can hold. Used by the budget tests (tests/reporting/test_upload_budget.py) and printed by
benchmarks/bench_hostile_uploads.py.

Written by hand as XML and BIFF records rather than with openpyxl or LibreOffice: a library writes
only what is well-formed and sensible, and these are neither. Every generator takes a size so the
tests can make a smaller one that still passes the web door's limits, and the benchmark the largest
that fits under the size limit. Each returns (file name, bytes)."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
HEADER = ("指标代码", "指标名称", "单位", "本月数值", "备注")
JOBS = "employment.urban_new_jobs"
Part = bytes | Iterable[bytes]

# --- .xlsx packages -------------------------------------------------------------------------------


def _content_types(sheets: int, strings: bool) -> bytes:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    if strings:
        overrides += (
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>"
    ).encode()


def workbook_xml(names: list[str], hidden: Iterable[str] = ()) -> bytes:
    hidden = set(hidden)
    sheets = "".join(
        f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"'
        + (' state="hidden"/>' if name in hidden else "/>")
        for n, name in enumerate(names, start=1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
        f"<sheets>{sheets}</sheets></workbook>"
    ).encode()


def _workbook_rels(sheets: int) -> bytes:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{SHEET_TYPE}" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">{rels}</Relationships>'.encode()
    )


def package(
    sheets: list[tuple[str, Part]],
    *,
    strings: Part | None = None,
    styles: Part | None = None,
    workbook: bytes | None = None,
    level: int = 6,
) -> bytes:
    """An .xlsx from raw parts. A part given as an iterable of chunks is written as it is produced, so a
    part of hundreds of MB never sits in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", _content_types(len(sheets), strings is not None))
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr("xl/workbook.xml", workbook or workbook_xml([name for name, _ in sheets]))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        parts = [(f"xl/worksheets/sheet{n}.xml", part) for n, (_, part) in enumerate(sheets, start=1)]
        parts += [("xl/sharedStrings.xml", strings), ("xl/styles.xml", styles)]
        for name, part in parts:
            if part is None:
                continue
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in [part] if isinstance(part, bytes) else part:
                    member.write(chunk)
    return out.getvalue()


def sheet_xml(rows: Iterable[str], *, before: str = "", after: Iterable[str] = ()) -> Iterator[bytes]:
    """A worksheet part from rows already written as <row> XML (and what follows sheetData: merged
    ranges), in chunks of about 1 MB."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{before}<sheetData>'.encode()
    yield from _chunks(rows)
    yield b"</sheetData>"
    yield from _chunks(after)
    yield b"</worksheet>"


def _chunks(pieces: Iterable[str]) -> Iterator[bytes]:
    batch: list[str] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size > 1 << 20:
            yield "".join(batch).encode()
            batch, size = [], 0
    yield "".join(batch).encode()


def inline(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def report_rows(values: dict[str, object] | None = None) -> list[str]:
    """The template's header and one indicator row, as inline strings."""
    values = values or {JOBS: 120}
    rows = ['<row r="1">' + "".join(inline(h) for h in HEADER) + "</row>"]
    for n, (code, value) in enumerate(values.items(), start=2):
        rows.append(f'<row r="{n}">{inline(code)}{inline("指标")}{inline("人")}<c><v>{value}</v></c></row>')
    return rows


def township_report() -> tuple[str, bytes]:
    """A plain one-sheet report: what the web door is for (the baseline)."""
    return "月报.xlsx", package([("月报", sheet_xml(report_rows()))])


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    """The package with one more member, stored (a picture does not shrink), that nothing reads."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, content, zipfile.ZIP_STORED)
    return out.getvalue()


def picture(megabytes: float = 9.5) -> bytes:
    """A PNG's worth of bytes that compress no more than a photo's (issue 23: xl/media/image1.png)."""
    return b"\x89PNG\r\n\x1a\n" + random.Random(23).randbytes(int(megabytes * 2**20) - 8)


def report_with_picture(megabytes: float = 9.5) -> tuple[str, bytes]:
    """A valid report carrying an unread picture: it passes every check, so it used to be kept whole."""
    return "月报.xlsx", with_member(township_report()[1], "xl/media/image1.png", picture(megabytes))


def shared_strings_bomb(megabytes: int = 195, *, unique: bool = True) -> tuple[str, bytes]:
    """Shared strings (a counter, six random letters, a Chinese sentence) compressing 31:1 like the
    file in issue 10 (6 MB holding 195 MB): under the compression-ratio guard, over the rest. With
    unique=False the first megabyte of strings is repeated (as many strings, 30 times faster to make)."""
    rng = random.Random(1)
    pool = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=1 << 20))
    filler = "本月就业情况说明文字重复内容" * 5
    count = megabytes * 2**20 // 241

    def block(start: int, stop: int) -> bytes:
        return "".join(
            f"<si><t>{n:09d}{pool[n * 7919 % 1_000_000 :][:6]}{filler}</t></si>" for n in range(start, stop)
        ).encode()

    def strings() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'.encode()
        step = 2**20 // 241
        first = block(0, step)
        for start in range(0, count - step + 1, step):
            yield block(start, start + step) if unique and start else first
        yield block(count - count % step, count) if unique else first[: (count % step) * 241]
        yield b"</sst>"

    return "共享字符串.xlsx", package([("月报", sheet_xml(report_rows()))], strings=strings())


def shared_strings(count: int, chars: int = 1) -> tuple[str, bytes]:
    """`count` distinct shared strings of `chars` characters each (digits and letters)."""
    pad = "x" * max(chars - 9, 0)

    def strings() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()
        for start in range(0, count, 10_000):
            yield "".join(
                f"<si><t>{n:09d}{pad}</t></si>" for n in range(start, min(count, start + 10_000))
            ).encode()
        yield b"</sst>"

    return "共享字符串.xlsx", package([("月报", sheet_xml(report_rows()))], strings=strings())


def empty_cells(count: int = 2_800_000) -> tuple[str, bytes]:
    """Millions of formatted empty cells (<c r=".." s="1"/>), 100 to a row: 60 MB unpacked."""
    letters = [_column(c) for c in range(1, 101)]
    rows = (
        f'<row r="{r}">' + "".join(f'<c r="{letter}{r}" s="1"/>' for letter in letters) + "</row>"
        for r in range(1, count // 100 + 1)
    )
    return "空单元格.xlsx", package([("月报", sheet_xml(rows))])


def empty_rows(count: int = 3_600_000) -> tuple[str, bytes]:
    """Millions of empty <row/> records: 60 MB unpacked."""
    return "空行.xlsx", package([("月报", sheet_xml(f'<row r="{r}"/>' for r in range(1, count + 1)))])


_AB = bytes(ord("ab"[b & 1]) for b in range(256))


def _text(megabytes: float, seed: int) -> Iterator[str]:
    """Random a/b text: about 6:1 compressed, under the ratio guard."""
    rng = random.Random(seed)
    for _ in range(int(megabytes * 4)):
        yield rng.randbytes(2**18).translate(_AB).decode()


def huge_inline_string(megabytes: float = 50) -> tuple[str, bytes]:
    """One cell holding 50 MB of text."""

    def rows() -> Iterator[str]:
        yield from report_rows()
        yield '<row r="9"><c r="E9" t="inlineStr"><is><t>'
        yield from _text(megabytes, 10)
        yield "</t></is></c></row>"

    return "超长文字.xlsx", package([("月报", sheet_xml(rows()))])


def huge_attribute(megabytes: float = 50) -> tuple[str, bytes]:
    """A start tag that does not end for 50 MB: one giant attribute value."""

    def rows() -> Iterator[str]:
        yield from report_rows()
        yield '<row r="9"><c r="E9" x="'
        yield from _text(megabytes, 11)
        yield '"/></row>'

    return "超长属性.xlsx", package([("月报", sheet_xml(rows()))])


def many_sheets(count: int = 990) -> tuple[str, bytes]:
    sheets = [(f"表{n}", sheet_xml(report_rows())) for n in range(count)]
    return "工作表过多.xlsx", package(sheets)


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
    + "]>"
)


def billion_laughs(part: str = "sheet") -> tuple[str, bytes]:
    """Nine levels of ten entities each: a few hundred bytes that expand to 3 GB, in a worksheet, the
    shared strings or the workbook part."""
    body = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        + inline("&lol9;")
        + "</row></sheetData></worksheet>"
    )
    sheet = (LAUGHS + body).encode() if part == "sheet" else b"".join(sheet_xml(report_rows()))
    strings = (
        (LAUGHS + f'<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>').encode() if part == "strings" else None
    )
    workbook = None
    if part == "workbook":
        workbook = (LAUGHS + workbook_xml(["&lol9;"]).decode().split("?>", 1)[1]).encode()
    return f"实体炸弹-{part}.xlsx", package([("月报", sheet)], strings=strings, workbook=workbook)


def deep_xml(depth: int = 500_000) -> tuple[str, bytes]:
    """Elements nested half a million deep inside a cell (random names, so it compresses like text)."""
    rng = random.Random(13)
    names = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=4)) for _ in range(depth)]

    def rows() -> Iterator[str]:
        yield from report_rows()
        yield '<row r="9"><c r="E9">'
        for start in range(0, depth, 50_000):
            yield "".join(f"<{name}>" for name in names[start : start + 50_000])
        for start in range(depth, 0, -50_000):
            yield "".join(f"</{name}>" for name in reversed(names[max(0, start - 50_000) : start]))
        yield "</c></row>"

    return "深层嵌套.xlsx", package([("月报", sheet_xml(rows()))])


def huge_styles(count: int = 900_000) -> tuple[str, bytes]:
    """A style table of 900,000 cell formats (Excel's own limit is 64,000): 60 MB unpacked."""

    def styles() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}"><cellXfs count="{count}">'.encode()
        for start in range(0, count, 50_000):
            yield "".join(
                f'<xf numFmtId="{n % 50}" fontId="0" fillId="0" borderId="0" xfId="{n}"/>'
                for n in range(start, min(count, start + 50_000))
            ).encode()
        yield b"</cellXfs></styleSheet>"

    return "格式过多.xlsx", package([("月报", sheet_xml(report_rows()))], styles=styles())


def many_merged(count: int = 1_500_000) -> tuple[str, bytes]:
    """A million and a half merged ranges after a normal report."""
    merged = (f'<mergeCell ref="F{n}:G{n}"/>' for n in range(1, count + 1))

    def after() -> Iterator[str]:
        yield f'<mergeCells count="{count}">'
        yield from merged
        yield "</mergeCells>"

    return "合并单元格过多.xlsx", package([("月报", sheet_xml(report_rows(), after=after()))])


def city_file_through_the_web(rows: int = 100_000) -> tuple[str, bytes]:
    """The city-wide size (100,000 indicator rows, as benchmarks/bench_reporting.py) sent to the
    township's door: the import command's budget, not the web's."""
    body = (
        f'<row r="{r}">{inline(f"employment.bench_{r % 4348:05d}")}{inline("测试指标")}{inline("人")}'
        f"<c><v>{r % 500}</v></c></row>"
        for r in range(2, rows + 2)
    )
    return "全市合一.xlsx", package([("月报", sheet_xml(_chain(report_rows()[:1], body)))])


def _chain(*parts: Iterable[str]) -> Iterator[str]:
    for part in parts:
        yield from part


def giant_row(cells: int = 2_000_000) -> tuple[str, bytes]:
    """The whole sheet one <row> of millions of numbered cells, without references."""

    def rows() -> Iterator[str]:
        yield from report_rows()
        yield '<row r="9">'
        for start in range(0, cells, 100_000):
            yield "".join(f"<c><v>{n}</v></c>" for n in range(start, min(cells, start + 100_000)))
        yield "</row>"

    return "超长行.xlsx", package([("月报", sheet_xml(rows()))], level=9)


def far_right_cells(rows: int = 100_000) -> tuple[str, bytes]:
    """A value in the last column (XFD) of every row: each row 16,384 cells wide once read."""
    body = (f'<row r="{r}"><c r="XFD{r}"><v>{r}</v></c></row>' for r in range(1, rows + 1))
    return "最右列.xlsx", package([("月报", sheet_xml(body))], level=9)


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- .xls (BIFF8 in a compound document) ------------------------------------------------------------


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0006))


def biff_workbook(
    sheet_records: Iterable[bytes], *, sst: list[str] | None = None, name: str = "月报"
) -> bytes:
    """A BIFF8 workbook stream: globals (BOF, an SST if given, one BOUNDSHEET, EOF), then the sheet."""
    encoded = name.encode("utf-16-le")
    boundsheet_size = 4 + 6 + 2 + len(encoded)
    globals_ = [_bof(0x0005)]
    if sst is not None:
        globals_.append(_sst(sst))
    head = b"".join(globals_)
    sheet_offset = len(head) + boundsheet_size + 4  # + the globals' EOF record
    boundsheet = _record(0x0085, struct.pack("<IBBBB", sheet_offset, 0, 0, len(name), 1) + encoded)
    stream = io.BytesIO()
    stream.write(head + boundsheet + _record(0x000A, b""))
    stream.write(_bof(0x0010))
    for record in sheet_records:
        stream.write(record)
    stream.write(_record(0x000A, b""))
    return stream.getvalue()


def _sst(strings: list[str]) -> bytes:
    """The shared-string table (ASCII as Latin-1, others as UTF-16). Past 8,224 bytes it goes on in
    CONTINUE records, split anywhere: right for a reader that counts records, not for one that reads
    the strings (the strings of xls_report fit in one record)."""
    data = b"".join(
        struct.pack("<HB", len(s), 0) + s.encode("latin-1")
        if s.isascii()
        else struct.pack("<HB", len(s), 1) + s.encode("utf-16-le")
        for s in strings
    )
    head = struct.pack("<ii", len(strings), len(strings))
    first, rest = data[: 8224 - 8], data[8224 - 8 :]
    out = [_record(0x00FC, head + first)]
    for start in range(0, len(rest), 8224):
        out.append(_record(0x003C, rest[start : start + 8224]))
    return b"".join(out)


def compound_document(workbook: bytes) -> bytes:
    """A compound file (v3, 512-byte sectors) holding one stream named Workbook. No DIFAT sectors: up
    to 109 FAT sectors, i.e. a stream of about 7 MB."""
    if len(workbook) < 4096:  # smaller streams belong in the mini stream; pad instead
        workbook += bytes(4096 - len(workbook))
    data_sectors = -(-len(workbook) // 512)
    fat_sectors = -(-(data_sectors + 1 + 109) // 128)
    if fat_sectors > 109:
        raise ValueError("workbook stream too large for a compound file without DIFAT sectors")
    directory_sector = data_sectors
    fat = list(range(1, data_sectors)) + [-2, -2] + [-3] * fat_sectors
    fat += [-1] * (fat_sectors * 128 - len(fat))
    difat = list(range(data_sectors + 1, data_sectors + 1 + fat_sectors)) + [-1] * (109 - fat_sectors)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack(
            "<HHHHH6sIIIIIIIII",
            0x3E,
            3,
            0xFFFE,
            9,
            6,
            bytes(6),
            0,
            fat_sectors,
            directory_sector,
            0,
            4096,
            0xFFFFFFFE,
            0,
            0xFFFFFFFE,
            0,
        )
        + struct.pack("<109i", *difat)
    )
    directory = _dir_entry("Root Entry", 5, child=1, start=-2, size=0) + _dir_entry(
        "Workbook", 2, child=-1, start=0, size=len(workbook)
    )
    directory += bytes(512 - len(directory))
    body = workbook + bytes(data_sectors * 512 - len(workbook))
    return header + body + directory + struct.pack(f"<{fat_sectors * 128}i", *fat)


def _dir_entry(name: str, kind: int, *, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<iii", -1, -1, child)
        + bytes(16 + 4 + 16)
        + struct.pack("<iII", start, size, 0)
    )


def xls_many_cells(cells: int = 1_000_000) -> tuple[str, bytes]:
    """A million numbers in MULRK records (six bytes a cell): the most cells 7 MB of .xls can hold."""

    def records() -> Iterator[bytes]:
        per_row = 200
        for row in range(cells // per_row):
            rks = b"".join(struct.pack("<HI", 0, ((row + c) << 2) | 2) for c in range(per_row))
            yield _record(0x00BD, struct.pack("<HH", row, 0) + rks + struct.pack("<H", per_row - 1))

    return "单元格过多.xls", compound_document(biff_workbook(records()))


def xls_many_strings(count: int = 500_000) -> tuple[str, bytes]:
    strings = [f"{n:07d}" for n in range(count)]
    return "文字过多.xls", compound_document(biff_workbook([], sst=strings))


def xls_report(values: dict[str, float] | None = None) -> tuple[str, bytes]:
    """A tiny valid .xls in the report's layout, to show the writer above writes what xlrd reads."""
    values = values or {JOBS: 120.0}
    strings = list(HEADER) + list(values)
    records = [_label_sst(0, c, c) for c in range(len(HEADER))]
    for n, (code, value) in enumerate(values.items(), start=1):
        records += [
            _label_sst(n, 0, strings.index(code)),
            _record(0x0203, struct.pack("<HHHd", n, 3, 0, value)),
        ]
    return "月报.xls", compound_document(biff_workbook(records, sst=strings))


def _label_sst(row: int, column: int, index: int) -> bytes:
    return _record(0x00FD, struct.pack("<HHHI", row, column, 0, index))


# --- .csv -----------------------------------------------------------------------------------------


def csv_commas(megabytes: int = 9) -> tuple[str, bytes]:
    """One line of millions of empty cells."""
    return "逗号.csv", ("指标代码,本月数值\n" + "," * (megabytes * 2**20)).encode()


def csv_huge_field(megabytes: int = 9) -> tuple[str, bytes]:
    rng = random.Random(12)
    text = "".join(rng.choices("abcdefghij", k=megabytes * 2**20))
    return "超长字段.csv", f'指标代码,本月数值,备注\n{JOBS},1,"{text}"\n'.encode()


# What the benchmark runs: name -> generator at the size that fits under the 10 MB limit.
WORST_CASES: dict[str, Callable[[], tuple[str, bytes]]] = {
    "baseline: a township's report": township_report,
    "a report carrying an unread 9.5 MB picture": report_with_picture,
    "shared-strings bomb (195 MB of strings)": shared_strings_bomb,
    "shared strings under the unpacked cap (60 MB)": lambda: shared_strings_bomb(60),
    "the city-wide size (100,000 rows) through the web": city_file_through_the_web,
    "millions of empty cells": empty_cells,
    "millions of empty rows": empty_rows,
    "huge inline string (50 MB)": huge_inline_string,
    "giant attribute (50 MB)": huge_attribute,
    "990 sheets": many_sheets,
    "billion laughs in a sheet": billion_laughs,
    "billion laughs in the shared strings": lambda: billion_laughs("strings"),
    "billion laughs in the workbook part": lambda: billion_laughs("workbook"),
    "XML nested half a million deep": deep_xml,
    "huge style table (900,000 formats)": huge_styles,
    "1,500,000 merged ranges": many_merged,
    "one giant row (2,000,000 cells)": giant_row,
    "a value in the last column of every row": far_right_cells,
    ".xls with a million cells": xls_many_cells,
    ".xls with 500,000 strings": xls_many_strings,
    ".csv of millions of commas": csv_commas,
    ".csv with a 9 MB field": csv_huge_field,
}
