"""What the bureau's reviewer reads beside a township's report (issue 22 point 4): each figure with
last month, the same month last year, the year to date this figure would make against the township's
quota, the validation rules it breaks and the 核实说明 given; and which report to open next. Reads the
month as the bureau's month sheet does (entry.selectors.month_sheet), so the two say the same."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from completion.rule import completion_rate
from entry.selectors import month_sheet
from indicators.models import Indicator
from indicators.rules import Finding

from .batch import submission_findings
from .models import Submission
from .selectors import submissions_visible


@dataclass
class ReviewRow:
    indicator: Indicator
    value: Decimal | None  # as the township sent it (None: left blank)
    remark: str
    explanation: str
    sheet: str
    row: int | None
    stored: Decimal | None = None  # the figure stored for the month now (an earlier version's, the bureau's)
    last_month: Decimal | None = None
    last_year: Decimal | None = None
    ytd: Decimal | None = None  # the year to date with this figure (a level: this figure)
    quota: Decimal | None = None
    rate: Decimal | None = None  # completion of the township's quota with this figure
    findings: list[Finding] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.findings)


@dataclass
class Review:
    submission: Submission
    rows: list[ReviewRow]
    findings: list[Finding]

    @property
    def flagged(self) -> int:
        return sum(1 for r in self.rows if r.flagged)


def submission_review(*, submission: Submission) -> Review:
    """The report's figures beside what the township's month sheet shows (six queries) and the year's
    rules (four), one row per figure in the catalogue's order."""
    sheet = {
        r.indicator.code: r
        for r in month_sheet(org_unit=submission.township, year=submission.year, month=submission.month).rows
    }
    findings = submission_findings(submission)
    by_indicator: dict[int, list[Finding]] = {}
    for finding in findings:
        by_indicator.setdefault(finding.entry.indicator.pk, []).append(finding)
    rows = []
    for v in submission.values.select_related("indicator").order_by(
        "indicator__sort_order", "indicator__code"
    ):
        rows.append(_row(v, sheet.get(v.indicator.code), by_indicator.get(v.indicator_id, [])))
    return Review(submission, rows, findings)


def _row(v, sheet_row, findings: list[Finding]) -> ReviewRow:
    row = ReviewRow(v.indicator, v.value, v.remark, v.explanation, v.sheet, v.row, findings=findings)
    if sheet_row is None:
        return row
    ind = v.indicator
    row.stored, row.last_month, row.last_year, row.quota = (
        sheet_row.value, sheet_row.last_month, sheet_row.last_year, sheet_row.quota,
    )  # fmt: skip
    row.ytd = sheet_row.actual_with(v.value)
    row.rate = completion_rate(row.ytd, 1, row.quota, ceiling=ind.is_ceiling)
    return row


def next_to_review(*, user, after: Submission) -> Submission | None:
    """The report to open after `after`: another one waiting for review, the same month first (in the
    townships' order), then the oldest month."""
    waiting = submissions_visible(user).filter(status=Submission.Status.PENDING).exclude(pk=after.pk)
    same = waiting.filter(year=after.year, month=after.month).order_by("township__sort_order").first()
    return same or waiting.order_by("year", "month", "township__sort_order").first()
