"""The refusals every step of the report shares: a township's report is sent (uploaded, explained,
confirmed) only by whoever may write the township's figures; reviewing, returning and unlocking are
the bureau's; and a submission is acted on only in the status the step expects."""

from __future__ import annotations

from accounts.models import User
from accounts.permissions import can_write_figures, is_bureau
from common.errors import PermissionDeniedError, PortalError
from orgs.models import OrgUnit
from reporting.models import Submission


def require_bureau_over(*, user: User, township: OrgUnit, refusal_message: str) -> None:
    """Reviewing, returning and unlocking are the bureau's, for the townships under its unit."""
    if not is_bureau(user):
        raise PermissionDeniedError(refusal_message)
    if not can_write_figures(user, township.pk):
        raise PermissionDeniedError(f"“{township.name}”不在您所属单位的辖区内。")


def require_may_report(user: User, township: OrgUnit) -> None:
    """A report is sent (uploaded, explained, confirmed) for a township only, by whoever may write its
    figures."""
    if township.level != OrgUnit.Level.TOWNSHIP:
        raise PortalError(f"“{township.name}”不是区镇街道,不能上报月报。")
    if not can_write_figures(user, township.pk):
        raise PermissionDeniedError(f"您没有上报“{township.name}”月报的权限。")


def require_status(submission: Submission, *statuses: str) -> None:
    """The submission is still in one of `statuses`; a replaced one names the version replacing it."""
    if submission.status == Submission.Status.SUPERSEDED:
        raise PortalError(
            f"这份月报(第{submission.version}版)已被第{submission.superseded_by.version}版替代,"
            "不能再进行此操作。请以最新版本为准。"
        )
    if submission.status not in statuses:
        raise PortalError(f"这份月报当前状态是“{submission.get_status_display()}”,不能进行此操作。")
