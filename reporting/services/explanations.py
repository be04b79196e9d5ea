"""The 核实 figures of a draft: the year's validation rules flag them, and the township explains them
(in the file's 核实说明 column or in the preview) before the draft can be confirmed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from common.errors import Problem
from indicators.models import EXPLANATION_MAX_CHARS, Channel
from indicators.rules import Finding
from indicators.services import figures_check
from reporting.models import Submission

from .guards import require_may_report, require_status
from .workflow import submission_entries


@dataclass(frozen=True)
class ToExplain:
    """A figure a 核实 rule flags that nobody has explained yet: the township explains it in the
    preview (or in the file's 核实说明 column) before it can confirm."""

    indicator_id: int
    indicator_name: str
    problem: Problem
    explanation: str = ""


def to_explain(finding: Finding) -> ToExplain:
    """A finding as the preview asks for its 核实说明: the figure, why it is flagged, any text given."""
    entry = finding.entry
    return ToExplain(entry.indicator.pk, entry.indicator.name, finding.problem(), entry.explanation)


def submission_unexplained(*, submission: Submission) -> list[ToExplain]:
    """The 核实 figures of a draft still waiting for an explanation, judged now by the year's rules."""
    check = figures_check(entries=submission_entries(submission), user=None, channel=Channel.UPLOAD)
    return [to_explain(f) for f in check.unexplained]


@transaction.atomic
def submission_explain(*, submission: Submission, user: User, explanations: dict[int, str]) -> int:
    """The township's 核实说明 typed in the preview, kept with its draft's figures (by indicator id) before
    it confirms; only a draft's, only by whoever may send it. Returns how many figures it explains."""
    require_may_report(user, submission.township)
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    require_status(locked, Submission.Status.DRAFT)
    changed = 0
    for indicator_id, text in explanations.items():
        changed += locked.values.filter(indicator_id=indicator_id).update(
            explanation=" ".join(text.split())[:EXPLANATION_MAX_CHARS]
        )
    return changed
