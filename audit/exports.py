"""The security log as a workbook, through the portal's one writer (common.xlsx)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from common.xlsx import append_row, new_workbook, workbook_bytes

from .models import SecurityEvent

HEADERS = ["序号", "时间", "账号", "来源地址", "事件", "对象", "结果", "说明", "哈希"]


def security_events_workbook(events: Iterable[SecurityEvent]) -> bytes:
    book = new_workbook()
    sheet = book.active
    sheet.title = "安全审计日志"
    append_row(sheet, HEADERS)
    for e in events:
        append_row(
            sheet,
            [
                e.seq,
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                e.username,
                e.source_ip or "",
                e.get_kind_display(),
                e.object,
                e.get_outcome_display(),
                e.detail,
                e.hash,
            ],
        )
    for column, width in zip("ABCDEFGHI", (8, 20, 16, 16, 16, 36, 8, 48, 20), strict=True):
        sheet.column_dimensions[column].width = width
    return workbook_bytes(book)
