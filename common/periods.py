"""Reading the period a page is asked for (?year=&month=): one parser for every page, one way to fail.

A parameter left out takes the page's default (the month: the default's month in the default's year,
else December); a parameter given wrong is refused with a PortalError naming it, in Chinese, never
silently replaced by another month (a clerk who typed 2204 must not be shown 2024 as if it were what he
asked for). Pages turn the error into a 400 page; the API into a 400 answer."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import PortalError
from .years import YEAR_MAX, YEAR_MIN


def whole_number(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise PortalError(f"参数“{name}”应为{low}至{high}之间的整数(收到的是“{raw}”)。", field=name)
    return int(raw)


def period_from(params: Mapping[str, str], *, default: tuple[int, int]) -> tuple[int, int]:
    """(year, month) as asked, each part defaulting as above."""
    year = whole_number(params, "year", default[0], YEAR_MIN, YEAR_MAX)
    month = whole_number(params, "month", default[1] if year == default[0] else 12, 1, 12)
    return year, month


def period_given(params: Mapping[str, str]) -> bool:
    """Both parts given: a page need not look its default up."""
    return bool((params.get("year") or "").strip() and (params.get("month") or "").strip())
