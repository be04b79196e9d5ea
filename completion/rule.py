"""The completion rule, once: the rate a figure gives against its quota.

This is the definition every page, workbook and the entry sheet use; the engine's SQL
(`completion.engine.completion_select_sql`, steps `fractions` and `scored`) is the same rule compiled
for a whole year at once, and tests run the engine both ways (`in_python`) on PostgreSQL to hold the two
to the same cells. The entry sheet does not compute it in JavaScript: it asks the server
(`entry:sheet-rates`), which answers with this function."""

from __future__ import annotations

from decimal import Decimal

from common.numbers import divide_half_up

from .models import RATE_PLACES


def completion_rate(
    top: Decimal | int | None, bottom: Decimal | int | None, quota: Decimal | None, *, ceiling: bool
) -> Decimal | None:
    """The completion rate in %, at RATE_PLACES, rounded half up exactly, of a figure given as the
    fraction top ÷ bottom (a ratio: numerator × 100 ÷ denominator; anything else: figure ÷ 1).

    A quota to reach: rate = figure ÷ quota. A ceiling to stay under (城镇登记失业率 ≤ 4.5%): rate =
    ceiling ÷ figure, so 100% and more is within it, as for a quota; a figure of 0 is within any
    ceiling and has no rate. No figure, no quota (or a quota of 0): no rate."""
    if top is None or bottom is None or not quota:
        return None
    if ceiling:
        return divide_half_up(bottom * quota * 100, top, RATE_PLACES) if top else None
    return divide_half_up(top * 100, bottom * quota, RATE_PLACES)
