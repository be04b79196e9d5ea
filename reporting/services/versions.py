"""What confirming an upload would do to the versions of the month already sent, for the preview:
notices (the version waiting for review it replaces, the same file sent again) and a warning only when
it would put older figures over newer ones."""

from __future__ import annotations

from dataclasses import dataclass

from common.errors import Problem
from indicators.services import ValueEntry
from orgs.models import OrgUnit
from reporting.models import Submission, SubmissionValue


@dataclass(frozen=True)
class _Sent:
    """A version the township sent (confirmed): drafts, sent or not replaced, never count as one."""

    pk: int
    version: int
    status: str
    sha: str


def version_notes(
    *, entries: list[ValueEntry], year: int, month: int, sha: str
) -> tuple[list[Problem], list[Problem]]:
    """What confirming this upload does to the versions already sent (notices), and a warning only
    when it would really put older figures over newer ones: the file is byte for byte a version that
    a later one with other figures has replaced (the wrong file picked from the downloads folder).
    The newer version is the latest sent one the bureau has not returned (a returned one's figures
    never counted); the older one cited is the latest sent with these bytes, never a draft."""
    townships = {e.org_unit.pk: e.org_unit for e in entries}
    notices: list[Problem] = []
    warnings: list[Problem] = []
    for township_id, versions in _sent_versions(townships=townships, year=year, month=month).items():
        name = townships[township_id].name
        pending = [v.version for v in versions if v.status == Submission.Status.PENDING]
        if pending:
            notices.append(
                Problem(
                    f"{name}{year}年{month}月已有第{pending[0]}版在等待审核;确认提交本文件后,"
                    f"第{pending[0]}版将被替代(已被新版本替代),不再审核。"
                )
            )
        kept = [v for v in versions if v.status != Submission.Status.RETURNED] or versions
        newest, same = kept[-1], [v for v in versions if v.sha == sha]
        if newest.sha == sha:
            notices.append(Problem(f"本文件与{name}已提交的第{newest.version}版完全相同,数据没有变化。"))
        elif (
            same
            and same[-1].version < newest.version
            and _figures_differ(sent=newest, entries=entries, township_id=township_id)
        ):
            old = same[-1].version
            warnings.append(
                Problem(
                    f"本文件与{name}已提交的第{old}版完全相同,而之后已提交了第{newest.version}版,两版的数据不同。"
                    f"请确认没有选错文件:确认提交会用第{old}版的旧数据替代第{newest.version}版。"
                )
            )
    return notices, warnings


def _sent_versions(*, townships: dict[int, OrgUnit], year: int, month: int) -> dict[int, list[_Sent]]:
    """Every version confirmed for the townships' month, in version order, by township: one query."""
    sent: dict[int, list[_Sent]] = {}
    rows = (
        Submission.objects.filter(
            township_id__in=townships, year=year, month=month, submitted_at__isnull=False
        )
        .order_by("version")
        .values_list("township_id", "pk", "version", "status", "original_sha256")
    )
    for township_id, pk, version, status, sha in rows:
        sent.setdefault(township_id, []).append(_Sent(pk, version, status, sha))
    return sent


def _figures_differ(*, sent: _Sent, entries: list[ValueEntry], township_id: int) -> bool:
    """Whether the upload's figures (value and remark of each indicator) are not the sent version's."""
    theirs = {
        indicator: (value, remark)
        for indicator, value, remark in SubmissionValue.objects.filter(submission_id=sent.pk).values_list(
            "indicator_id", "value", "remark"
        )
    }
    ours = {e.indicator.pk: (e.value, e.remark[:200]) for e in entries if e.org_unit.pk == township_id}
    return ours != theirs
