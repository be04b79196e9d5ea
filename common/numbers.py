"""Exact decimal helpers. The bureau rounds 四舍五入 (half up), never banker's rounding."""

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: Decimal | None, places: int) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_decimal(value: Decimal | None, places: int, *, grouping: bool = True) -> str:
    """12367 -> '12,367'; None -> '—' (not reported is never shown as zero)."""
    if value is None:
        return "—"
    rounded = round_half_up(value, places)
    return f"{rounded:,.{places}f}" if grouping else f"{rounded:.{places}f}"
