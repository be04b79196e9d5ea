"""What the notices say, in the bureau's words. One function per kind of message."""

from __future__ import annotations

from datetime import date

from orgs.models import OrgUnit
from reporting.models import Submission

from .models import Notice
from .schedule import report_deadline, report_lock_date


def _day(d: date) -> str:
    return f"{d.month}月{d.day}日"


def reminder(
    *, kind: str, township: OrgUnit, year: int, month: int, today: date, note: str = ""
) -> tuple[str, str]:
    deadline, lock = report_deadline(year, month), report_lock_date(year, month)
    period = f"{year}年{month}月"
    owed = f"{township.name}:截至{_day(today)},门户尚未收到贵单位已确认的{period}人社数据月报"
    if kind == Notice.Kind.DUE_SOON:
        days = (deadline - today).days
        return (
            f"催报:{period}月报将于{_day(deadline)}截止",
            f"{owed}。月报将于{_day(deadline)}截止(还有{days}天),请及时填报并确认提交。",
        )
    if kind == Notice.Kind.DUE_TODAY:
        return (
            f"催报:今天({_day(deadline)})是{period}月报截止日",
            f"{owed}。今天是截止日,请于今天内填报并确认提交。",
        )
    if kind == Notice.Kind.OVERDUE:
        late = (today - deadline).days
        return (
            f"逾期催报:{period}月报已逾期{late}天",
            f"{owed}。月报已于{_day(deadline)}截止,已逾期{late}天;{_day(lock)}后月报锁定,"
            "锁定后须联系局业务科室解锁才能补报。请尽快上报。",
        )
    body = f"{owed},请尽快填报并确认提交(截止{_day(deadline)},{_day(lock)}后锁定)。"
    if note:
        body += f"\n局业务科室附言:{note}"
    return f"催报:请尽快上报{period}月报", body


def event(*, kind: str, submission: Submission) -> tuple[str, str]:
    s, name = submission, submission.township.name
    period = f"{s.year}年{s.month}月月报(第{s.version}版)"
    if kind == Notice.Kind.RETURNED:
        return (
            f"{period}被退回",
            f"{name}:您提交的{period}已被局业务科室退回。\n退回原因:{s.return_reason}\n请修改后重新上报。",
        )
    if kind == Notice.Kind.APPROVED:
        return f"{period}已审核通过", f"{name}:您提交的{period}已审核通过,数据已计入全市统计。"
    late = "(逾期提交)" if s.is_late else ""
    if kind == Notice.Kind.RESUBMITTED:
        return (
            f"{name}已重新报送{period}",
            f"{name}已修改并重新报送了此前被退回的{s.year}年{s.month}月月报(第{s.version}版){late},等待审核。",
        )
    return f"收到{name}{period}", f"{name}已提交{period}{late},等待审核。"


def manual_result(result) -> str:
    def names(towns: list[OrgUnit]) -> str:
        return "、".join(t.name for t in towns)

    parts = []
    if result.sent:
        parts.append(f"已向{len(result.sent)}个区镇街道发送催报:{names(result.sent)}。")
    if result.already:
        parts.append(f"今天已催报过,未重复发送:{names(result.already)}。")
    if result.reported:
        parts.append(f"本月已报送或已由局代录,无需催报:{names(result.reported)}。")
    return "".join(parts)
