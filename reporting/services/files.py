"""The file behind a sent submission, as the user asking may have it: the portal's copy of the cells it
read (reporting/kept_copy.py), or for a township's share of the bureau's city-wide file, the township's
own template filled with its figures."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from accounts.permissions import can_see_org, sees_whole_subtree
from common.errors import PermissionDeniedError, PortalError
from reporting.kept_copy import kept_workbook
from reporting.models import Submission
from reporting.parsing import IMPORT_BUDGET, parse_report
from reporting.templates_xlsx import template_workbook


@dataclass(frozen=True)
class SubmissionFile:
    content: bytes
    filename: str


def submission_file(*, submission: Submission, user: User) -> SubmissionFile:
    """The file behind a sent submission, as this user may have it: always the portal's copy of what
    was read (kept_copy), an .xlsx under a name the portal gives it. A draft has none to give (its copy
    waits in its row until it is confirmed). A township is never given a copy from the bureau's
    city-wide file: instead its own template for the month, filled with exactly the figures this
    submission holds for it."""
    if not can_see_org(user, submission.township_id):
        raise PermissionDeniedError("您只能下载本区镇街道的月报文件。")
    if submission.status == Submission.Status.DRAFT:
        raise PortalError("这份月报还没有确认提交,系统没有保存它的文件。")
    name = f"{submission.township.name}{submission.year}年{submission.month}月人社数据月报"
    version = f"第{submission.version}版"
    # A city-wide file's copy holds only this township's rows (kept_copy): whole for the leadership
    # over it (can_see_org above), the township's own template for the township.
    if not submission.is_city_file or sees_whole_subtree(user):
        with submission.file.open("rb") as stored:
            content = stored.read()
        return SubmissionFile(
            content if submission.file_is_copy else _copy_of_upload(submission, content),
            f"{name}({version}).xlsx",
        )
    figures = {
        indicator_id: (value, remark)
        for indicator_id, value, remark in submission.values.values_list("indicator_id", "value", "remark")
    }
    content = template_workbook(
        township=submission.township, year=submission.year, month=submission.month, this_month=figures
    )
    return SubmissionFile(content, f"{name}({version},摘自全市合一报表).xlsx")


def _copy_of_upload(submission: Submission, content: bytes) -> bytes:
    """A submission stored before issue 23 kept the upload's own bytes (an .xlsm with its macros, a
    file named .html): it is read again and served as the copy it would be kept as today."""
    report = parse_report(
        content, submission.original_filename, max_bytes=len(content) + 1, budget=IMPORT_BUDGET
    )
    return kept_workbook(
        report=report,
        township=submission.township,
        year=submission.year,
        month=submission.month,
        original_name=submission.original_filename,
        original_sha256=submission.original_sha256,
        whole_file=not submission.is_city_file,
    )
