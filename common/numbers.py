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


def format_figure(value: Decimal | None, max_places: int) -> str:
    """A figure as the bureau writes it: grouped, rounded half up to at most max_places, no trailing
    zeros (39,000万元; 1,545.7482万元; 70.58%)."""
    if value is None:
        return "—"
    rounded = round_half_up(value, max_places).normalize()
    places = max(0, -rounded.as_tuple().exponent)
    return f"{rounded:,.{places}f}"
