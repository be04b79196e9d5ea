"""Reads of the facts."""

from __future__ import annotations

from .models import MonthlyValue


def latest_reported_month() -> tuple[int, int] | None:
    """The latest year and month for which any figure has been reported (served by the unique index
    that starts with year)."""
    row = MonthlyValue.objects.order_by("-year", "-month").values_list("year", "month").first()
    return tuple(row) if row else None
