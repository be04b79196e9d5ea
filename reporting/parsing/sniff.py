"""What a file really is, told by its bytes and not by its name, and whether it is safe to open.

Townships send what their office program and their colleagues produce: .xls that are really web pages
exported by another system, files renamed from .xls to .xlsx, password-protected workbooks, a PDF of
the report. Each gets a message that says what the file is and how to turn it into one we can read."""

from __future__ import annotations

import enum
import re
import zipfile
from io import BytesIO

# Zip-bomb guards, checked on the archive's directory before any part is read. Python's zipfile never
# inflates a member beyond its declared size, so the declared sizes bound the work. The limit on the
# unpacked total is the read budget's (budget.py); the ratio and member count hold for every door.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 1024 * 1024  # small members may compress better than that harmlessly
MAX_ZIP_MEMBERS = 1000

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A password-protected .xlsx is an OLE2 file holding the encrypted zip in a stream of this name;
# directory entry names are UTF-16LE, so the bytes show it without parsing the compound file.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

UPLOAD_HINT = "请上传Excel文件(.xlsx或.xls)或CSV文件。"
RESAVE_HINT = "请用Excel或WPS打开它,点“另存为”,保存类型选“Excel工作簿(*.xlsx)”,再上传新文件。"
ENCRYPTED = "文件已加密(设置了打开密码),请取消密码后重新上传。"
CORRUPT = "文件已损坏,无法打开(可能没有完整保存或下载)。请用Excel或WPS打开确认内容无误后重新保存,再上传。"

_OTHER_MAGIC = (
    (b"%PDF", "PDF文件"),
    (b"\x89PNG", "图片"),
    (b"\xff\xd8\xff", "图片"),
    (b"GIF8", "图片"),
    (b"Rar!", "压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "压缩包"),
    (b"\x1f\x8b", "压缩包"),
    (b"{\\rtf", "Word文档(RTF)"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_EXTENSION_KINDS = {"xlsx": "xlsx", "xlsm": "xlsx", "xls": "xls", "csv": "csv"}


class Kind(enum.StrEnum):
    XLSX = "xlsx"
    XLS = "xls"
    CSV = "csv"


KIND_LABELS = {Kind.XLSX: "Excel工作簿(.xlsx)", Kind.XLS: "Excel 97-2003工作簿(.xls)", Kind.CSV: "CSV文本"}


class FileProblem(Exception):
    """The file as a whole cannot be read. str(error) is the Chinese message."""


def size_problem(size: int, max_bytes: int) -> str | None:
    if size == 0:
        return "文件是空的(0字节),请检查后重新上传。"
    if size > max_bytes:
        return (
            f"文件大小为{size / 1048576:.1f}MB,超过了{max_bytes / 1048576:g}MB的上限。"
            "请删除与月报无关的工作表、图片后重新保存,再上传。"
        )
    return None


def sniff(data: bytes, *, max_unpacked_bytes: int) -> Kind:
    """The format the bytes say. Raises FileProblem for anything that is not a spreadsheet we read."""
    if data.startswith(b"PK"):
        return _sniff_zip(data, max_unpacked_bytes)
    if data.startswith(OLE2_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise FileProblem(ENCRYPTED)
        return Kind.XLS
    for magic, what in _OTHER_MAGIC:
        if data.startswith(magic):
            raise FileProblem(f"上传的是{what},不是电子表格文件。{UPLOAD_HINT}")
    _refuse_markup(data)
    if decode_text(data) is None:
        raise FileProblem(f"不是电子表格文件,无法识别其内容。{UPLOAD_HINT}")
    return Kind.CSV


def renamed_problem(kind: Kind, filename: str) -> str | None:
    """A file whose name says one format and whose bytes say another was renamed by hand; Excel warns
    about such files too, and what was meant to be uploaded is uncertain."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    expected = _EXTENSION_KINDS.get(extension)
    if expected is None or expected == kind:
        return None
    return (
        f"文件名的扩展名是.{extension},但文件内容其实是{KIND_LABELS[kind]}格式(可能是直接改了扩展名)。"
        + RESAVE_HINT
    )


def _sniff_zip(data: bytes, max_unpacked_bytes: int) -> Kind:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
        _refuse_bomb(members, max_unpacked_bytes)
        names = {m.filename for m in members}
        if any(m.flag_bits & 0x1 for m in members):
            raise FileProblem(ENCRYPTED)
        if "xl/workbook.bin" in names:
            raise FileProblem(f"文件是Excel二进制工作簿(.xlsb)格式,系统不能读取。{RESAVE_HINT}")
        if "mimetype" in names and archive.read("mimetype")[:100].startswith(b"application/vnd.oasis"):
            raise FileProblem(f"文件是OpenDocument(.ods)格式,系统不能读取。{RESAVE_HINT}")
    except FileProblem:
        raise
    except Exception:  # BadZipFile, truncated data, unsupported zip features: all mean unreadable
        raise FileProblem(CORRUPT) from None
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return Kind.XLSX
    if any(n.lower().endswith((".xlsx", ".xls", ".csv", ".et")) for n in names):
        raise FileProblem("上传的是压缩包,请解压后上传其中的电子表格文件。")
    what = "Word文档" if any(n.startswith("word/") for n in names) else "压缩包或其他文件"
    raise FileProblem(f"上传的是{what},不是电子表格文件。{UPLOAD_HINT}")


def _refuse_bomb(members: list[zipfile.ZipInfo], max_unpacked_bytes: int) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileProblem(
            f"文件内部包含{len(members)}个部件,超过{MAX_ZIP_MEMBERS}个的上限,结构异常,系统拒绝处理。"
            + RESAVE_HINT
        )
    if sum(m.file_size for m in members) > max_unpacked_bytes:
        raise FileProblem(
            f"文件解压后超过{max_unpacked_bytes / 1048576:g}MB的上限,系统拒绝处理。"
            "请删除与月报无关的工作表、图片后重新保存,再上传。"
        )
    for member in members:
        if member.file_size > RATIO_CHECK_MIN_BYTES and (
            member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        ):
            raise FileProblem(
                f"文件内部的压缩比异常(超过{MAX_COMPRESSION_RATIO}:1),可能是恶意构造的文件,系统拒绝处理。"
                + RESAVE_HINT
            )


def _refuse_markup(data: bytes) -> None:
    """Web pages and Excel 2003 XML that other systems export with an .xls name."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise FileProblem(f"文件是“XML表格”(Excel 2003 XML)格式,不是真正的Excel工作簿。{RESAVE_HINT}")
    is_page = head.startswith((b"<html", b"<!doctype", b"<table", b"<head", b"<meta", b"<body")) or (
        head.startswith(b"<?xml") and b"<html" in head
    )
    if is_page or head.startswith(b"mime-version:"):
        raise FileProblem(
            "文件是网页(HTML)格式,不是真正的电子表格(有些系统导出的.xls文件其实是网页)。" + RESAVE_HINT
        )
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        raise FileProblem(f"上传的是SVG图片,不是电子表格文件。{UPLOAD_HINT}")
    if head.startswith(b"<"):  # any other markup: no template is saved as it
        raise FileProblem(f"上传的是网页或XML格式的文本,不是电子表格文件。{UPLOAD_HINT}")


def decode_text(data: bytes) -> str | None:
    """CSV text: UTF-16 with a BOM (Excel's “Unicode文本”), UTF-8 with or without BOM, else GB18030
    (a superset of GBK, what Excel and WPS write on a Chinese Windows). None when it is not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if _CONTROL.search(text) else text
    return None
