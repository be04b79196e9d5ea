"""The reporting status as a formatted workbook for the bureau."""

from django.utils import timezone
from openpyxl.styles import Font

from common.xlsx import append_row, new_workbook, print_setup, put, workbook_bytes

from .selectors import MonthStatus


def reporting_status_workbook(status: MonthStatus, *, reminders: dict | None = None) -> bytes:
    """`reminders`: each township's 催报 record for the month (notices.selectors.reminder_records)."""
    reminders = reminders or {}
    book = new_workbook()
    sheet = book.active
    sheet.title = "报送情况"
    put(sheet["A1"], f"{status.year}年{status.month}月 区镇街道月报报送情况").font = Font(bold=True, size=14)
    put(
        sheet["A2"],
        f"截止日期 {status.deadline:%Y-%m-%d},报送率 {status.rate}%({status.reported}/{len(status.rows)})",
    )
    append_row(sheet, [])
    append_row(
        sheet, ["区划代码", "区镇街道", "状态", "版本", "提交时间", "退回原因", "催报次数", "最近催报"]
    )
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in status.rows:
        s = row.submission
        submitted = (
            timezone.localtime(s.submitted_at).strftime("%Y-%m-%d %H:%M") if s and s.submitted_at else ""
        )
        append_row(
            sheet,
            [
                row.township.code,
                row.township.name,
                row.label + ("(逾期)" if row.late else ""),
                s.version if s else "",
                submitted,
                s.return_reason if s else "",
                *_reminded(reminders.get(row.township.pk)),
            ],
        )
    sheet.freeze_panes = "A5"
    for column, width in zip("ABCDEFGH", (12, 16, 14, 6, 18, 40, 10, 18), strict=True):
        sheet.column_dimensions[column].width = width
    print_setup(sheet, title=f"{status.year}年{status.month}月 区镇街道月报报送情况", header_rows="4:4")
    return workbook_bytes(book)


def _reminded(record) -> tuple[int, str]:
    if record is None or not record.count:
        return 0, ""
    return record.count, timezone.localtime(record.latest).strftime("%Y-%m-%d %H:%M")
