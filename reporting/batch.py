"""Reviewing many reports at once (issue 22 point 4): which reports a validation rule flags, and
approving in one go those it flags nowhere. Each approval is the one approval (services.workflow.
submission_approve: its own transaction, locks and notice), asked again report by report, so a report
flagged or answered since the page was drawn is left for one-by-one review."""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.permissions import is_bureau
from common.errors import PermissionDeniedError, PortalError
from indicators.rules import Finding, rule_findings

from .models import Submission
from .services.workflow import submission_approve, submission_entries


def submission_findings(submission: Submission) -> list[Finding]:
    """Every validation rule of the year a report's figures break, as the reviewer sees them now
    (against the figures stored now; four queries: indicators.rules)."""
    return rule_findings(submission_entries(submission))


@dataclass
class BatchResult:
    approved: list[Submission] = field(default_factory=list)
    flagged: list[Submission] = field(default_factory=list)  # a rule fires: left for review one by one
    skipped: list[Submission] = field(default_factory=list)  # no longer waiting (answered, replaced)

    @property
    def message(self) -> str:
        def names(found: list[Submission]) -> str:
            return "、".join(f"{s.township.name}(第{s.version}版)" for s in found)

        parts = [
            f"已批量审核通过{len(self.approved)}份月报"
            + (f":{names(self.approved)}。" if self.approved else "。")
        ]
        if self.flagged:
            parts.append(f"有校验标记、需逐份审核:{names(self.flagged)}。")
        if self.skipped:
            parts.append(f"已不在待审核状态(已被审核或替代),未处理:{names(self.skipped)}。")
        return "".join(parts)


def submissions_approve_unflagged(*, user, submission_ids: list[int]) -> BatchResult:
    """Approve each of the reports given that is still waiting and that no rule flags. The ids are the
    ones the reviewer was shown: nothing else is approved."""
    if not is_bureau(user):
        raise PermissionDeniedError("只有局业务科室可以审核月报。")
    if not submission_ids:
        raise PortalError("请至少选择一份月报。", field="submissions")
    result = BatchResult()
    chosen = Submission.objects.filter(pk__in=submission_ids).select_related("township")
    for submission in chosen.order_by("township__sort_order", "version"):
        if submission.status != Submission.Status.PENDING:
            result.skipped.append(submission)
        elif submission_findings(submission):
            result.flagged.append(submission)
        else:
            try:
                submission_approve(submission=submission, user=user)
            except PortalError:
                result.skipped.append(submission)  # replaced by a newer version in the meantime
            else:
                result.approved.append(submission)
    return result
