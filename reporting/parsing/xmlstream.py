"""XML parts of an .xlsx read as a stream of callbacks, never as a tree, under the read budget.

Expat (through ElementTree's C parser) calls a target's start/end/data for each element; nothing is
kept but what the target keeps. So memory stays flat whatever the part holds, and every element,
every character of a value and every 64 KB chunk is counted as it arrives:
- no document type declaration: OOXML parts never have one, and a DTD is where entities are declared
  (a "billion laughs" expands a few hundred bytes of them into gigabytes), so a part with one is
  refused before it is parsed, and the parser's doctype callback refuses it again;
- no element deeper than MAX_DEPTH (an Excel part is a dozen levels at most);
- no run of QUIET_BYTES without a single callback: expat buffers an unfinished tag (a giant attribute,
  a comment with no end) until it is complete, and this bounds that buffer;
- the budget's elements, and the deadline after every chunk."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import IO

from .budget import RESAVE, BudgetExceeded, Meter
from .sniff import FileProblem

CHUNK = 64 * 1024
MAX_DEPTH = 64
QUIET_BYTES = 1024 * 1024
DECLARATION = (
    "文件内部的XML含有文档类型声明(DOCTYPE或实体定义),正常的Excel文件不会有,"
    "可能是恶意构造的文件,系统拒绝处理。请用Excel或WPS打开文件后另存为新文件,再上传。"
)
# What may come before the root element: an XML declaration, processing instructions, comments,
# whitespace. Anything else there (<!DOCTYPE, <!ENTITY) is refused.
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)


class Target:
    """Callbacks with the budget's checks. Subclasses keep what they need in `on_start`/`on_end`
    and collect text between `collect()` and `collected()`."""

    def __init__(self, meter: Meter, where: str):
        self.meter, self.where = meter, where
        self.depth = 0
        # Since the last chunk: elements begun (added to the meter after each chunk) and pieces of
        # text; with neither, the chunk went to a tag still open (the QUIET_BYTES guard).
        self.starts = self.calls = 0
        self.text: list[str] | None = None
        self.text_chars = 0
        self.max_chars = meter.budget.max_cell_chars

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        self.starts += 1
        if self.depth > MAX_DEPTH:
            self.too_deep()
        self.on_start(tag, attrib)

    def end(self, tag: str) -> None:
        self.depth -= 1
        self.on_end(tag)

    def too_deep(self) -> None:
        raise BudgetExceeded(f"{self.where}的XML嵌套超过{MAX_DEPTH}层,结构异常,系统拒绝处理。{RESAVE}")

    def data(self, text: str) -> None:
        self.calls += 1
        if self.text is not None:
            self.text_chars += len(text)
            if self.text_chars > self.max_chars:
                self.meter.check_cell_chars(self.text_chars, self.text_place())
            self.text.append(text)

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise FileProblem(DECLARATION)

    def close(self) -> None:
        return None

    def flush(self) -> None:
        """After each chunk: the counts kept on the target go to the meter (and raise there)."""
        self.meter.add_elements(self.starts)

    def collect(self) -> None:
        self.text = []

    def collected(self) -> str:
        text = "".join(self.text or ())
        self.text = None
        return text

    def text_place(self) -> str:
        return self.where

    def on_start(self, tag: str, attrib: dict[str, str]) -> None:
        pass

    def on_end(self, tag: str) -> None:
        pass


def parse_stream(source: IO[bytes], target: Target, meter: Meter) -> Iterator[None]:
    """Feed the part to the parser chunk by chunk, yielding after each so the caller can take what
    the target has completed (rows) before the next chunk is read."""
    parser = ET.XMLParser(target=target)
    quiet, first = 0, True
    while chunk := source.read(CHUNK):
        if first:
            refuse_declarations(chunk)
            first = False
        meter.check_time()
        target.calls = target.starts = 0
        parser.feed(chunk)
        quiet = quiet + len(chunk) if target.starts + target.calls == 0 else 0
        target.flush()
        if quiet > QUIET_BYTES:
            raise BudgetExceeded(
                f"{target.where}中有超过{QUIET_BYTES // 1024}KB没有结束的XML内容"
                f"(超长的标签、属性或注释),结构异常,系统拒绝处理。{RESAVE}"
            )
        yield
    parser.close()
    target.flush()
    yield


def refuse_declarations(head: bytes) -> None:
    """Raise FileProblem unless the part's first chunk reaches its root element through nothing but
    an XML declaration, comments, processing instructions and whitespace."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head[2:].replace(b"\x00", b"")  # UTF-16: markup is ASCII, one zero byte per character
    head = head.removeprefix(b"\xef\xbb\xbf")
    rest = head[_PROLOG.match(head).end() :]
    if rest.startswith(b"<!") or (not rest.startswith(b"<") and len(head) >= CHUNK):
        raise FileProblem(DECLARATION)
